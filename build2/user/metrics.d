build2/user/metrics.o: user/metrics.c user/metrics.h common/utf8.h
user/metrics.h:
common/utf8.h:
