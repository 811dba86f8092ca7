# Redraw with: gnuplot theory_loss_noise_synthetic_k1.gp
$d0 << EOD
8 1.0230038364827316
32 0.9597557171894635
EOD
$d1 << EOD
8 0.9480348539603275
32 0.9584493311947486
EOD
$d2 << EOD
8 1.1795866002729896
32 0.9647322390954332
EOD
$d3 << EOD
8 0.9933802674651353
32 0.9600049521136309
EOD
$d4 << EOD
8 0.94979959033661
32 0.9589460141261409
EOD
$d5 << EOD
8 1.020534474909524
32 0.9601358890083599
EOD
set title 'Loss of the optimal linear denoiser (noise prediction): synthetic_k1' noenhanced
set xlabel 'training samples N' noenhanced
set ylabel 'loss (mean over t, per dimension)' noenhanced
set grid
set key outside right top noenhanced opaque
set logscale x
set format x '10^{%L}'
set logscale y
set format y '10^{%L}'
set terminal pngcairo size 1100,600 enhanced font 'Sans,11'
set output 'theory_loss_noise_synthetic_k1.png'
plot $d0 using 1:2 with linespoints pt 7 ps 0.8 lw 2 title 'test, c = 0', $d1 using 1:2 with linespoints pt 6 ps 0.8 lw 1 title 'train, c = 0', $d2 using 1:2 with lines dt 2 lw 2 title 'test, average, c = 0', $d3 using 1:2 with linespoints pt 7 ps 0.8 lw 2 title 'test, c = 0.1', $d4 using 1:2 with linespoints pt 6 ps 0.8 lw 1 title 'train, c = 0.1', $d5 using 1:2 with lines dt 2 lw 2 title 'test, average, c = 0.1'
set terminal svg size 1100,600 dynamic enhanced font 'Sans,11'
set output 'theory_loss_noise_synthetic_k1.svg'
plot $d0 using 1:2 with linespoints pt 7 ps 0.8 lw 2 title 'test, c = 0', $d1 using 1:2 with linespoints pt 6 ps 0.8 lw 1 title 'train, c = 0', $d2 using 1:2 with lines dt 2 lw 2 title 'test, average, c = 0', $d3 using 1:2 with linespoints pt 7 ps 0.8 lw 2 title 'test, c = 0.1', $d4 using 1:2 with linespoints pt 6 ps 0.8 lw 1 title 'train, c = 0.1', $d5 using 1:2 with lines dt 2 lw 2 title 'test, average, c = 0.1'
unset output
