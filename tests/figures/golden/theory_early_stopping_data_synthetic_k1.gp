# Redraw with: gnuplot theory_early_stopping_data_synthetic_k1.gp
$d0 << EOD
100 0.05930880612884835
EOD
$d1 << EOD
100 0.057462374835949646
EOD
set title 'Early stopping: gradient descent from zero (data prediction, c = 0): synthetic_k1' noenhanced
set xlabel 'gradient-descent steps s' noenhanced
set ylabel 'KL(data || model) / d' noenhanced
set grid
set key outside right top noenhanced opaque
set logscale x
set format x '10^{%L}'
set logscale y
set format y '10^{%L}'
set yrange [:0.5930880612884835]
set terminal pngcairo size 1100,600 enhanced font 'Sans,11'
set output 'theory_early_stopping_data_synthetic_k1.png'
plot $d0 using 1:2 with linespoints pt 7 ps 0.6 lw 2 title 'N = 8', $d1 using 1:2 with linespoints pt 7 ps 0.6 lw 2 title 'N = 32'
set terminal svg size 1100,600 dynamic enhanced font 'Sans,11'
set output 'theory_early_stopping_data_synthetic_k1.svg'
plot $d0 using 1:2 with linespoints pt 7 ps 0.6 lw 2 title 'N = 8', $d1 using 1:2 with linespoints pt 7 ps 0.6 lw 2 title 'N = 32'
unset output
