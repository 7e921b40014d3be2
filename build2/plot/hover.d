build2/plot/hover.o: plot/hover.c plot/hover.h plot/layout.h plot/strip.h \
 plot/log.h plot/logread.h plot/outdir.h
plot/hover.h:
plot/layout.h:
plot/strip.h:
plot/log.h:
plot/logread.h:
plot/outdir.h:
