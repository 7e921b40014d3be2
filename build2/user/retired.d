build2/user/retired.o: user/retired.c user/retired.h user/target_brief.h \
 user/targets.h user/logformat.h bpf/procmon.h user/phases.h \
 common/phase_cost.h user/proc.h
user/retired.h:
user/target_brief.h:
user/targets.h:
user/logformat.h:
bpf/procmon.h:
user/phases.h:
common/phase_cost.h:
user/proc.h:
