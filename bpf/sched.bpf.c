// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Scheduler hook: the one thing the kernel does not count without schedstats, a
 * traced thread's off-CPU time split by why it left (blocked in D, sleeping). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "totals.bpf.h"

/* sched_switch(bool preempt, struct task_struct *prev, struct task_struct *next,
 *              unsigned int prev_state) */
#define PROCMON_TASK_UNINTERRUPTIBLE	0x0002
#define PROCMON_TASK_NOLOAD		0x0400	/* with D: TASK_IDLE, not I/O */

static __always_inline __u32 offcpu_kind(bool preempt, unsigned int state)
{
	if (preempt || state == 0)
		return PROCMON_OFFCPU_PREEMPTED;
	if ((state & PROCMON_TASK_UNINTERRUPTIBLE) && !(state & PROCMON_TASK_NOLOAD))
		return PROCMON_OFFCPU_BLOCKED;
	return PROCMON_OFFCPU_SLEEP;
}

/* Only the switch-out of a traced thread does work, and no per-CPU state is
 * touched: an untraced switch costs one bitmap test. How long it ran
 * since it last left, the kernel counted (sum_exec_runtime): the rest of that
 * period it was away, for the reason it left with then. */
SEC("tp_btf/sched_switch")
int BPF_PROG(on_switch, bool preempt, struct task_struct *prev, struct task_struct *next,
	     unsigned int prev_state)
{
	struct procmon_thread *th = traced_thread(prev);

	/* Retired: its exit hook closed its last period, its free adds the rest. */
	if (!th || (th->flags & PROCMON_THREAD_RETIRED))
		return 0;
	close_offcpu(th, bpf_ktime_get_ns(), prev->se.sum_exec_runtime,
		     prev->sched_info.run_delay, false);
	th->off_kind = offcpu_kind(preempt, prev_state);
	return 0;
}
