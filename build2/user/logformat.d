build2/user/logformat.o: user/logformat.c common/clock.h common/decimal.h \
 user/logformat.h bpf/procmon.h user/logkeys.h
common/clock.h:
common/decimal.h:
user/logformat.h:
bpf/procmon.h:
user/logkeys.h:
