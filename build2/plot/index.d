build2/plot/index.o: plot/index.c plot/index.h plot/log.h plot/logread.h \
 plot/names.h
plot/index.h:
plot/log.h:
plot/logread.h:
plot/names.h:
