# Redraw with: gnuplot memorisation_noise_c0_synthetic_k1.gp
$d0 << EOD
8 0.03125
32 0
EOD
$d1 << EOD
8 0
32 0
EOD
$d2 << EOD
8 0.078125
32 0
EOD
$d3 << EOD
8 0.03125
32 0
EOD
$d4 << EOD
8 0
32 0
EOD
$d5 << EOD
8 0.078125
32 0
EOD
set title 'Near-copies of training images (d1/d2 < ratio) versus N (noise): synthetic_k1, d = 4'."\n".'NOT CONVERGED: linear N = 32' noenhanced tc rgb 'red'
set xlabel 'training samples N' noenhanced
set ylabel 'fraction of samples' noenhanced
set grid
set key outside right top noenhanced opaque
set logscale x
set format x '10^{%L}'
set yrange [:1.05]
set terminal pngcairo size 1100,600 enhanced font 'Sans,11'
set output 'memorisation_noise_c0_synthetic_k1.png'
plot $d0 using 1:2 with linespoints pt 7 ps 1 lw 2 lc 1 title 'linear', $d1 using 1:2 with lines dt 3 lw 1 lc 1 title 'linear (95% lower)', $d2 using 1:2 with lines dt 3 lw 1 lc 1 title 'linear (95% upper)', $d3 using 1:2 with linespoints pt 7 ps 1 lw 2 lc 2 title 'U-Net', $d4 using 1:2 with lines dt 3 lw 1 lc 2 title 'U-Net (95% lower)', $d5 using 1:2 with lines dt 3 lw 1 lc 2 title 'U-Net (95% upper)'
set terminal svg size 1100,600 dynamic enhanced font 'Sans,11'
set output 'memorisation_noise_c0_synthetic_k1.svg'
plot $d0 using 1:2 with linespoints pt 7 ps 1 lw 2 lc 1 title 'linear', $d1 using 1:2 with lines dt 3 lw 1 lc 1 title 'linear (95% lower)', $d2 using 1:2 with lines dt 3 lw 1 lc 1 title 'linear (95% upper)', $d3 using 1:2 with linespoints pt 7 ps 1 lw 2 lc 2 title 'U-Net', $d4 using 1:2 with lines dt 3 lw 1 lc 2 title 'U-Net (95% lower)', $d5 using 1:2 with lines dt 3 lw 1 lc 2 title 'U-Net (95% upper)'
unset output
