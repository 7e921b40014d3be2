build2/user/extra_bpf.o: user/extra_bpf.c build2/procmon.lskel.h \
 build2/procmon_extra.skel.h user/tracer.h bpf/procmon.h
build2/procmon.lskel.h:
build2/procmon_extra.skel.h:
user/tracer.h:
bpf/procmon.h:
