build2/user/targets.o: user/targets.c user/cgroup_run.h user/cgroup.h \
 user/run_as.h common/clock.h common/pidfd.h user/pidmap.h \
 user/sampling.h user/logformat.h bpf/procmon.h user/logline.h \
 user/options.h user/metrics_http.h user/metrics.h user/targets.h \
 user/phases.h common/phase_cost.h user/proc.h user/session.h \
 user/labels.h user/link_reaper.h user/retired.h user/target_brief.h \
 user/tracer.h user/tracees.h
user/cgroup_run.h:
user/cgroup.h:
user/run_as.h:
common/clock.h:
common/pidfd.h:
user/pidmap.h:
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
user/retired.h:
user/target_brief.h:
user/tracer.h:
user/tracees.h:
