# Redraw with: gnuplot one_step_p_delta_positive_synthetic_k1.gp
$d0 << EOD
8 0.3333333333333333
16 0
EOD
$d1 << EOD
8 0.06149194472039615
16 0
EOD
$d2 << EOD
8 0.7923403991979523
16 0.5614970317550455
EOD
set title 'Halder''s one-step model: P(Delta > 0) over draws (synthetic_k1, d = 4)' noenhanced
set xlabel 'training samples N' noenhanced
set ylabel 'P(Delta > 0)' noenhanced
set grid
set key bottom right noenhanced opaque
set logscale x
set format x '10^{%L}'
set yrange [:1]
set terminal pngcairo size 1100,600 enhanced font 'Sans,11'
set output 'one_step_p_delta_positive_synthetic_k1.png'
plot $d0 using 1:2 with linespoints pt 7 ps 1 lw 2 lc 1 title 'P(Delta > 0)', $d1 using 1:2 with lines dt 3 lw 1 lc 1 title '95% Wilson interval', $d2 using 1:2 with lines dt 3 lw 1 lc 1 title ''
set terminal svg size 1100,600 dynamic enhanced font 'Sans,11'
set output 'one_step_p_delta_positive_synthetic_k1.svg'
plot $d0 using 1:2 with linespoints pt 7 ps 1 lw 2 lc 1 title 'P(Delta > 0)', $d1 using 1:2 with lines dt 3 lw 1 lc 1 title '95% Wilson interval', $d2 using 1:2 with lines dt 3 lw 1 lc 1 title ''
unset output
