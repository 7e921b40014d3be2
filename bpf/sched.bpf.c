// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Scheduler hook: harvests a traced thread's kernel counters (on-CPU, run-queue
 * wait, context switches, faults) when it leaves a CPU, and notes when one arrives. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "maps.bpf.h"

/* sched_switch(bool preempt, struct task_struct *prev, struct task_struct *next,
 *              unsigned int prev_state)
 * Runs on every context switch of the machine, so an untraced pair costs two task
 * storage probes that find no storage, and no clock read. A traced thread also
 * gets its off-CPU time split by why it left (preempted, blocked in D, sleeping). The kernel keeps the
 * counters itself (sum_exec_runtime, run_delay, nvcsw...): we only take deltas. */
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

/* A traced thread is back on a CPU: note the time it was away under the reason
 * it left. Thread-local, so no lookup and no atomic here: the next harvest (at
 * its switch-out) moves it to the process. */
static __always_inline void end_offcpu(struct procmon_thread *th, __u64 now)
{
	__u32 kind = th->off_kind;

	if (!th->off_since_ns || now <= th->off_since_ns)
		return;
	if (kind < 3)
		th->off_pending_ns[kind] += now - th->off_since_ns;
	th->off_since_ns = 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(on_switch, bool preempt, struct task_struct *prev, struct task_struct *next,
	     unsigned int prev_state)
{
	struct procmon_thread *th;
	struct procmon_oncpu *slot;
	__u32 zero = 0;
	__u64 now = 0;

	th = traced_thread(prev);
	if (th) {
		harvest(prev, th);
		now = bpf_ktime_get_ns();
		th->off_since_ns = now;
		th->off_kind = offcpu_kind(preempt, prev_state);
		slot = bpf_map_lookup_elem(&oncpu, &zero);
		if (slot)
			slot->tgid = 0;
	}
	th = traced_thread(next);
	if (th) {
		if (!(th->flags & PROCMON_THREAD_BASELINE))
			harvest(next, th);
		if (!now)
			now = bpf_ktime_get_ns();
		end_offcpu(th, now);
		slot = bpf_map_lookup_elem(&oncpu, &zero);
		if (slot) {
			slot->since_ns = now;
			slot->tgid = next->tgid;
			slot->tid = next->pid;
		}
	}
	return 0;
}
