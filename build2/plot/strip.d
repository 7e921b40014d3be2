build2/plot/strip.o: plot/strip.c plot/names.h plot/log.h plot/logread.h \
 plot/strip.h plot/text.h plot/tree.h
plot/names.h:
plot/log.h:
plot/logread.h:
plot/strip.h:
plot/text.h:
plot/tree.h:
