build2/user/status.o: user/status.c common/clock.h common/safe_text.h \
 user/sampling.h user/logformat.h bpf/procmon.h user/logline.h \
 user/options.h user/metrics_http.h user/metrics.h user/targets.h \
 user/phases.h common/phase_cost.h user/proc.h user/session.h \
 user/labels.h user/link_reaper.h user/pidmap.h user/retired.h \
 user/target_brief.h user/tracer.h user/status.h
common/clock.h:
common/safe_text.h:
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
