# Redraw with: gnuplot loss_vs_n_noise_c0_synthetic_k1.gp
$d0 << EOD
8 1.0230038364827316
32 0.9597557171894635
EOD
$d1 << EOD
8 1.1795866002729896
32 0.9647322390954332
EOD
$d2 << EOD
8 0.9811508150208287
32 0.9597860551667861
EOD
$d3 << EOD
8 0.9890017431239757
32 0.9719500096305463
EOD
$d4 << EOD
8 1.0553730630781502
32 1.025451962777879
EOD
$d5 << EOD
8 1.0634688716381788
32 1.0258852618280798
EOD
$d6 << EOD
8 0.9543587575899437
32 0.9914144832946477
EOD
$d7 << EOD
8 0.8961683898232877
32 0.9709724728600122
EOD
set title 'Test loss versus N (noise prediction, c = 0): synthetic_k1'."\n".'NOT CONVERGED: linear N = 32' noenhanced tc rgb 'red'
set xlabel 'training samples N' noenhanced
set ylabel 'test loss (mean over t, per dimension)' noenhanced
set grid
set key outside right top noenhanced opaque
set logscale x
set format x '10^{%L}'
set logscale y
set format y '10^{%L}'
set terminal pngcairo size 1100,600 enhanced font 'Sans,11'
set output 'loss_vs_n_noise_c0_synthetic_k1.png'
plot $d0 using 1:2 with lines lw 2 lc rgb 'black' title 'theory (optimum)', $d1 using 1:2 with lines dt 2 lw 2 lc rgb 'gray40' title 'theory (average over training sets)', $d2 using 1:2 with lines dt 4 lw 2 lc rgb 'dark-green' title 'GD theory at the final step', $d3 using 1:2 with points pt 7 ps 1.3 lc 1 title 'trained linear (exact)', $d4 using 1:2 with linespoints pt 5 ps 0.9 lw 1 lc 1 title 'linear (Monte Carlo, held out)', $d5 using 1:2 with linespoints pt 5 ps 0.9 lw 1 lc 2 title 'U-Net (Monte Carlo, held out)', $d6 using 1:2 with linespoints pt 4 ps 0.9 lw 1 dt 3 lc 1 title 'linear (Monte Carlo, training set)', $d7 using 1:2 with linespoints pt 4 ps 0.9 lw 1 dt 3 lc 2 title 'U-Net (Monte Carlo, training set)'
set terminal svg size 1100,600 dynamic enhanced font 'Sans,11'
set output 'loss_vs_n_noise_c0_synthetic_k1.svg'
plot $d0 using 1:2 with lines lw 2 lc rgb 'black' title 'theory (optimum)', $d1 using 1:2 with lines dt 2 lw 2 lc rgb 'gray40' title 'theory (average over training sets)', $d2 using 1:2 with lines dt 4 lw 2 lc rgb 'dark-green' title 'GD theory at the final step', $d3 using 1:2 with points pt 7 ps 1.3 lc 1 title 'trained linear (exact)', $d4 using 1:2 with linespoints pt 5 ps 0.9 lw 1 lc 1 title 'linear (Monte Carlo, held out)', $d5 using 1:2 with linespoints pt 5 ps 0.9 lw 1 lc 2 title 'U-Net (Monte Carlo, held out)', $d6 using 1:2 with linespoints pt 4 ps 0.9 lw 1 dt 3 lc 1 title 'linear (Monte Carlo, training set)', $d7 using 1:2 with linespoints pt 4 ps 0.9 lw 1 dt 3 lc 2 title 'U-Net (Monte Carlo, training set)'
unset output
