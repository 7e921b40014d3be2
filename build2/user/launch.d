build2/user/launch.o: user/launch.c user/launch.h user/run_as.h \
 user/proc.h
user/launch.h:
user/run_as.h:
user/proc.h:
