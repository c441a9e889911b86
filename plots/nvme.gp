# NVMe workloads of dmabench nvme, per point and DMA path: IOPS (fio's
# IOPS for the same job as black points), whole-system CPU time per I/O,
# the DMA share of non-idle kernel samples and, where a PMU counted them,
# kernel instructions per I/O.  A panel without a single figure says so.
# nvme.dat: the point, then five columns per path (iops, cpu, share, fio,
# kinstr).
load gpdir.'/common.gp'
set multiplot layout 3 + nv_kinstr, 1 title sprintf("dmabench nvme: kernel %s - %s\nbars: one colour per DMA path%s", t_run, wl_emu, nv_fio ? "; black points: fio, same job" : "")
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border rgb '#404040'
set boxwidth 0.95 relative
set yrange [0:*]
set xtics rotate by -20 font ',9'
set key top right horizontal box opaque font ',9'
barx(x, i) = x + (i - (nv_n + 1) / 2.0) / (nv_n + 1.0)
# A panel with no figure: its label, and nothing drawn.
empty(why) = sprintf("set label 1 '%s' at graph 0.5, 0.5 center; unset xtics; unset ytics; plot [0:1] [0:1] NaN notitle; unset label 1; set xtics rotate by -20 font ',9'; set ytics nomirror", why)
set ylabel 'I/O per second'
if (nv_fio) {
    plot for [i=1:nv_n] datadir.'/nvme.dat' using (column(5*i-3)):xtic(1) \
            lc rgb path_color(word(nv_paths, i)) title word(nv_paths, i), \
         for [i=1:nv_n] datadir.'/nvme.dat' \
            using (barx($0, i)):(column(5*i)) \
            with points pt 7 ps 0.8 lc rgb 'black' notitle
} else {
    plot for [i=1:nv_n] datadir.'/nvme.dat' using (column(5*i-3)):xtic(1) \
            lc rgb path_color(word(nv_paths, i)) title word(nv_paths, i)
}
unset key
set ylabel sprintf('busy CPU %s per I/O', nv_unit)
if (nv_cpu) {
    plot for [i=1:nv_n] datadir.'/nvme.dat' using (column(5*i-2)):xtic(1) \
            lc rgb path_color(word(nv_paths, i)) notitle
} else {
    eval empty('no point ran long enough for busy time per I/O (workload.csv notes)')
}
set ylabel sprintf("DMA share of kernel\nsamples, %% (%s)", nv_source)
if (nv_share) {
    plot for [i=1:nv_n] datadir.'/nvme.dat' using (column(5*i-1)):xtic(1) \
            lc rgb path_color(word(nv_paths, i)) notitle
} else {
    eval empty('no point had enough samples for the DMA share (workload.csv notes)')
}
if (nv_kinstr) {
    set ylabel "kernel instructions\nper I/O (PMU)"
    plot for [i=1:nv_n] datadir.'/nvme.dat' using (column(5*i+1)):xtic(1) \
            lc rgb path_color(word(nv_paths, i)) notitle
}
unset multiplot
