build2/plot/compare.o: plot/compare.c plot/chart.h plot/datfile.h \
 plot/layout.h plot/log.h plot/logread.h plot/strip.h plot/table.h \
 plot/threads.h plot/tree.h plot/compare.h plot/hover.h common/macros.h \
 plot/outdir.h plot/render.h plot/text.h
plot/chart.h:
plot/datfile.h:
plot/layout.h:
plot/log.h:
plot/logread.h:
plot/strip.h:
plot/table.h:
plot/threads.h:
plot/tree.h:
plot/compare.h:
plot/hover.h:
common/macros.h:
plot/outdir.h:
plot/render.h:
plot/text.h:
