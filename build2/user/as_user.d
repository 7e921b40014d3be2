build2/user/as_user.o: user/as_user.c user/as_user.h user/run_as.h \
 user/proc.h
user/as_user.h:
user/run_as.h:
user/proc.h:
