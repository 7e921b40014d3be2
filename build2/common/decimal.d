build2/common/decimal.o: common/decimal.c common/decimal.h
common/decimal.h:
