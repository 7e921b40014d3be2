build2/user/privs.o: user/privs.c user/privs.h
user/privs.h:
