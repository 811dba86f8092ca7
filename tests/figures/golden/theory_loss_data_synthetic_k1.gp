# Redraw with: gnuplot theory_loss_data_synthetic_k1.gp
$d0 << EOD
8 0.03979028595776135
32 0.03574264041021191
EOD
$d1 << EOD
8 0.0349817638177221
32 0.035653854275436735
EOD
$d2 << EOD
8 0.047905731539310575
32 0.03605665964814524
EOD
$d3 << EOD
8 0.037949270592352
32 0.03575922984703823
EOD
$d4 << EOD
8 0.035093214846554754
32 0.03568692019370751
EOD
$d5 << EOD
8 0.039531277272782064
32 0.03576502154527846
EOD
set title 'Loss of the optimal linear denoiser (data prediction): synthetic_k1' noenhanced
set xlabel 'training samples N' noenhanced
set ylabel 'loss (mean over t, per dimension)' noenhanced
set grid
set key outside right top noenhanced opaque
set logscale x
set format x '10^{%L}'
set logscale y
set format y '10^{%L}'
set terminal pngcairo size 1100,600 enhanced font 'Sans,11'
set output 'theory_loss_data_synthetic_k1.png'
plot $d0 using 1:2 with linespoints pt 7 ps 0.8 lw 2 title 'test, c = 0', $d1 using 1:2 with linespoints pt 6 ps 0.8 lw 1 title 'train, c = 0', $d2 using 1:2 with lines dt 2 lw 2 title 'test, average, c = 0', $d3 using 1:2 with linespoints pt 7 ps 0.8 lw 2 title 'test, c = 0.1', $d4 using 1:2 with linespoints pt 6 ps 0.8 lw 1 title 'train, c = 0.1', $d5 using 1:2 with lines dt 2 lw 2 title 'test, average, c = 0.1'
set terminal svg size 1100,600 dynamic enhanced font 'Sans,11'
set output 'theory_loss_data_synthetic_k1.svg'
plot $d0 using 1:2 with linespoints pt 7 ps 0.8 lw 2 title 'test, c = 0', $d1 using 1:2 with linespoints pt 6 ps 0.8 lw 1 title 'train, c = 0', $d2 using 1:2 with lines dt 2 lw 2 title 'test, average, c = 0', $d3 using 1:2 with linespoints pt 7 ps 0.8 lw 2 title 'test, c = 0.1', $d4 using 1:2 with linespoints pt 6 ps 0.8 lw 1 title 'train, c = 0.1', $d5 using 1:2 with lines dt 2 lw 2 title 'test, average, c = 0.1'
unset output
