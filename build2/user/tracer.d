build2/user/tracer.o: user/tracer.c common/clock.h common/pidfd.h \
 build2/procmon.lskel.h user/proc.h user/tracer.h bpf/procmon.h
common/clock.h:
common/pidfd.h:
build2/procmon.lskel.h:
user/proc.h:
user/tracer.h:
bpf/procmon.h:
