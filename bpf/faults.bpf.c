// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Memory hook: the peak RSS between two samples from the mm counters' rss_stat
 * tracepoint (faults are the kernel's min_flt + maj_flt, read at each sample). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "maps.bpf.h"

/* rss_stat(struct mm_struct *mm, int member): an mm counter moved. RSS is
 * file + anon + shmem pages (get_mm_rss); swap entries are not resident. */
SEC("tp_btf/rss_stat")
int BPF_PROG(on_rss_stat, struct mm_struct *mm, int member)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct procmon_counters *c;
	__u64 seq = sample_seq;
	__u64 bytes;

	/* The bitmap alone: no task storage probe per page of a traced process. The
	 * current mm through a probe read, not a trusted load: the verifier looks up
	 * each pointer a trusted load yields by name in the kernel's BTF (linearly:
	 * ~2 ms of every start-up for this 90-instruction program). */
	if (!target_bit_is_set(tgid) || BPF_CORE_READ(t, mm) != mm)
		return 0;
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
