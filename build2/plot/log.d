build2/plot/log.o: plot/log.c plot/log.h plot/logread.h plot/text.h
plot/log.h:
plot/logread.h:
plot/text.h:
