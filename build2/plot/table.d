build2/plot/table.o: plot/table.c common/macros.h plot/table.h plot/log.h \
 plot/logread.h plot/threads.h
common/macros.h:
plot/table.h:
plot/log.h:
plot/logread.h:
plot/threads.h:
