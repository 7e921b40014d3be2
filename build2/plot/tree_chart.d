build2/plot/tree_chart.o: plot/tree_chart.c common/macros.h plot/strip.h \
 plot/log.h plot/logread.h plot/names.h plot/text.h plot/tree_chart.h \
 plot/chart.h plot/datfile.h plot/layout.h plot/table.h plot/threads.h \
 plot/tree.h
common/macros.h:
plot/strip.h:
plot/log.h:
plot/logread.h:
plot/names.h:
plot/text.h:
plot/tree_chart.h:
plot/chart.h:
plot/datfile.h:
plot/layout.h:
plot/table.h:
plot/threads.h:
plot/tree.h:
