# Redraw with: gnuplot steps_kl_data_model_per_dim_noise_c0_synthetic_k1.gp
$d0 << EOD
1 0.07805205630920943
30 0.05757153820809722
EOD
$d1 << EOD
1 0.07759037794034519
30 0.05576031346584944
EOD
$d2 << EOD
30 0.11072648046690604
EOD
$d3 << EOD
1 0.07776318366096065
30 0.05916823581652379
EOD
$d4 << EOD
1 0.07744429320932163
30 0.060633204848625596
EOD
$d5 << EOD
30 0.0851010683510152
EOD
$d6 << EOD
30 0.05576031346584944
30 0.060633204848625596
30 0.0851010683510152
30 0.11072648046690604
EOD
set title 'kl_data_model_per_dim versus training steps (noise, c = 0): synthetic_k1'."\n".'NOT CONVERGED: linear N = 32' noenhanced tc rgb 'red'
set xlabel 'optimizer steps' noenhanced
set ylabel 'kl_data_model_per_dim' noenhanced
set grid
set key outside right top noenhanced opaque
set logscale x
set format x '10^{%L}'
set logscale y
set format y '10^{%L}'
set terminal pngcairo size 1100,600 enhanced font 'Sans,11'
set output 'steps_kl_data_model_per_dim_noise_c0_synthetic_k1.png'
plot $d0 using 1:2 with lines lw 2 lc 1 title 'N = 8, GD theory', $d1 using 1:2 with points pt 7 ps 0.9 lc 1 title 'N = 8, linear (exact)', $d2 using 1:2 with linespoints pt 5 ps 0.8 dt 2 lc 1 title 'N = 8, U-Net (MC)', $d3 using 1:2 with lines lw 2 lc 2 title 'N = 32, GD theory', $d4 using 1:2 with points pt 7 ps 0.9 lc 2 title 'N = 32, linear (exact)', $d5 using 1:2 with linespoints pt 5 ps 0.8 dt 2 lc 2 title 'N = 32, U-Net (MC)', $d6 using 1:2 with points pt 6 ps 2.2 lc rgb 'black' title 'reported model (best held-out checkpoint)'
set terminal svg size 1100,600 dynamic enhanced font 'Sans,11'
set output 'steps_kl_data_model_per_dim_noise_c0_synthetic_k1.svg'
plot $d0 using 1:2 with lines lw 2 lc 1 title 'N = 8, GD theory', $d1 using 1:2 with points pt 7 ps 0.9 lc 1 title 'N = 8, linear (exact)', $d2 using 1:2 with linespoints pt 5 ps 0.8 dt 2 lc 1 title 'N = 8, U-Net (MC)', $d3 using 1:2 with lines lw 2 lc 2 title 'N = 32, GD theory', $d4 using 1:2 with points pt 7 ps 0.9 lc 2 title 'N = 32, linear (exact)', $d5 using 1:2 with linespoints pt 5 ps 0.8 dt 2 lc 2 title 'N = 32, U-Net (MC)', $d6 using 1:2 with points pt 6 ps 2.2 lc rgb 'black' title 'reported model (best held-out checkpoint)'
unset output
