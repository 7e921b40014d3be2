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
 * storage probes that find no storage, and no clock read. The kernel keeps the
 * counters itself (sum_exec_runtime, run_delay, nvcsw...): we only take deltas. */
SEC("tp_btf/sched_switch")
int BPF_PROG(on_switch, bool preempt, struct task_struct *prev, struct task_struct *next,
	     unsigned int prev_state)
{
	struct procmon_thread *th;
	struct procmon_oncpu *slot;
	__u32 zero = 0;

	th = traced_thread(prev);
	if (th) {
		harvest(prev, th);
		slot = bpf_map_lookup_elem(&oncpu, &zero);
		if (slot)
			slot->tgid = 0;
	}
	th = traced_thread(next);
	if (th) {
		if (!(th->flags & PROCMON_THREAD_BASELINE))
			harvest(next, th);
		slot = bpf_map_lookup_elem(&oncpu, &zero);
		if (slot) {
			slot->since_ns = bpf_ktime_get_ns();
			slot->tgid = next->tgid;
			slot->tid = next->pid;
		}
	}
	return 0;
}
