# Cost against size per DMA path, log-log: median of one map+unmap (op
# pair), dir to_device, 1 thread; one panel per path, page (solid), phys
# (dashed) and phys_page (dotted) in each, those the run has.  With 'panel' set (by overview.gp) it draws into
# the region sz_x0, sz_y0, sz_w, sz_h of a multiplot already open.
load gpdir.'/common.gp'
if (!exists('sz_x0')) { sz_x0 = 0.0; sz_y0 = 0.0; sz_w = 1.0; sz_h = 1.0 }
sz_cols = sz_n < 3 ? sz_n : 3
sz_rows = (sz_n + sz_cols - 1) / sz_cols
sz_top = short ? 0.06 : 0.14
if (!short) {
    set multiplot title sprintf("dmabench: cost of one map+unmap against size, to_device, 1 thread\nkernel %s - median %s (log-log) - %s\nsolid: dma_map_page_attrs (page), dashed: dma_map_phys (phys), dotted: page_to_phys + dma_map_phys (phys_page); bars: 95%% interval", \
        t_run, t_unit, t_emu)
} else {
    set label 1 'Cost against size, one panel per path (log-log); solid: page, dashed: phys, dotted: phys_page' \
        at screen sz_x0 + sz_w / 2, screen sz_y0 + sz_h - 0.01 center front
}
set logscale xy
eval sz_xtics
set format y '%.0s%c'
set key top left box opaque samplen 3
set offsets graph 0.05, graph 0.05, graph 0.1, graph 0.1
set xtics font ',9'
set ytics font ',9'
pw = sz_w * 1.0 / sz_cols
ph = sz_h * (1.0 - sz_top) / sz_rows
do for [i=1:sz_n] {
    set origin sz_x0 + ((i - 1) % sz_cols) * pw, \
        sz_y0 + (sz_rows - 1 - (i - 1) / sz_cols) * ph
    set size pw, ph
    set title word(sz_names, i) font ',11'
    set xlabel 'size (bytes)' font ',9'
    set ylabel t_unit font ',9'
    plot for [j=1:sz_na] datadir.'/size.dat' index (i - 1) \
            using 1:(column(3*j-1)):(column(3*j)):(column(3*j+1)) \
            with yerrorlines lw 2 pt (j == 1 ? 7 : j == 2 ? 13 : 9) \
            dt j lc rgb api_color(word(sz_apis, j)) \
            title word(sz_apis, j)
    unset label 1
}
if (!short) { unset multiplot }
