# Redraw with: gnuplot theory_kl_data_model_synthetic_k1.gp
$d0 << EOD
0.125 0.05746237483596899
0.5 0.059308293720748965
EOD
$d1 << EOD
0.125 0.07641723847454007
0.5 1.4508380633759814
EOD
$d2 << EOD
0.125 0.05975837275894339
0.5 0.05750012525466363
EOD
$d3 << EOD
0.125 0.043259954043778054
0.5 0.31404630431647984
EOD
$d4 << EOD
0.125 0.03125
0.5 0.125
EOD
set title 'KL(data || model) per dimension: synthetic_k1 (d = 4)' noenhanced
set xlabel 'd / N' noenhanced
set ylabel 'KL(data || model) / d' noenhanced
set grid
set key outside right top noenhanced opaque
set logscale x
set format x '10^{%L}'
set logscale y
set format y '10^{%L}'
set terminal pngcairo size 1100,600 enhanced font 'Sans,11'
set output 'theory_kl_data_model_synthetic_k1.png'
plot $d0 using 1:2 with linespoints pt 7 ps 0.8 lw 2 title 'optimum, c = 0', $d1 using 1:2 with lines dt 2 lw 2 title 'average over training sets, c = 0', $d2 using 1:2 with linespoints pt 7 ps 0.8 lw 2 title 'optimum, c = 0.1', $d3 using 1:2 with lines dt 2 lw 2 title 'average over training sets, c = 0.1', $d4 using 1:2 with lines lw 1 lc rgb 'black' title 'd/(4N)'
set terminal svg size 1100,600 dynamic enhanced font 'Sans,11'
set output 'theory_kl_data_model_synthetic_k1.svg'
plot $d0 using 1:2 with linespoints pt 7 ps 0.8 lw 2 title 'optimum, c = 0', $d1 using 1:2 with lines dt 2 lw 2 title 'average over training sets, c = 0', $d2 using 1:2 with linespoints pt 7 ps 0.8 lw 2 title 'optimum, c = 0.1', $d3 using 1:2 with lines dt 2 lw 2 title 'average over training sets, c = 0.1', $d4 using 1:2 with lines lw 1 lc rgb 'black' title 'd/(4N)'
unset output
