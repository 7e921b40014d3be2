build2/user/children_scan.o: user/children_scan.c user/children_scan.h \
 user/proc.h user/session.h user/labels.h user/link_reaper.h \
 user/logformat.h bpf/procmon.h user/logline.h user/options.h \
 user/metrics_http.h user/metrics.h user/pidmap.h user/retired.h \
 user/target_brief.h user/targets.h user/phases.h common/phase_cost.h \
 user/tracer.h
user/children_scan.h:
user/proc.h:
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
user/tracer.h:
