build2/user/sampling.o: user/sampling.c user/cgroup_run.h user/cgroup.h \
 user/run_as.h user/children_scan.h common/clock.h user/exporter.h \
 user/logformat.h bpf/procmon.h user/metrics_http.h user/metrics.h \
 user/summary_tree.h user/sampling.h user/logline.h user/options.h \
 user/targets.h user/phases.h common/phase_cost.h user/proc.h \
 user/session.h user/labels.h user/link_reaper.h user/pidmap.h \
 user/retired.h user/target_brief.h user/tracer.h user/threads.h
user/cgroup_run.h:
user/cgroup.h:
user/run_as.h:
user/children_scan.h:
common/clock.h:
user/exporter.h:
user/logformat.h:
bpf/procmon.h:
user/metrics_http.h:
user/metrics.h:
user/summary_tree.h:
user/sampling.h:
user/logline.h:
user/options.h:
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
user/threads.h:
