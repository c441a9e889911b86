# Scaling with threads per DMA path: the rate of all threads together
# against the number of threads, op pair, dir to_device, page and phys.
load gpdir.'/common.gp'
set title sprintf("dmabench: rate against threads at %s, to_device (op pair)\nkernel %s - %s - %s\nsolid: page, dashed: phys", \
    th_size, t_run, th_unit, t_emu)
eval th_xtics
set xlabel 'threads'
set ylabel th_unit." (log)"
set logscale x 2
set logscale y
set format y '%.1s%c'
set offsets graph 0.05, graph 0.05, 0, 0
set key outside right top title 'path/api' box
plot for [i=1:th_n] datadir.'/threads.dat' index (i-1) using 1:2 \
        with linespoints lw 2 pt point_of(word(th_names, i)) \
        dt dash_of(word(th_names, i)) \
        lc rgb path_color(path_of(word(th_names, i))) \
        title word(th_names, i)
