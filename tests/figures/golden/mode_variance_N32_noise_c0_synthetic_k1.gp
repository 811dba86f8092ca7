# Redraw with: gnuplot mode_variance_N32_noise_c0_synthetic_k1.gp
$d0 << EOD
0.5790121448832303 0.8800667356249958
1.539679214023343 1.0670049435434221
EOD
$d1 << EOD
0.5790121448832303 0.889652832139664
1.539679214023343 1.043220690537837
EOD
$d2 << EOD
0.5790121448832303 0.7576847934882847
1.539679214023343 0.8636194329905881
EOD
$d3 << EOD
0.5790121448832303 0.8179532969513453
1.539679214023343 0.8467252034984147
EOD
set title 'Variance of samples along eigenvectors of Sigma0 (N = 32, noise, c = 0): synthetic_k1'."\n".'NOT CONVERGED: linear N = 32' noenhanced tc rgb 'red'
set xlabel 'eigenvalue lambda of Sigma0' noenhanced
set ylabel 'variance along the eigenvector' noenhanced
set grid
set key outside right top noenhanced opaque
set logscale x
set format x '10^{%L}'
set logscale y
set format y '10^{%L}'
set terminal pngcairo size 1100,600 enhanced font 'Sans,11'
set output 'mode_variance_N32_noise_c0_synthetic_k1.png'
plot $d0 using 1:2 with lines lw 2 lc rgb 'black' title 'theory (optimum)', $d1 using 1:2 with points pt 7 ps 1.2 lc 1 title 'linear (exact)', $d2 using 1:2 with points pt 6 ps 1.2 lc 1 title 'linear (samples)', $d3 using 1:2 with points pt 6 ps 1.2 lc 2 title 'U-Net (samples)'
set terminal svg size 1100,600 dynamic enhanced font 'Sans,11'
set output 'mode_variance_N32_noise_c0_synthetic_k1.svg'
plot $d0 using 1:2 with lines lw 2 lc rgb 'black' title 'theory (optimum)', $d1 using 1:2 with points pt 7 ps 1.2 lc 1 title 'linear (exact)', $d2 using 1:2 with points pt 6 ps 1.2 lc 1 title 'linear (samples)', $d3 using 1:2 with points pt 6 ps 1.2 lc 2 title 'U-Net (samples)'
unset output
