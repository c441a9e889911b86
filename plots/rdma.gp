# RDMA memory registration (ibv_reg_mr): median cost per 4 KiB page
# against the size registered, per path and buffer kind (huge pages
# dashed).
load gpdir.'/common.gp'
set title sprintf("dmabench rdma: ibv_reg_mr, median %s per 4 KiB page\nkernel %s - %s", rd_unit, t_run, wl_emu)
eval rd_xtics
set xlabel 'bytes registered'
set ylabel sprintf('%s per page (log)', rd_unit)
set logscale x 2
set logscale y
set key outside right top title 'path/buffers' box
# huge pages dashed with diamonds, normal pages solid with circles
rd_dash(n) = strstrt(n, '/huge') > 0 ? 2 : 1
rd_point(n) = strstrt(n, '/huge') > 0 ? 13 : 7
plot for [i=1:rd_n] datadir.'/rdma.dat' index (i-1) using 1:2 \
        with linespoints lw 2 pt rd_point(word(rd_names, i)) \
        dt rd_dash(word(rd_names, i)) \
        lc rgb path_color(path_of(word(rd_names, i))) \
        title word(rd_names, i)
