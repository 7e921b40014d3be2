build2/plot/stem.o: plot/stem.c plot/stem.h
plot/stem.h:
