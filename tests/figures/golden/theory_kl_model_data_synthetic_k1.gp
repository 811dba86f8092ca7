# Redraw with: gnuplot theory_kl_model_data_synthetic_k1.gp
$d0 << EOD
0.125 0.060943316760720644
0.5 0.06291921233033079
EOD
$d1 << EOD
0.125 0.05819814614084451
0.5 0.29916193662401847
EOD
$d2 << EOD
0.125 0.06644529289073792
0.5 0.06483378213898114
EOD
$d3 << EOD
0.125 0.044478738552215846
0.5 0.18399572744189618
EOD
$d4 << EOD
0.125 0.03125
0.5 0.125
EOD
set title 'KL(model || data) per dimension: synthetic_k1 (d = 4)' noenhanced
set xlabel 'd / N' noenhanced
set ylabel 'KL(model || data) / d' noenhanced
set grid
set key outside right top noenhanced opaque
set logscale x
set format x '10^{%L}'
set logscale y
set format y '10^{%L}'
set terminal pngcairo size 1100,600 enhanced font 'Sans,11'
set output 'theory_kl_model_data_synthetic_k1.png'
plot $d0 using 1:2 with linespoints pt 7 ps 0.8 lw 2 title 'optimum, c = 0', $d1 using 1:2 with lines dt 2 lw 2 title 'average over training sets, c = 0', $d2 using 1:2 with linespoints pt 7 ps 0.8 lw 2 title 'optimum, c = 0.1', $d3 using 1:2 with lines dt 2 lw 2 title 'average over training sets, c = 0.1', $d4 using 1:2 with lines lw 1 lc rgb 'black' title 'd/(4N)'
set terminal svg size 1100,600 dynamic enhanced font 'Sans,11'
set output 'theory_kl_model_data_synthetic_k1.svg'
plot $d0 using 1:2 with linespoints pt 7 ps 0.8 lw 2 title 'optimum, c = 0', $d1 using 1:2 with lines dt 2 lw 2 title 'average over training sets, c = 0', $d2 using 1:2 with linespoints pt 7 ps 0.8 lw 2 title 'optimum, c = 0.1', $d3 using 1:2 with lines dt 2 lw 2 title 'average over training sets, c = 0.1', $d4 using 1:2 with lines lw 1 lc rgb 'black' title 'd/(4N)'
unset output
