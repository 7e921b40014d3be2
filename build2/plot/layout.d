build2/plot/layout.o: plot/layout.c plot/layout.h plot/strip.h plot/log.h \
 plot/logread.h
plot/layout.h:
plot/strip.h:
plot/log.h:
plot/logread.h:
