build2/plot/render.o: plot/render.c plot/datfile.h plot/layout.h \
 plot/log.h plot/logread.h plot/strip.h plot/table.h plot/threads.h \
 plot/tree.h plot/gnuplot.h plot/hover.h plot/outdir.h plot/phase_table.h \
 common/phase_cost.h plot/proc_chart.h plot/chart.h plot/render.h \
 plot/text.h plot/tree_chart.h
plot/datfile.h:
plot/layout.h:
plot/log.h:
plot/logread.h:
plot/strip.h:
plot/table.h:
plot/threads.h:
plot/tree.h:
plot/gnuplot.h:
plot/hover.h:
plot/outdir.h:
plot/phase_table.h:
common/phase_cost.h:
plot/proc_chart.h:
plot/chart.h:
plot/render.h:
plot/text.h:
plot/tree_chart.h:
