build2/user/main.o: user/main.c user/cgroup_run.h user/cgroup.h \
 user/run_as.h user/checks.h user/options.h user/metrics_http.h \
 user/metrics.h common/clock.h user/exporter.h user/logformat.h \
 bpf/procmon.h user/fail.h user/launch.h user/output.h plot/plot.h \
 user/privs.h common/safe_text.h user/session.h user/labels.h \
 user/link_reaper.h user/logline.h user/pidmap.h user/retired.h \
 user/target_brief.h user/targets.h user/phases.h common/phase_cost.h \
 user/proc.h user/tracer.h user/status.h user/summary.h user/tracees.h
user/cgroup_run.h:
user/cgroup.h:
user/run_as.h:
user/checks.h:
user/options.h:
user/metrics_http.h:
user/metrics.h:
common/clock.h:
user/exporter.h:
user/logformat.h:
bpf/procmon.h:
user/fail.h:
user/launch.h:
user/output.h:
plot/plot.h:
user/privs.h:
common/safe_text.h:
user/session.h:
user/labels.h:
user/link_reaper.h:
user/logline.h:
user/pidmap.h:
user/retired.h:
user/target_brief.h:
user/targets.h:
user/phases.h:
common/phase_cost.h:
user/proc.h:
user/tracer.h:
user/status.h:
user/summary.h:
user/tracees.h:
