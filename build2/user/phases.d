build2/user/phases.o: user/phases.c user/phases.h common/phase_cost.h \
 bpf/procmon.h common/safe_text.h
user/phases.h:
common/phase_cost.h:
bpf/procmon.h:
common/safe_text.h:
