build2/plot/plot.o: plot/plot.c plot/drop.h plot/gnuplot.h plot/log.h \
 plot/logread.h plot/outdir.h plot/plot.h plot/compare.h plot/index.h \
 plot/render.h plot/stem.h plot/text.h
plot/drop.h:
plot/gnuplot.h:
plot/log.h:
plot/logread.h:
plot/outdir.h:
plot/plot.h:
plot/compare.h:
plot/index.h:
plot/render.h:
plot/stem.h:
plot/text.h:
