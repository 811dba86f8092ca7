# Redraw with: gnuplot steps_train_loss_noise_c0_synthetic_k1.gp
$d0 << EOD
1 0.99281939232431
30 0.9519931213334509
EOD
$d1 << EOD
1 0.9957399046961999
30 0.9611377568936227
EOD
$d2 << EOD
1 0.9925923493574373
30 0.8961683898232877
EOD
$d3 << EOD
1 0.9915425448105404
30 0.9586179886242189
EOD
$d4 << EOD
1 0.9940399427613544
30 0.9691103914590364
EOD
$d5 << EOD
1 1.00648581009591
30 0.9709724728600122
EOD
$d6 << EOD
30 0.8961683898232877
30 0.9611377568936227
30 0.9691103914590364
30 0.9709724728600122
EOD
set title 'train_loss versus training steps (noise, c = 0): synthetic_k1'."\n".'NOT CONVERGED: linear N = 32' noenhanced tc rgb 'red'
set xlabel 'optimizer steps' noenhanced
set ylabel 'train_loss' noenhanced
set grid
set key outside right top noenhanced opaque
set logscale x
set format x '10^{%L}'
set logscale y
set format y '10^{%L}'
set terminal pngcairo size 1100,600 enhanced font 'Sans,11'
set output 'steps_train_loss_noise_c0_synthetic_k1.png'
plot $d0 using 1:2 with lines lw 2 lc 1 title 'N = 8, GD theory', $d1 using 1:2 with points pt 7 ps 0.9 lc 1 title 'N = 8, linear (exact)', $d2 using 1:2 with linespoints pt 5 ps 0.8 dt 2 lc 1 title 'N = 8, U-Net (MC)', $d3 using 1:2 with lines lw 2 lc 2 title 'N = 32, GD theory', $d4 using 1:2 with points pt 7 ps 0.9 lc 2 title 'N = 32, linear (exact)', $d5 using 1:2 with linespoints pt 5 ps 0.8 dt 2 lc 2 title 'N = 32, U-Net (MC)', $d6 using 1:2 with points pt 6 ps 2.2 lc rgb 'black' title 'reported model (best held-out checkpoint)'
set terminal svg size 1100,600 dynamic enhanced font 'Sans,11'
set output 'steps_train_loss_noise_c0_synthetic_k1.svg'
plot $d0 using 1:2 with lines lw 2 lc 1 title 'N = 8, GD theory', $d1 using 1:2 with points pt 7 ps 0.9 lc 1 title 'N = 8, linear (exact)', $d2 using 1:2 with linespoints pt 5 ps 0.8 dt 2 lc 1 title 'N = 8, U-Net (MC)', $d3 using 1:2 with lines lw 2 lc 2 title 'N = 32, GD theory', $d4 using 1:2 with points pt 7 ps 0.9 lc 2 title 'N = 32, linear (exact)', $d5 using 1:2 with linespoints pt 5 ps 0.8 dt 2 lc 2 title 'N = 32, U-Net (MC)', $d6 using 1:2 with points pt 6 ps 2.2 lc rgb 'black' title 'reported model (best held-out checkpoint)'
unset output
