# Redraw with: gnuplot spectrum_synthetic_k1.gp
$d0 << EOD
1 1.5722212097893113
2 1.1624125615355092
3 0.83503306694549
4 0.5861871930375245
EOD
$d1 << EOD
1 1.9200000000000004
2 0.9600000000000002
3 0.6400000000000001
4 0.4800000000000001
EOD
$d2 << EOD
1 1.679635218781081
4 0.6473598238960053
EOD
set title 'Covariance spectrum: synthetic_k1 (d = 4)' noenhanced
set xlabel 'rank nu' noenhanced
set ylabel 'eigenvalue lambda_nu' noenhanced
set grid
set key bottom left noenhanced opaque
set logscale x
set format x '10^{%L}'
set logscale y
set format y '10^{%L}'
set terminal pngcairo size 1100,600 enhanced font 'Sans,11'
set output 'spectrum_synthetic_k1.png'
plot $d0 using 1:2 with lines lw 2 title 'training set, N = 64, d_eff = 3.55', $d1 using 1:2 with lines lw 2 title 'population (exact), d_eff = 3.05', $d2 using 1:2 with lines dt 2 lw 2 title 'training-set fit: k = 0.688 (ranks 1-4, R^2 = 0.946)'
set terminal svg size 1100,600 dynamic enhanced font 'Sans,11'
set output 'spectrum_synthetic_k1.svg'
plot $d0 using 1:2 with lines lw 2 title 'training set, N = 64, d_eff = 3.55', $d1 using 1:2 with lines lw 2 title 'population (exact), d_eff = 3.05', $d2 using 1:2 with lines dt 2 lw 2 title 'training-set fit: k = 0.688 (ranks 1-4, R^2 = 0.946)'
unset output
