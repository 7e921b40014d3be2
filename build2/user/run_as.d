build2/user/run_as.o: user/run_as.c user/run_as.h
user/run_as.h:
