# Redraw with: gnuplot mode_variance_N8_noise_c0_synthetic_k1.gp
$d0 << EOD
0.26759685209122 0.6445662545844697
2.118061768626953 1.1036683623755
EOD
$d1 << EOD
0.26759685209122 0.8181991711789119
2.118061768626953 1.0844497519744065
EOD
$d2 << EOD
0.26759685209122 0.5420514941674042
2.118061768626953 1.031047748587376
EOD
$d3 << EOD
0.26759685209122 0.5335493538623399
2.118061768626953 0.8635104917601697
EOD
set title 'Variance of samples along eigenvectors of Sigma0 (N = 8, noise, c = 0): synthetic_k1' noenhanced
set xlabel 'eigenvalue lambda of Sigma0' noenhanced
set ylabel 'variance along the eigenvector' noenhanced
set grid
set key outside right top noenhanced opaque
set logscale x
set format x '10^{%L}'
set logscale y
set format y '10^{%L}'
set terminal pngcairo size 1100,600 enhanced font 'Sans,11'
set output 'mode_variance_N8_noise_c0_synthetic_k1.png'
plot $d0 using 1:2 with lines lw 2 lc rgb 'black' title 'theory (optimum)', $d1 using 1:2 with points pt 7 ps 1.2 lc 1 title 'linear (exact)', $d2 using 1:2 with points pt 6 ps 1.2 lc 1 title 'linear (samples)', $d3 using 1:2 with points pt 6 ps 1.2 lc 2 title 'U-Net (samples)'
set terminal svg size 1100,600 dynamic enhanced font 'Sans,11'
set output 'mode_variance_N8_noise_c0_synthetic_k1.svg'
plot $d0 using 1:2 with lines lw 2 lc rgb 'black' title 'theory (optimum)', $d1 using 1:2 with points pt 7 ps 1.2 lc 1 title 'linear (exact)', $d2 using 1:2 with points pt 6 ps 1.2 lc 1 title 'linear (samples)', $d3 using 1:2 with points pt 6 ps 1.2 lc 2 title 'U-Net (samples)'
unset output
