build2/plot/threads.o: plot/threads.c plot/text.h plot/threads.h \
 plot/log.h plot/logread.h
plot/text.h:
plot/threads.h:
plot/log.h:
plot/logread.h:
