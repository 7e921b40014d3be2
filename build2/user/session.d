build2/user/session.o: user/session.c common/clock.h user/events.h \
 user/fail.h user/sampling.h user/logformat.h bpf/procmon.h \
 user/logline.h user/options.h user/metrics_http.h user/metrics.h \
 user/targets.h user/phases.h common/phase_cost.h user/proc.h \
 user/session.h user/labels.h user/link_reaper.h user/pidmap.h \
 user/retired.h user/target_brief.h user/tracer.h user/status.h \
 user/children_scan.h user/summary_tree.h user/tracees.h
common/clock.h:
user/events.h:
user/fail.h:
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
user/proc.h:
user/session.h:
user/labels.h:
user/link_reaper.h:
user/pidmap.h:
user/retired.h:
user/target_brief.h:
user/tracer.h:
user/status.h:
user/children_scan.h:
user/summary_tree.h:
user/tracees.h:
