build2/user/cgroup.o: user/cgroup.c user/as_user.h user/run_as.h \
 user/cgroup.h
user/as_user.h:
user/run_as.h:
user/cgroup.h:
