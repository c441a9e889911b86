# page vs phys (and single, resource, iova) per DMA path: median of one
# map+unmap (op pair), dir to_device, pattern pair, 1 thread, at the size
# closest to 4 KiB; grouped bars with the 95% interval of the median.
load gpdir.'/common.gp'
# overview.gp gives the region to draw into
if (exists('pp_y0')) { set origin 0.0, pp_y0; set size 1.0, pp_h }
if (short) {
    set title sprintf("Cost of one map+unmap at %s, by path and api (%s)", \
        pp_size, pp_ci)
} else {
    set title sprintf("dmabench: one map+unmap (op pair) at %s, to_device, 1 thread\nkernel %s - median %s - %s\n%s", \
        pp_size, t_run, t_unit, t_emu, pp_ci." - no bar: unsupported or refused on that path")
}
set style data histograms
set style histogram errorbars gap 1 lw 1
set style fill solid 0.85 border rgb '#404040'
set boxwidth 0.95 relative
set ylabel sprintf('median %s per map+unmap', t_unit)
set xlabel 'DMA path'
set yrange [0:*]
set offsets 0, 0, graph 0.12, 0
set key top left horizontal title 'api' box opaque
# Where bar i (1..pp_n) of row x sits with "gap 1".
barx(x, i) = x + (i - (pp_n + 1) / 2.0) / (pp_n + 1.0)
plot for [i=1:pp_n] datadir.'/pagephys.dat' \
        using (column(3*i-1)):(column(3*i)):(column(3*i+1)):xtic(1) \
        lc rgb api_color(word(pp_apis, i)) title word(pp_apis, i), \
     for [i=1:pp_n] datadir.'/pagephys.dat' \
        using (barx($0, i)):(column(3*i+1)):(sprintf('%.0f', column(3*i-1))) \
        with labels rotate by 90 left offset 0, 0.4 font ',8' notitle
