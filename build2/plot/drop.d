build2/plot/drop.o: plot/drop.c plot/drop.h user/run_as.h
plot/drop.h:
user/run_as.h:
