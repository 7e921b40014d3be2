build2/user/pidmap.o: user/pidmap.c user/pidmap.h
user/pidmap.h:
