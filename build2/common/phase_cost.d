build2/common/phase_cost.o: common/phase_cost.c common/phase_cost.h
common/phase_cost.h:
