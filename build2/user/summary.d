build2/user/summary.o: user/summary.c common/clock.h common/safe_text.h \
 user/session.h user/labels.h user/link_reaper.h user/logformat.h \
 bpf/procmon.h user/logline.h user/options.h user/metrics_http.h \
 user/metrics.h user/pidmap.h user/retired.h user/target_brief.h \
 user/targets.h user/phases.h common/phase_cost.h user/proc.h \
 user/tracer.h user/summary.h user/summary_tree.h user/children_scan.h
common/clock.h:
common/safe_text.h:
user/session.h:
user/labels.h:
user/link_reaper.h:
user/logformat.h:
bpf/procmon.h:
user/logline.h:
user/options.h:
user/metrics_http.h:
user/metrics.h:
user/pidmap.h:
user/retired.h:
user/target_brief.h:
user/targets.h:
user/phases.h:
common/phase_cost.h:
user/proc.h:
user/tracer.h:
user/summary.h:
user/summary_tree.h:
user/children_scan.h:
