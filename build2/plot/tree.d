build2/plot/tree.o: plot/tree.c common/macros.h plot/table.h plot/log.h \
 plot/logread.h plot/threads.h plot/tree.h
common/macros.h:
plot/table.h:
plot/log.h:
plot/logread.h:
plot/threads.h:
plot/tree.h:
