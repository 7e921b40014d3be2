build2/user/threads.o: user/threads.c user/logformat.h bpf/procmon.h \
 user/proc.h user/threads.h common/utf8.h
user/logformat.h:
bpf/procmon.h:
user/proc.h:
user/threads.h:
common/utf8.h:
