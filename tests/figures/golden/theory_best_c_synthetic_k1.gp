# Redraw with: gnuplot theory_best_c_synthetic_k1.gp
$d0 << EOD
8 0.10000000000000003
EOD
$d1 << EOD
8 0.005623413251903492
EOD
$d2 << EOD
8 0.5623413251903492
32 0.02371373705661656
EOD
$d3 << EOD
8 0.5623413251903492
32 0.02371373705661656
EOD
set title 'Best regularisation c versus N (c = 0 not drawn): synthetic_k1' noenhanced
set xlabel 'training samples N' noenhanced
set ylabel 'best c' noenhanced
set grid
set key top right noenhanced opaque
set logscale x
set format x '10^{%L}'
set logscale y
set format y '10^{%L}'
set terminal pngcairo size 1100,600 enhanced font 'Sans,11'
set output 'theory_best_c_synthetic_k1.png'
plot $d0 using 1:2 with linespoints pt 7 ps 0.8 lw 2 title 'minimises kl_data_model', $d1 using 1:2 with linespoints pt 7 ps 0.8 lw 2 title 'minimises kl_model_data', $d2 using 1:2 with linespoints pt 6 ps 0.8 lw 1 title 'minimises test loss (noise)', $d3 using 1:2 with linespoints pt 6 ps 0.8 lw 1 title 'minimises test loss (data)'
set terminal svg size 1100,600 dynamic enhanced font 'Sans,11'
set output 'theory_best_c_synthetic_k1.svg'
plot $d0 using 1:2 with linespoints pt 7 ps 0.8 lw 2 title 'minimises kl_data_model', $d1 using 1:2 with linespoints pt 7 ps 0.8 lw 2 title 'minimises kl_model_data', $d2 using 1:2 with linespoints pt 6 ps 0.8 lw 1 title 'minimises test loss (noise)', $d3 using 1:2 with linespoints pt 6 ps 0.8 lw 1 title 'minimises test loss (data)'
unset output
