# One page for a maintainer: page vs phys per path (top) and cost against
# size per path (bottom), the run's provenance in the title.
panel = 1
set multiplot title sprintf("dmabench %s - kernel %s - unit: %s - %s", \
    t_runname, t_run, t_unit, t_emu) noenhanced
pp_y0 = 0.56; pp_h = 0.40
load gpdir.'/pagephys.gp'
sz_x0 = 0.0; sz_y0 = 0.0; sz_w = 1.0; sz_h = 0.55
load gpdir.'/size.gp'
unset multiplot
