build2/plot/names.o: plot/names.c plot/names.h plot/log.h plot/logread.h \
 plot/text.h
plot/names.h:
plot/log.h:
plot/logread.h:
plot/text.h:
