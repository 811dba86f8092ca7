# Redraw with: gnuplot cov_error_synthetic_k1.gp
$d0 << EOD
8 0.26821420344194713
32 0.0875148975483426
EOD
$d1 << EOD
8 0.45846036585365857
32 0.12354706554878049
EOD
set title 'Covariance error: synthetic_k1 (reference: population, exact)' noenhanced
set xlabel 'training samples N' noenhanced
set ylabel '||Sigma0 - Sigma||_F^2 / ||Sigma||_F^2' noenhanced
set grid
set key top right noenhanced opaque
set logscale x
set format x '10^{%L}'
set logscale y
set format y '10^{%L}'
set terminal pngcairo size 1100,600 enhanced font 'Sans,11'
set output 'cov_error_synthetic_k1.png'
plot $d0 using 1:2 with points pt 7 ps 1.2 title 'measured (nested subsets)', $d1 using 1:2 with lines lw 2 title 'Gaussian prediction ((N-1)(1 + d_eff) + 1)/N^2'
set terminal svg size 1100,600 dynamic enhanced font 'Sans,11'
set output 'cov_error_synthetic_k1.svg'
plot $d0 using 1:2 with points pt 7 ps 1.2 title 'measured (nested subsets)', $d1 using 1:2 with lines lw 2 title 'Gaussian prediction ((N-1)(1 + d_eff) + 1)/N^2'
unset output
