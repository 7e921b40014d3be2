build2/plot/gnuplot.o: plot/gnuplot.c common/clock.h plot/gnuplot.h \
 common/path_search.h
common/clock.h:
plot/gnuplot.h:
common/path_search.h:
