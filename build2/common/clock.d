build2/common/clock.o: common/clock.c common/clock.h
common/clock.h:
