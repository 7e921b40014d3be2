build2/user/logcache.o: user/logcache.c common/decimal.h user/logformat.h \
 bpf/procmon.h user/logkeys.h
common/decimal.h:
user/logformat.h:
bpf/procmon.h:
user/logkeys.h:
