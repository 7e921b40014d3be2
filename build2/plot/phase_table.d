build2/plot/phase_table.o: plot/phase_table.c common/phase_cost.h \
 plot/phase_table.h plot/log.h plot/logread.h plot/text.h
common/phase_cost.h:
plot/phase_table.h:
plot/log.h:
plot/logread.h:
plot/text.h:
