# Kernel A (BASE) against kernel B (RUN) per DMA path: B/A of the medians
# per api at the size closest to 4 KiB, op pair, to_device, 1 thread;
# one point per api and path, with the interval when there is one.
load gpdir.'/common.gp'
set title sprintf("dmabench: kernel %s (B) / kernel %s (A), one map+unmap at %s\nto_device, 1 thread - ratio of medians in %s - %s\n%s; below 1: B is faster", \
    t_run, t_base, ra_size, t_unit, t_emu, ra_how)
set ylabel 'B / A (ratio of medians)'
set xlabel 'DMA path'
set key outside right top title 'api' box
set offsets 0, 0, graph 0.1, graph 0.1
set xtics scale 0
eval ra_xtics
set xrange [-0.5:ra_npaths - 0.5]
set arrow from graph 0, first 1 to graph 1, first 1 nohead lw 1.5 lc rgb '#000000' back
# Where api i (1..ra_n) of row x sits.
apix(x, i) = x + (i - (ra_n + 1) / 2.0) / (ra_n + 1.0)
plot for [i=1:ra_n] datadir.'/ratio.dat' \
        using (apix($0, i)):(column(3*i-1)):(column(3*i)):(column(3*i+1)) \
        with yerrorbars pt 7 ps 1.5 lw 2 \
        lc rgb api_color(word(ra_apis, i)) title word(ra_apis, i)
