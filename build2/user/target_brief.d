build2/user/target_brief.o: user/target_brief.c user/target_brief.h \
 user/targets.h user/logformat.h bpf/procmon.h user/phases.h \
 common/phase_cost.h user/proc.h
user/target_brief.h:
user/targets.h:
user/logformat.h:
bpf/procmon.h:
user/phases.h:
common/phase_cost.h:
user/proc.h:
