// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The label uprobe (procmon_label, --mark): not in the core, loaded by libbpf (on
 * the core's maps, bpf_map__reuse_fd) when a target has a label site. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "totals.bpf.h"

extern void bpf_rcu_read_lock(void) __ksym;
extern void bpf_rcu_read_unlock(void) __ksym;

/* Kernels >= 6.12: copies a user string, faulting its page in if need be (the
 * probe is sleepable). Weak: where it is missing, the non-faulting read is used
 * and a label in a page not yet touched comes out as label_read_error. */
extern int bpf_copy_from_user_str(void *dst, __u32 dst__sz, const void *unsafe_ptr__ign,
				  __u64 flags) __ksym __weak;

/* The process's counters at this instant: the probe walks the caller's threads
 * itself, as a sample does. The caller's own on-CPU time is as fresh as its last
 * clock update (a clock read, a tick: <= 1 tick). */
static __always_inline void snapshot_at_label(struct procmon_counters *at,
					      const struct procmon_counters *c,
					      struct task_struct *t)
{
	struct procmon_totals tot;
	__u32 n;

	bpf_rcu_read_lock();
	n = process_totals(t, &tot, c, light);
	bpf_rcu_read_unlock();
	counters_from(at, c, &tot, t);
	at->threads = n;
}

/* --light has no rss_stat hook: a phase's peak is the larger RSS at its two ends,
 * or the kernel's high-water mark if that rose during the phase (exact for a new
 * all-time peak only). In this mode rss_max_bytes holds the high-water mark the
 * last label saw. */
static __always_inline void light_phase_peak(struct procmon_counters *at,
					     struct procmon_counters *c)
{
	__u64 hw = at->hiwater_rss_bytes;

	if (at->rss_bytes > at->phase_rss_peak_bytes)
		at->phase_rss_peak_bytes = at->rss_bytes;
	if (hw > c->rss_max_bytes) {
		if (c->rss_max_bytes && hw > at->phase_rss_peak_bytes)
			at->phase_rss_peak_bytes = hw;
		c->rss_max_bytes = hw;
	}
}

/* procmon_label(const char *msg), or any --mark function (cookie = mark number).
 * A uprobe belongs to a file, so every process running it comes here: the
 * targets map decides. */
SEC("uprobe.s")
int BPF_KPROBE(on_label, const char *msg)
{
	struct task_struct *t = bpf_get_current_task_btf();
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct procmon_event_label *ev;
	struct procmon_counters *c;

	c = bpf_map_lookup_elem(&targets, &tgid);
	if (!c)
		return 0;
	__sync_fetch_and_add(&c->labels, 1);
	ev = bpf_ringbuf_reserve(&events, sizeof(*ev), 0);
	if (!ev) {
		__sync_fetch_and_add(&c->labels_lost, 1);
		return 0;
	}
	event_head(&ev->head, PROCMON_EV_LABEL, t);
	snapshot_at_label(&ev->at, c, t);
	/* A label ends a phase: its peak goes out with the event, the next starts
	 * from the RSS of now (ev->at.rss_bytes, read by the snapshot). */
	if (light)
		light_phase_peak(&ev->at, c);
	c->phase_rss_peak_bytes = ev->at.rss_bytes;
	ev->mark = (__u32)bpf_get_attach_cookie(ctx);
	if (ev->mark) {
		ev->len = 0;
		ev->text[0] = '\0';
	} else {
		if (bpf_copy_from_user_str)
			ev->len = bpf_copy_from_user_str(ev->text, sizeof(ev->text), msg, 0);
		else
			ev->len = bpf_probe_read_user_str(ev->text, sizeof(ev->text), msg);
		if (ev->len < 0) {
			ev->text[0] = '\0';
			__sync_fetch_and_add(&c->label_read_errors, 1);
		}
	}
	event_submit(ev);
	return 0;
}

/* The timer's samples walk threads as this probe does, and must be in the same
 * object file: libbpf 1.1's linker cannot merge one kfunc's extern from two. */
#include "ticker.bpf.h"
