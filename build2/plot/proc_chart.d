build2/plot/proc_chart.o: plot/proc_chart.c common/macros.h plot/names.h \
 plot/log.h plot/logread.h plot/proc_chart.h plot/chart.h plot/datfile.h \
 plot/layout.h plot/strip.h plot/table.h plot/threads.h plot/tree.h \
 plot/text.h
common/macros.h:
plot/names.h:
plot/log.h:
plot/logread.h:
plot/proc_chart.h:
plot/chart.h:
plot/datfile.h:
plot/layout.h:
plot/strip.h:
plot/table.h:
plot/threads.h:
plot/tree.h:
plot/text.h:
