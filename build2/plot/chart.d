build2/plot/chart.o: plot/chart.c plot/chart.h plot/datfile.h \
 plot/layout.h plot/log.h plot/logread.h plot/strip.h plot/table.h \
 plot/threads.h plot/tree.h common/macros.h plot/text.h
plot/chart.h:
plot/datfile.h:
plot/layout.h:
plot/log.h:
plot/logread.h:
plot/strip.h:
plot/table.h:
plot/threads.h:
plot/tree.h:
common/macros.h:
plot/text.h:
