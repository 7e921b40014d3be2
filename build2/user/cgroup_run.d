build2/user/cgroup_run.o: user/cgroup_run.c user/as_user.h user/run_as.h \
 user/cgroup_run.h user/cgroup.h user/checks.h user/options.h \
 user/metrics_http.h user/metrics.h common/safe_text.h user/session.h \
 user/labels.h user/link_reaper.h user/logformat.h bpf/procmon.h \
 user/logline.h user/pidmap.h user/retired.h user/target_brief.h \
 user/targets.h user/phases.h common/phase_cost.h user/proc.h \
 user/tracer.h
user/as_user.h:
user/run_as.h:
user/cgroup_run.h:
user/cgroup.h:
user/checks.h:
user/options.h:
user/metrics_http.h:
user/metrics.h:
common/safe_text.h:
user/session.h:
user/labels.h:
user/link_reaper.h:
user/logformat.h:
bpf/procmon.h:
user/logline.h:
user/pidmap.h:
user/retired.h:
user/target_brief.h:
user/targets.h:
user/phases.h:
common/phase_cost.h:
user/proc.h:
user/tracer.h:
