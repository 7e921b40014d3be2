build2/plot/datfile.o: plot/datfile.c plot/datfile.h plot/layout.h \
 plot/log.h plot/logread.h plot/strip.h plot/table.h plot/threads.h \
 plot/tree.h plot/text.h
plot/datfile.h:
plot/layout.h:
plot/log.h:
plot/logread.h:
plot/strip.h:
plot/table.h:
plot/threads.h:
plot/tree.h:
plot/text.h:
