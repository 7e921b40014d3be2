build2/user/tracees.o: user/tracees.c common/clock.h user/proc.h \
 user/events.h user/sampling.h user/logformat.h bpf/procmon.h \
 user/logline.h user/options.h user/metrics_http.h user/metrics.h \
 user/targets.h user/phases.h common/phase_cost.h user/session.h \
 user/labels.h user/link_reaper.h user/pidmap.h user/retired.h \
 user/target_brief.h user/tracer.h user/tracees.h
common/clock.h:
user/proc.h:
user/events.h:
user/sampling.h:
user/logformat.h:
bpf/procmon.h:
user/logline.h:
user/options.h:
user/metrics_http.h:
user/metrics.h:
user/targets.h:
user/phases.h:
common/phase_cost.h:
user/session.h:
user/labels.h:
user/link_reaper.h:
user/pidmap.h:
user/retired.h:
user/target_brief.h:
user/tracer.h:
user/tracees.h:
