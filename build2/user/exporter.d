build2/user/exporter.o: user/exporter.c common/clock.h user/exporter.h \
 user/logformat.h bpf/procmon.h user/metrics_http.h user/metrics.h \
 user/targets.h user/phases.h common/phase_cost.h user/proc.h
common/clock.h:
user/exporter.h:
user/logformat.h:
bpf/procmon.h:
user/metrics_http.h:
user/metrics.h:
user/targets.h:
user/phases.h:
common/phase_cost.h:
user/proc.h:
