# Redraw with: gnuplot steps_excess_test_loss_noise_c0_synthetic_k1.gp
$d0 << EOD
1 0.03817997525101935
30 0.026495513504655954
EOD
$d1 << EOD
1 0.04104497088036807
30 0.03434644160780298
EOD
$d2 << EOD
1 0.042572312930133194
30 0.04899005457991734
EOD
$d3 << EOD
1 0.03691491980350159
30 0.005130753650613329
EOD
$d4 << EOD
1 0.03947967993393742
30 0.017294708114373614
EOD
$d5 << EOD
1 0.05300534964771941
30 0.011406444769818336
EOD
$d6 << EOD
30 0.011406444769818336
30 0.017294708114373614
30 0.03434644160780298
30 0.04899005457991734
EOD
set title 'excess_test_loss versus training steps (noise, c = 0): synthetic_k1'."\n".'NOT CONVERGED: linear N = 32' noenhanced tc rgb 'red'
set xlabel 'optimizer steps' noenhanced
set ylabel 'excess_test_loss' noenhanced
set grid
set key outside right top noenhanced opaque
set logscale x
set format x '10^{%L}'
set logscale y
set format y '10^{%L}'
set terminal pngcairo size 1100,600 enhanced font 'Sans,11'
set output 'steps_excess_test_loss_noise_c0_synthetic_k1.png'
plot $d0 using 1:2 with lines lw 2 lc 1 title 'N = 8, GD theory', $d1 using 1:2 with points pt 7 ps 0.9 lc 1 title 'N = 8, linear (exact)', $d2 using 1:2 with linespoints pt 5 ps 0.8 dt 2 lc 1 title 'N = 8, U-Net (MC)', $d3 using 1:2 with lines lw 2 lc 2 title 'N = 32, GD theory', $d4 using 1:2 with points pt 7 ps 0.9 lc 2 title 'N = 32, linear (exact)', $d5 using 1:2 with linespoints pt 5 ps 0.8 dt 2 lc 2 title 'N = 32, U-Net (MC)', $d6 using 1:2 with points pt 6 ps 2.2 lc rgb 'black' title 'reported model (best held-out checkpoint)'
set terminal svg size 1100,600 dynamic enhanced font 'Sans,11'
set output 'steps_excess_test_loss_noise_c0_synthetic_k1.svg'
plot $d0 using 1:2 with lines lw 2 lc 1 title 'N = 8, GD theory', $d1 using 1:2 with points pt 7 ps 0.9 lc 1 title 'N = 8, linear (exact)', $d2 using 1:2 with linespoints pt 5 ps 0.8 dt 2 lc 1 title 'N = 8, U-Net (MC)', $d3 using 1:2 with lines lw 2 lc 2 title 'N = 32, GD theory', $d4 using 1:2 with points pt 7 ps 0.9 lc 2 title 'N = 32, linear (exact)', $d5 using 1:2 with linespoints pt 5 ps 0.8 dt 2 lc 2 title 'N = 32, U-Net (MC)', $d6 using 1:2 with points pt 6 ps 2.2 lc rgb 'black' title 'reported model (best held-out checkpoint)'
unset output
