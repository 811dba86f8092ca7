# Redraw with: gnuplot spectra.gp
$d0 << EOD
1 0.37831482962228535
2 0.27970485796145766
3 0.2009293542686598
4 0.1410509581475972
EOD
set title 'Normalised covariance spectra (training sets)' noenhanced
set xlabel 'rank nu' noenhanced
set ylabel 'lambda_nu / Tr Sigma0' noenhanced
set grid
set key bottom left noenhanced opaque
set logscale x
set format x '10^{%L}'
set logscale y
set format y '10^{%L}'
set terminal pngcairo size 1100,600 enhanced font 'Sans,11'
set output 'spectra.png'
plot $d0 using 1:2 with lines lw 2 title 'synthetic_k1 (d = 4, d_eff = 3.6, k = 0.69)'
set terminal svg size 1100,600 dynamic enhanced font 'Sans,11'
set output 'spectra.svg'
plot $d0 using 1:2 with lines lw 2 title 'synthetic_k1 (d = 4, d_eff = 3.6, k = 0.69)'
unset output
