# Redraw with: gnuplot theory_early_stopping_noise_synthetic_k1.gp
$d0 << EOD
100 0.05930828030814017
EOD
$d1 << EOD
100 0.05746237483596923
EOD
set title 'Early stopping: gradient descent from zero (noise prediction, c = 0): synthetic_k1' noenhanced
set xlabel 'gradient-descent steps s' noenhanced
set ylabel 'KL(data || model) / d' noenhanced
set grid
set key outside right top noenhanced opaque
set logscale x
set format x '10^{%L}'
set logscale y
set format y '10^{%L}'
set yrange [:0.7972903179111634]
set terminal pngcairo size 1100,600 enhanced font 'Sans,11'
set output 'theory_early_stopping_noise_synthetic_k1.png'
plot $d0 using 1:2 with linespoints pt 7 ps 0.6 lw 2 title 'N = 8', $d1 using 1:2 with linespoints pt 7 ps 0.6 lw 2 title 'N = 32'
set terminal svg size 1100,600 dynamic enhanced font 'Sans,11'
set output 'theory_early_stopping_noise_synthetic_k1.svg'
plot $d0 using 1:2 with linespoints pt 7 ps 0.6 lw 2 title 'N = 8', $d1 using 1:2 with linespoints pt 7 ps 0.6 lw 2 title 'N = 32'
unset output
