// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Memory hooks: every user page fault of a traced process as it happens, and the
 * peak RSS between two samples from the mm counters' rss_stat tracepoint. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "maps.bpf.h"

/* page_fault_user(unsigned long address, struct pt_regs *regs, unsigned long error_code) */
SEC("tp_btf/page_fault_user")
int BPF_PROG(on_page_fault, unsigned long address, struct pt_regs *regs,
	     unsigned long error_code)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct procmon_counters *c;
	__u32 tgid;

	if (!traced_thread(t))
		return 0;
	tgid = t->tgid;
	c = bpf_map_lookup_elem(&targets, &tgid);
	if (c)
		__sync_fetch_and_add(&c->faults, 1);
	return 0;
}

/* rss_stat(struct mm_struct *mm, int member): an mm counter moved. RSS is
 * file + anon + shmem pages (get_mm_rss); swap entries are not resident. */
SEC("tp_btf/rss_stat")
int BPF_PROG(on_rss_stat, struct mm_struct *mm, int member)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct procmon_counters *c;
	__u64 seq = sample_seq;
	__u64 bytes;
	__u32 tgid;

	if (!traced_thread(t) || t->mm != mm)
		return 0;
	tgid = t->tgid;
	c = bpf_map_lookup_elem(&targets, &tgid);
	if (!c)
		return 0;
	bytes = mm_rss_bytes(mm);
	/* A lost race between two CPUs keeps the lower of two close values: fine for a peak. */
	if (c->rss_peak_seq != seq || bytes > c->rss_peak_bytes) {
		c->rss_peak_bytes = bytes;
		c->rss_peak_seq = seq;
	}
	if (bytes > c->rss_max_bytes)
		c->rss_max_bytes = bytes;
	if (bytes > c->phase_rss_peak_bytes)
		c->phase_rss_peak_bytes = bytes;
	return 0;
}
