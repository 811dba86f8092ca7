# Redraw with: gnuplot one_step_hellinger_squared_synthetic_k1.gp
$d0 << EOD
8 0.8566396667334215
16 0.6830950498396726
EOD
$d1 << EOD
8 0.8566396667334215
16 0.6830950498396726
EOD
$d2 << EOD
8 0.8686131185255245
16 0.7945089518343962
EOD
set title 'Halder''s one-step model: squared Hellinger distance to the data (synthetic_k1, d = 4)' noenhanced
set xlabel 'training samples N' noenhanced
set ylabel 'hellinger_squared' noenhanced
set grid
set key top right noenhanced opaque
set logscale x
set format x '10^{%L}'
set terminal pngcairo size 1100,600 enhanced font 'Sans,11'
set output 'one_step_hellinger_squared_synthetic_k1.png'
plot $d0 using 1:2 with linespoints pt 7 ps 1 lw 2 lc 1 title 'median over draws', $d1 using 1:2 with lines dt 3 lw 1 lc 1 title '25% quantile', $d2 using 1:2 with lines dt 3 lw 1 lc 1 title '75% quantile'
set terminal svg size 1100,600 dynamic enhanced font 'Sans,11'
set output 'one_step_hellinger_squared_synthetic_k1.svg'
plot $d0 using 1:2 with linespoints pt 7 ps 1 lw 2 lc 1 title 'median over draws', $d1 using 1:2 with lines dt 3 lw 1 lc 1 title '25% quantile', $d2 using 1:2 with lines dt 3 lw 1 lc 1 title '75% quantile'
unset output
