# Redraw with: gnuplot one_step_kl_data_model_per_dim_synthetic_k1.gp
$d0 << EOD
8 157.30404752602686
16 14.843726295179302
EOD
$d1 << EOD
8 157.30404752602686
16 14.843726295179302
EOD
$d2 << EOD
8 290.04594599295314
16 52.654569976696024
EOD
set title 'Halder''s one-step model: KL(data || model) / d (synthetic_k1, d = 4)' noenhanced
set xlabel 'training samples N' noenhanced
set ylabel 'kl_data_model_per_dim' noenhanced
set grid
set key top right noenhanced opaque
set logscale x
set format x '10^{%L}'
set logscale y
set format y '10^{%L}'
set terminal pngcairo size 1100,600 enhanced font 'Sans,11'
set output 'one_step_kl_data_model_per_dim_synthetic_k1.png'
plot $d0 using 1:2 with linespoints pt 7 ps 1 lw 2 lc 1 title 'median over draws', $d1 using 1:2 with lines dt 3 lw 1 lc 1 title '25% quantile', $d2 using 1:2 with lines dt 3 lw 1 lc 1 title '75% quantile'
set terminal svg size 1100,600 dynamic enhanced font 'Sans,11'
set output 'one_step_kl_data_model_per_dim_synthetic_k1.svg'
plot $d0 using 1:2 with linespoints pt 7 ps 1 lw 2 lc 1 title 'median over draws', $d1 using 1:2 with lines dt 3 lw 1 lc 1 title '25% quantile', $d2 using 1:2 with lines dt 3 lw 1 lc 1 title '75% quantile'
unset output
