# Settings shared by every dmabench plot; loaded by the others.
# The variables (t_run, t_unit, t_emu, datadir, ...) come from the
# vars.gp that plots/prep.py writes.
reset
set encoding default
set termoption noenhanced
set datafile missing '?'
set grid ytics lc rgb '#d0d0d0'
set border 3
set tics nomirror
set key noenhanced
# One colour per api, the same in every plot.
api_color(a) = a eq 'page' ? '#1f77b4' : a eq 'phys' ? '#d62728' : \
    a eq 'single' ? '#2ca02c' : a eq 'resource' ? '#9467bd' : \
    a eq 'iova' ? '#ff7f0e' : a eq 'phys_page' ? '#8c564b' : '#7f7f7f'
# One colour per path.
path_color(p) = p eq 'direct' ? '#1f77b4' : p eq 'swiotlb' ? '#ff7f0e' : \
    p eq 'iommu-strict' ? '#2ca02c' : p eq 'iommu-lazy' ? '#d62728' : \
    p eq 'iommu-identity' ? '#9467bd' : '#7f7f7f'
path_of(n) = n[1:strstrt(n, '/') - 1]
api_of(n) = n[strstrt(n, '/') + 1:]
short = exists('panel') ? panel : 0
# page drawn solid with filled circles, the other api dashed with
# filled diamonds.
dash_of(n) = api_of(n) eq 'page' ? 1 : 2
point_of(n) = api_of(n) eq 'page' ? 7 : 13
