build2/plot/logread.o: plot/logread.c plot/logread.h
plot/logread.h:
