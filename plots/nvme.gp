# NVMe workloads of dmabench nvme, per point and DMA path: IOPS (fio's
# IOPS for the same job as black points), whole-system CPU time per I/O,
# and the DMA share of non-idle kernel samples.
load gpdir.'/common.gp'
set multiplot layout 3, 1 title sprintf("dmabench nvme: kernel %s - %s\nbars: one colour per DMA path%s", t_run, wl_emu, nv_fio ? "; black points: fio, same job" : "")
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border rgb '#404040'
set boxwidth 0.95 relative
set yrange [0:*]
set xtics rotate by -20 font ',9'
set key top right horizontal box opaque font ',9'
barx(x, i) = x + (i - (nv_n + 1) / 2.0) / (nv_n + 1.0)
set ylabel 'I/O per second'
if (nv_fio) {
    plot for [i=1:nv_n] datadir.'/nvme.dat' using (column(4*i-2)):xtic(1) \
            lc rgb path_color(word(nv_paths, i)) title word(nv_paths, i), \
         for [i=1:nv_n] datadir.'/nvme.dat' \
            using (barx($0, i)):(column(4*i+1)) \
            with points pt 7 ps 0.8 lc rgb 'black' notitle
} else {
    plot for [i=1:nv_n] datadir.'/nvme.dat' using (column(4*i-2)):xtic(1) \
            lc rgb path_color(word(nv_paths, i)) title word(nv_paths, i)
}
unset key
set ylabel sprintf('busy CPU %s per I/O', nv_unit)
plot for [i=1:nv_n] datadir.'/nvme.dat' using (column(4*i-1)):xtic(1) \
        lc rgb path_color(word(nv_paths, i)) notitle
set ylabel sprintf("DMA share of kernel\nsamples, %% (%s)", nv_source)
plot for [i=1:nv_n] datadir.'/nvme.dat' using (column(4*i)):xtic(1) \
        lc rgb path_color(word(nv_paths, i)) notitle
unset multiplot
