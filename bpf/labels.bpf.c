// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Labels: a uprobe on procmon_label(const char *) (or on a --mark symbol) sends the
 * string and the counters at that instant; executable mappings of a target are
 * reported so user space can probe a library before its code runs. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "maps.bpf.h"

#define PROCMON_PROT_EXEC	0x4

/* Kernels >= 6.12: copies a user string, faulting its page in if need be (the
 * probe is sleepable). Weak: where it is missing, the non-faulting read is used
 * and a label in a page not yet touched comes out as label_read_error. */
extern int bpf_copy_from_user_str(void *dst, __u32 dst__sz, const void *unsafe_ptr__ign,
				  __u64 flags) __ksym __weak;

/* Counters are harvested when a thread leaves a CPU; the calling thread is on one
 * now, so add what it did since it arrived, without harvesting (which would move
 * its baseline). Other threads of the process count up to their last switch-out. */
static __always_inline void add_running_thread(struct procmon_counters *at,
					       struct task_struct *t, __u64 now_ns)
{
	struct procmon_thread *th = traced_thread(t);
	struct procmon_oncpu *slot;
	__u32 zero = 0;

	if (!th || !(th->flags & PROCMON_THREAD_BASELINE))
		return;
	slot = bpf_map_lookup_elem(&oncpu, &zero);
	if (slot && slot->tgid && slot->tid == (__u32)t->pid && now_ns > slot->since_ns)
		at->oncpu_ns += now_ns - slot->since_ns;
	at->runq_wait_ns += t->sched_info.run_delay - th->run_delay;
	at->nvcsw += t->nvcsw - th->nvcsw;
	at->nivcsw += t->nivcsw - th->nivcsw;
	at->maj_flt += t->maj_flt - th->maj_flt;
	at->min_flt += t->min_flt - th->min_flt;
	at->offcpu_preempted_ns += th->off_pending_ns[PROCMON_OFFCPU_PREEMPTED];
	at->offcpu_blocked_ns += th->off_pending_ns[PROCMON_OFFCPU_BLOCKED];
	at->offcpu_sleep_ns += th->off_pending_ns[PROCMON_OFFCPU_SLEEP];
}

/* The process's counters plus what the calling thread ran since its last
 * harvest. This program sleeps (uprobe.s) and may be switched out between the
 * copy and the per-CPU slot read: that switch harvests into @c and resets the
 * slot, losing the run before it. The harvest moves th->sum_exec_runtime, so a
 * changed value means "copy again". */
static __always_inline void snapshot_at_label(struct procmon_counters *at,
					      const struct procmon_counters *c,
					      struct task_struct *t)
{
	struct procmon_thread *th = traced_thread(t);
	__u64 base;
	int i;

	for (i = 0; i < 4; i++) {
		base = th ? th->sum_exec_runtime : 0;
		*at = *c;
		add_running_thread(at, t, bpf_ktime_get_ns());
		if (!th || th->sum_exec_runtime == base)
			break;
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
	 * from the RSS of now. */
	ev->at.rss_bytes = mm_rss_bytes(t->mm);
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
	bpf_ringbuf_submit(ev, 0);
	return 0;
}

/* Is @fd of @t a file user space found no symbol in? */
static __always_inline bool plain_file(struct task_struct *t, long fd)
{
	struct procmon_file_key key = {};
	struct fdtable *fdt = BPF_CORE_READ(t, files, fdt);
	struct file **fds = BPF_CORE_READ(fdt, fd);
	struct file *f = NULL;

	if (fd >= BPF_CORE_READ(fdt, max_fds) ||
	    bpf_probe_read_kernel(&f, sizeof(f), fds + fd) || !f)
		return false;
	key.dev = BPF_CORE_READ(f, f_inode, i_sb, s_dev);
	key.ino = BPF_CORE_READ(f, f_inode, i_ino);
	return bpf_map_lookup_elem(&plain_files, &key) != NULL;
}

/* syscalls:sys_enter_mmap: a traced process maps a file with PROT_EXEC (the
 * dynamic loader at start-up, dlopen). The SIGSTOP lands when the syscall returns,
 * before the new code can run; user space probes the file and sends SIGCONT. */
SEC("tracepoint/syscalls/sys_enter_mmap")
int on_mmap(struct trace_event_raw_sys_enter *ctx)
{
	struct task_struct *t = bpf_get_current_task_btf();
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct procmon_event_map *ev;
	struct procmon_counters *c;
	long fd = (long)ctx->args[4];

	if (!traced_thread(t) || !(ctx->args[2] & PROCMON_PROT_EXEC) || fd < 0)
		return 0;
	if (plain_file(t, fd))
		return 0;	/* read before: nothing to probe, no hold */
	ev = bpf_ringbuf_reserve(&events, sizeof(*ev), 0);
	if (!ev) {
		/* User space sees the count move and rescans /proc/PID/maps. */
		c = bpf_map_lookup_elem(&targets, &tgid);
		if (c)
			__sync_fetch_and_add(&c->map_events_lost, 1);
		return 0;
	}
	event_head(&ev->head, PROCMON_EV_MAP, t);
	ev->fd = (__s32)fd;
	ev->stopped = hold_for_probes(t, false);
	bpf_ringbuf_submit(ev, 0);
	return 0;
}
