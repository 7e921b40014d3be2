build2/plot/outdir.o: plot/outdir.c plot/outdir.h plot/text.h
plot/outdir.h:
plot/text.h:
