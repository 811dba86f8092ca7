# Redraw with: gnuplot kl_vs_n_noise_c0_synthetic_k1.gp
$d0 << EOD
0.125 0.05746237483596899
0.5 0.059308293720748965
EOD
$d1 << EOD
0.125 0.07641723847454007
0.5 1.4508380633759814
EOD
$d2 << EOD
0.125 0.05916823581652379
0.5 0.05757153820809722
EOD
$d3 << EOD
0.125 0.060633204848625596
0.5 0.05576031346584944
EOD
$d4 << EOD
0.125 0.08011514634084073
0.5 0.0953175685791499
EOD
$d5 << EOD
0.125 0.0851010683510152
0.5 0.11072648046690604
EOD
$d6 << EOD
0.125 0.03216235392054423
0.5 0.03216235392054423
EOD
$d7 << EOD
0.125 0.03125
0.5 0.125
EOD
set title 'KL(data || model) per dimension versus d/N (noise, c = 0): synthetic_k1'."\n".'NOT CONVERGED: linear N = 32' noenhanced tc rgb 'red'
set xlabel 'd / N' noenhanced
set ylabel 'KL(data || model) / d' noenhanced
set grid
set key outside right top noenhanced opaque
set logscale x
set format x '10^{%L}'
set logscale y
set format y '10^{%L}'
set terminal pngcairo size 1100,600 enhanced font 'Sans,11'
set output 'kl_vs_n_noise_c0_synthetic_k1.png'
plot $d0 using 1:2 with lines lw 2 lc rgb 'black' title 'theory (optimum)', $d1 using 1:2 with lines dt 2 lw 2 lc rgb 'gray40' title 'theory (average over training sets)', $d2 using 1:2 with lines dt 4 lw 2 lc rgb 'dark-green' title 'GD theory at the final step', $d3 using 1:2 with points pt 7 ps 1.3 lc 1 title 'trained linear (exact)', $d4 using 1:2 with linespoints pt 5 ps 0.9 lw 1 lc 1 title 'linear (fitted to M samples)', $d5 using 1:2 with linespoints pt 5 ps 0.9 lw 1 lc 2 title 'U-Net (fitted to M samples)', $d6 using 1:2 with lines dt 2 lw 2 lc rgb 'dark-violet' title 'perfect sampler, M samples (finite-M floor)', $d7 using 1:2 with lines lw 1 lc rgb 'red' title 'd/(4N)'
set terminal svg size 1100,600 dynamic enhanced font 'Sans,11'
set output 'kl_vs_n_noise_c0_synthetic_k1.svg'
plot $d0 using 1:2 with lines lw 2 lc rgb 'black' title 'theory (optimum)', $d1 using 1:2 with lines dt 2 lw 2 lc rgb 'gray40' title 'theory (average over training sets)', $d2 using 1:2 with lines dt 4 lw 2 lc rgb 'dark-green' title 'GD theory at the final step', $d3 using 1:2 with points pt 7 ps 1.3 lc 1 title 'trained linear (exact)', $d4 using 1:2 with linespoints pt 5 ps 0.9 lw 1 lc 1 title 'linear (fitted to M samples)', $d5 using 1:2 with linespoints pt 5 ps 0.9 lw 1 lc 2 title 'U-Net (fitted to M samples)', $d6 using 1:2 with lines dt 2 lw 2 lc rgb 'dark-violet' title 'perfect sampler, M samples (finite-M floor)', $d7 using 1:2 with lines lw 1 lc rgb 'red' title 'd/(4N)'
unset output
