# Redraw with: gnuplot excess_vs_n_noise_c0_synthetic_k1.gp
$d0 << EOD
8 0.0683485349665589
32 0.005100415673290781
EOD
$d1 << EOD
8 0.026495513504655954
32 0.005130753650613329
EOD
$d2 << EOD
8 0.03434644160780298
32 0.017294708114373614
EOD
$d3 << EOD
8 0.04089424601988867
32 0.010973145719617605
EOD
$d4 << EOD
8 0.04899005457991734
32 0.011406444769818336
EOD
set title 'Excess held-out loss over the Bayes-optimal denoiser versus N (noise, c = 0): synthetic_k1'."\n".'NOT CONVERGED: linear N = 32' noenhanced tc rgb 'red'
set xlabel 'training samples N' noenhanced
set ylabel 'test loss - Bayes-optimal loss (mean over t, per dimension)' noenhanced
set grid
set key outside right top noenhanced opaque
set logscale x
set format x '10^{%L}'
set logscale y
set format y '10^{%L}'
set terminal pngcairo size 1100,600 enhanced font 'Sans,11'
set output 'excess_vs_n_noise_c0_synthetic_k1.png'
plot $d0 using 1:2 with lines lw 2 lc rgb 'black' title 'linear optimum on N samples (theory)', $d1 using 1:2 with lines dt 4 lw 2 lc rgb 'dark-green' title 'GD theory at the final step', $d2 using 1:2 with points pt 7 ps 1.3 lc 1 title 'trained linear (exact)', $d3 using 1:2 with linespoints pt 5 ps 0.9 lw 1 lc 1 title 'linear (Monte Carlo)', $d4 using 1:2 with linespoints pt 5 ps 0.9 lw 1 lc 2 title 'U-Net (Monte Carlo)'
set terminal svg size 1100,600 dynamic enhanced font 'Sans,11'
set output 'excess_vs_n_noise_c0_synthetic_k1.svg'
plot $d0 using 1:2 with lines lw 2 lc rgb 'black' title 'linear optimum on N samples (theory)', $d1 using 1:2 with lines dt 4 lw 2 lc rgb 'dark-green' title 'GD theory at the final step', $d2 using 1:2 with points pt 7 ps 1.3 lc 1 title 'trained linear (exact)', $d3 using 1:2 with linespoints pt 5 ps 0.9 lw 1 lc 1 title 'linear (Monte Carlo)', $d4 using 1:2 with linespoints pt 5 ps 0.9 lw 1 lc 2 title 'U-Net (Monte Carlo)'
unset output
