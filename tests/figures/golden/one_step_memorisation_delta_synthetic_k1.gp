# Redraw with: gnuplot one_step_memorisation_delta_synthetic_k1.gp
$d0 << EOD
8 -0.10279359765368223
16 -0.03336545943678443
EOD
$d1 << EOD
8 -0.10279359765368223
16 -0.03336545943678443
EOD
$d2 << EOD
8 0.01633259847257168
16 -0.013401969746830278
EOD
set title 'Halder''s one-step model: Delta = dist(gen, train) - dist(gen, fresh); < 0: memorising (synthetic_k1, d = 4)' noenhanced
set xlabel 'training samples N' noenhanced
set ylabel 'memorisation_delta' noenhanced
set grid
set key top right noenhanced opaque
set logscale x
set format x '10^{%L}'
set terminal pngcairo size 1100,600 enhanced font 'Sans,11'
set output 'one_step_memorisation_delta_synthetic_k1.png'
plot $d0 using 1:2 with linespoints pt 7 ps 1 lw 2 lc 1 title 'median over draws', $d1 using 1:2 with lines dt 3 lw 1 lc 1 title '25% quantile', $d2 using 1:2 with lines dt 3 lw 1 lc 1 title '75% quantile'
set terminal svg size 1100,600 dynamic enhanced font 'Sans,11'
set output 'one_step_memorisation_delta_synthetic_k1.svg'
plot $d0 using 1:2 with linespoints pt 7 ps 1 lw 2 lc 1 title 'median over draws', $d1 using 1:2 with lines dt 3 lw 1 lc 1 title '25% quantile', $d2 using 1:2 with lines dt 3 lw 1 lc 1 title '75% quantile'
unset output
