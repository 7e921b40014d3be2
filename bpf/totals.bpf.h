/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* A process's counters as the kernel keeps them: a walk of its live threads
 * (open-coded task iterator, kernel >= 6.7) plus what exited ones left behind;
 * the off-CPU split kept per thread by the switch-out hook. */
#ifndef PROCMON_TOTALS_BPF_H
#define PROCMON_TOTALS_BPF_H

#include "maps.bpf.h"

extern int bpf_iter_task_new(struct bpf_iter_task *it, struct task_struct *task,
			     unsigned int flags) __ksym;
extern struct task_struct *bpf_iter_task_next(struct bpf_iter_task *it) __ksym;
extern void bpf_iter_task_destroy(struct bpf_iter_task *it) __ksym;

#define PROCMON_PF_EXITING	0x00000004
#define PROCMON_EXIT_DEAD	0x00000010

/* CONFIG_SCHEDSTATS kernels keep the split themselves (sum_sleep_runtime counts
 * S and D, sum_block_runtime D alone); a CO-RE flavour, as this vmlinux.h was
 * made on a kernel without them. */
struct sched_statistics___ss {
	__u64 sum_sleep_runtime;
	__u64 sum_block_runtime;
} __attribute__((preserve_access_index));

struct task_struct___ss {
	struct sched_statistics___ss stats;
} __attribute__((preserve_access_index));

/* Schedstats on (user space saw kernel.sched_schedstats = 1) and in this kernel's
 * task_struct: the switch hook is not attached. */
static __always_inline bool use_schedstats(void)
{
	struct task_struct___ss *ts = NULL;

	return schedstats && bpf_core_field_exists(ts->stats.sum_block_runtime);
}

/* The kernel's own blocked (D) and other sleep time of @t. */
static __always_inline void add_schedstats(struct procmon_totals *o, struct task_struct *t)
{
	struct task_struct___ss *ts = (void *)t;
	__u64 blk = BPF_CORE_READ(ts, stats.sum_block_runtime);
	__u64 slp = BPF_CORE_READ(ts, stats.sum_sleep_runtime);

	o->offcpu_blocked_ns += blk;
	o->offcpu_sleep_ns += slp > blk ? slp - blk : 0;
}

/* The time @th has been away since it last left a CPU, by the kernel's counters
 * now: elapsed minus what it ran since (the run-queue wait after its wakeup is
 * part of it, as it is of a period the old switch-in hook closed). @less_wait:
 * minus that wait too, the not-runnable part only (--light). */
static __always_inline __u64 offcpu_span(const struct procmon_thread *th, __u64 now,
					 __u64 runtime, __u64 run_delay, bool less_wait)
{
	__u64 used;

	if (!th->out_ns || now <= th->out_ns)
		return 0;
	used = runtime - th->runtime_at_out;
	if (less_wait)
		used += run_delay - th->run_delay_at_out;
	return now - th->out_ns > used ? now - th->out_ns - used : 0;
}

/* Add @off to @th's total for @kind. Explicit fields: clang 14 loses an index's bound. */
static __always_inline void charge(struct procmon_thread *th, __u32 kind, __u64 off)
{
	if (kind == PROCMON_OFFCPU_PREEMPTED)
		th->preempted_ns += off;
	else if (kind == PROCMON_OFFCPU_BLOCKED)
		th->blocked_ns += off;
	else
		th->sleep_ns += off;
}

/* A traced thread leaves a CPU (or exits, or --light's snapshot passes by):
 * charge the period since it last left to the state it left in then, and start a
 * new one. */
static __always_inline void close_offcpu(struct procmon_thread *th, __u64 now, __u64 runtime,
					 __u64 run_delay, bool less_wait)
{
	charge(th, th->off_kind, offcpu_span(th, now, runtime, run_delay, less_wait));
	th->out_ns = now;
	th->runtime_at_out = runtime;
	th->run_delay_at_out = run_delay;
}

/* What the kernel sums itself for a process, from one thread into @o. */
static __always_inline void add_task_kernel(struct procmon_totals *o, struct task_struct *t)
{
	o->oncpu_ns += t->se.sum_exec_runtime;
	o->nvcsw += t->nvcsw;
	o->nivcsw += t->nivcsw;
	o->min_flt += t->min_flt;
	o->maj_flt += t->maj_flt;
	o->read_bytes += t->ioac.read_bytes;
	o->write_bytes += t->ioac.write_bytes;
	o->rchar += t->ioac.rchar;
	o->wchar += t->ioac.wchar;
	o->syscr += t->ioac.syscr;
	o->syscw += t->ioac.syscw;
}

/* What one thread counted, into @o. */
static __always_inline void add_task(struct procmon_totals *o, struct task_struct *t)
{
	add_task_kernel(o, t);
	o->runq_wait_ns += t->sched_info.run_delay;
}

/* What the threads already released left in the signal struct, with the whole of
 * their exit path: the same sums getrusage() and /proc start from. */
static __always_inline void add_released(struct procmon_totals *o, struct task_struct *leader)
{
	struct signal_struct *sig = BPF_CORE_READ(leader, signal);

	o->oncpu_ns += BPF_CORE_READ(sig, sum_sched_runtime);
	o->nvcsw += BPF_CORE_READ(sig, nvcsw);
	o->nivcsw += BPF_CORE_READ(sig, nivcsw);
	o->min_flt += BPF_CORE_READ(sig, min_flt);
	o->maj_flt += BPF_CORE_READ(sig, maj_flt);
	o->read_bytes += BPF_CORE_READ(sig, ioac.read_bytes);
	o->write_bytes += BPF_CORE_READ(sig, ioac.write_bytes);
	o->rchar += BPF_CORE_READ(sig, ioac.rchar);
	o->wchar += BPF_CORE_READ(sig, ioac.wchar);
	o->syscr += BPF_CORE_READ(sig, ioac.syscr);
	o->syscw += BPF_CORE_READ(sig, ioac.syscw);
}

/* The kernel-kept fields of @c: what the exit hooks summed of exited threads. */
static __always_inline void hooked_kernel_fields(struct procmon_totals *k,
						 const struct procmon_counters *c)
{
	k->oncpu_ns = c->oncpu_ns;
	k->nvcsw = c->nvcsw;
	k->nivcsw = c->nivcsw;
	k->min_flt = c->min_flt;
	k->maj_flt = c->maj_flt;
	k->read_bytes = c->read_bytes;
	k->write_bytes = c->write_bytes;
	k->rchar = c->rchar;
	k->wchar = c->wchar;
	k->syscr = c->syscr;
	k->syscw = c->syscw;
}

/* Add the released threads' sums @r to the record's kernel-kept fields. */
static __always_inline void record_released(struct procmon_counters *c,
					    const struct procmon_totals *r)
{
	add_if(&c->oncpu_ns, r->oncpu_ns);
	add_if(&c->nvcsw, r->nvcsw);
	add_if(&c->nivcsw, r->nivcsw);
	add_if(&c->min_flt, r->min_flt);
	add_if(&c->maj_flt, r->maj_flt);
	add_if(&c->read_bytes, r->read_bytes);
	add_if(&c->write_bytes, r->write_bytes);
	add_if(&c->rchar, r->rchar);
	add_if(&c->wchar, r->wchar);
	add_if(&c->syscr, r->syscr);
	add_if(&c->syscw, r->syscw);
}

/* Each kernel-kept field of @o raised to @k's: a thread caught between its
 * release and the signal struct's sum counts by its exit hook. */
static __always_inline void max_kernel_fields(struct procmon_totals *o,
					      const struct procmon_totals *k)
{
#define RAISE(f) do { if (o->f < k->f) o->f = k->f; } while (0)
	RAISE(oncpu_ns);
	RAISE(nvcsw);
	RAISE(nivcsw);
	RAISE(min_flt);
	RAISE(maj_flt);
	RAISE(read_bytes);
	RAISE(write_bytes);
	RAISE(rchar);
	RAISE(wchar);
	RAISE(syscr);
	RAISE(syscw);
#undef RAISE
}

/* Sum @leader's process: what its exited threads left in @c (the exit hook puts
 * each thread's counters there as it exits) and every live thread. A thread whose
 * exit is under way (PF_EXITING) is in @c already. With @light, each thread's
 * period since the last pass is closed as not runnable (no switch hook runs).
 * Call under RCU. Returns the threads walked. */
static __always_inline __u32 process_totals_at(struct task_struct *leader,
					       struct procmon_totals *o,
					       const struct procmon_counters *c, bool light,
					       __u64 now)
{
	struct procmon_totals k = {};
	struct procmon_thread *th;
	struct bpf_iter_task it;
	struct task_struct *t;
	__u32 n = 0;

	__builtin_memset(o, 0, sizeof(*o));
	if (c) {
		/* What the exit hook kept of exited threads: the run-queue wait and the
		 * off-CPU split, which the kernel does not sum per process. */
		o->runq_wait_ns = c->runq_wait_ns;
		o->offcpu_preempted_ns = c->offcpu_preempted_ns;
		o->offcpu_blocked_ns = c->offcpu_blocked_ns;
		o->offcpu_sleep_ns = c->offcpu_sleep_ns;
	}
	/* The exit hooks' sums of exited threads (kernel-kept fields): all there is
	 * once the process is reaped, and a floor for the kernel's sums below. */
	if (c)
		hooked_kernel_fields(&k, c);
	if (!leader) {
		max_kernel_fields(o, &k);
		return 0;
	}
	/* The kernel's own sums, as thread_group_cputime() and getrusage() take
	 * them: the released threads' in the signal struct, every other thread's,
	 * an exiting one included (its exit path still runs and counts). */
	add_released(o, leader);
	bpf_iter_task_new(&it, leader, BPF_TASK_ITER_PROC_THREADS);
	while ((t = bpf_iter_task_next(&it))) {
		__u64 rt = t->se.sum_exec_runtime, rd = t->sched_info.run_delay;

		/* Released (EXIT_DEAD): its counts are in the signal struct, read
		 * above, or about to be (then this pass would be short: the floor
		 * @k keeps it up). The iterator still yields the task it started from. */
		if (BPF_CORE_READ(t, exit_state) != PROCMON_EXIT_DEAD)
			add_task_kernel(o, t);
		if (t->flags & PROCMON_PF_EXITING)
			continue;	/* its wait and split are in @c */
		add_task_kernel(&k, t);
		n++;
		o->runq_wait_ns += rd;
		if (use_schedstats()) {
			add_schedstats(o, t);
			continue;
		}
		th = bpf_task_storage_get(&threads, t, 0, 0);
		if (!th)
			continue;
		if (light) {
			close_offcpu(th, now, rt, rd, true);
			th->off_kind = PROCMON_OFFCPU_SLEEP;
		}
		o->offcpu_preempted_ns += th->preempted_ns;
		o->offcpu_blocked_ns += th->blocked_ns;
		o->offcpu_sleep_ns += th->sleep_ns;
		/* The period under way, if it is away now. */
		if (!light && th->off_kind == PROCMON_OFFCPU_PREEMPTED)
			o->offcpu_preempted_ns += offcpu_span(th, now, rt, rd, false);
		else if (!light && th->off_kind == PROCMON_OFFCPU_BLOCKED)
			o->offcpu_blocked_ns += offcpu_span(th, now, rt, rd, false);
		else if (!light)
			o->offcpu_sleep_ns += offcpu_span(th, now, rt, rd, false);
	}
	bpf_iter_task_destroy(&it);
	max_kernel_fields(o, &k);
	return n;
}

/* The same, now. */
static __always_inline __u32 process_totals(struct task_struct *leader, struct procmon_totals *o,
					    const struct procmon_counters *c, bool light)
{
	return process_totals_at(leader, o, c, light, leader ? bpf_ktime_get_ns() : 0);
}

static __always_inline __u64 since(__u64 now, __u64 base)
{
	return now > base ? now - base : 0;
}

/* Resident bytes of @t's mm now (0 without one), and its high-water mark. Probe
 * reads, not trusted loads: the verifier looks each pointer a trusted load yields
 * up by name in the kernel's BTF, linearly, on every path (milliseconds of start-up). */
static __always_inline __u64 task_rss_bytes(struct task_struct *t, __u64 *hiwater, __u64 *vms)
{
	struct mm_struct *mm = BPF_CORE_READ(t, mm);
	__s64 pages;

	*hiwater = 0;
	*vms = 0;
	if (!mm)
		return 0;
	*vms = (__u64)BPF_CORE_READ(mm, total_vm) << page_shift;
	pages = BPF_CORE_READ(mm, rss_stat[MM_FILEPAGES].count) +
		BPF_CORE_READ(mm, rss_stat[MM_ANONPAGES].count) +
		BPF_CORE_READ(mm, rss_stat[MM_SHMEMPAGES].count);
	*hiwater = (__u64)BPF_CORE_READ(mm, hiwater_rss) << page_shift;
	return pages > 0 ? (__u64)pages << page_shift : 0;
}

/* @out: the hook-kept fields of @c, the kernel's counters since the baseline;
 * the RSS of @t's mm (none for NULL). */
static __always_inline void counters_from(struct procmon_counters *out,
					  const struct procmon_counters *c,
					  const struct procmon_totals *o, struct task_struct *t)
{
	const struct procmon_totals *b = &c->base;

	*out = *c;
	out->oncpu_ns = since(o->oncpu_ns, b->oncpu_ns);
	out->runq_wait_ns = since(o->runq_wait_ns, b->runq_wait_ns);
	out->offcpu_preempted_ns = since(o->offcpu_preempted_ns, b->offcpu_preempted_ns);
	/* --light: no switch hook saw why a thread left; runnable-but-waiting is
	 * the run-queue wait, everything else off the CPU is "sleep". */
	if (light || use_schedstats())
		out->offcpu_preempted_ns = out->runq_wait_ns;
	out->nvcsw = since(o->nvcsw, b->nvcsw);
	out->nivcsw = since(o->nivcsw, b->nivcsw);
	out->min_flt = since(o->min_flt, b->min_flt);
	out->maj_flt = since(o->maj_flt, b->maj_flt);
	out->faults = out->min_flt + out->maj_flt;
	out->read_bytes = since(o->read_bytes, b->read_bytes);
	out->write_bytes = since(o->write_bytes, b->write_bytes);
	out->rchar = since(o->rchar, b->rchar);
	out->wchar = since(o->wchar, b->wchar);
	out->syscr = since(o->syscr, b->syscr);
	out->syscw = since(o->syscw, b->syscw);
	out->offcpu_blocked_ns = since(o->offcpu_blocked_ns, b->offcpu_blocked_ns);
	out->offcpu_sleep_ns = since(o->offcpu_sleep_ns, b->offcpu_sleep_ns);
	out->rss_bytes = 0;
	out->hiwater_rss_bytes = 0;
	out->vms_bytes = 0;
	if (t) {
		__u64 hw, rss = task_rss_bytes(t, &hw, &out->vms_bytes);

		out->rss_bytes = rss;
		/* VmHWM = max(hiwater_rss, rss): hiwater moves only at unmap and exit. */
		out->hiwater_rss_bytes = hw > rss ? hw : rss;
	}
	__builtin_memset(&out->base, 0, sizeof(out->base));
}

#endif /* PROCMON_TOTALS_BPF_H */
