/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Samples taken by a kernel timer (-i below 10 ms): at 1 kHz a user-space timer's
 * wake-ups alone cost ~2% of a core here; the timer's callback reads each target's
 * counters (~2 µs) into the ring buffer without waking anyone, and user space
 * writes the lines every 50 ms (or when the ring buffer is a quarter full). */
#ifndef PROCMON_TICKER_BPF_H
#define PROCMON_TICKER_BPF_H

#include "totals.bpf.h"

extern struct task_struct *bpf_task_from_pid(s32 pid) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;

#define PROCMON_CLOCK_MONOTONIC	1
#define SAMPLING_SHARE_INV	4	/* the timer's callbacks: at most 1/4 of a CPU */

struct ticker {
	struct bpf_timer timer;
	__u64 next_ns;
	__u64 period_ns;
	__u64 spent_avg_ns;	/* a callback's time, smoothed over ~8 ticks */
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ticker);
} ticker SEC(".maps");

/* The targets user space writes lines for, kept by it: a walk of the targets
 * hash would visit all its 4096 buckets (~80 µs a tick), this list only them. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, PROCMON_MAX_TARGETS);
	__type(key, __u32);
	__type(value, __u32);
} tick_targets SEC(".maps");

struct tick_ctx {
	__u64 ts_ns;
	__u64 seq;
	bool lost;	/* a target's record had no room */
};

/* One target's sample, as the snapshot program takes it. */
static long tick_target(__u32 *tgid, struct procmon_counters *c, struct tick_ctx *x)
{
	struct procmon_event_tick *ev;
	struct task_struct *leader;
	struct procmon_totals tot;
	__u32 n;

	/* Gone, or every thread has exited (a zombie until reaped): its STOP line
	 * has the last counters, samples after its end would be made up. */
	leader = bpf_task_from_pid((s32)*tgid);
	if (!leader)
		return 0;
	if (!BPF_CORE_READ(leader, signal, live.counter)) {
		bpf_task_release(leader);
		return 0;
	}
	ev = bpf_ringbuf_reserve(&events, sizeof(*ev), 0);
	if (!ev) {
		bpf_task_release(leader);
		x->lost = true;
		return 1;	/* no room: the rest of this tick would not fit either */
	}
	ev->head.ts_ns = x->ts_ns;
	ev->head.kind = PROCMON_EV_TICK;
	ev->head.pid = *tgid;
	ev->head.tid = 0;
	ev->head.pad = 0;
	ev->seq = x->seq;
	/* A timer callback runs in softirq, under RCU already. */
	n = process_totals_at(leader, &tot, c, light, x->ts_ns);
	counters_from(&ev->c, c, &tot, leader);
	bpf_task_release(leader);
	ev->c.threads = n;
	bpf_ringbuf_submit(ev, BPF_RB_NO_WAKEUP);
	return 0;
}

/* bpf_loop's step: the list's @i-th target. */
static long tick_one(__u32 i, struct tick_ctx *x)
{
	struct procmon_counters *c;
	__u32 *tgid = bpf_map_lookup_elem(&tick_targets, &i);

	if (!tgid)
		return 1;
	c = bpf_map_lookup_elem(&targets, tgid);
	/* An update racing this walk may show one target twice (user space keeps
	 * the first) or skip one for a tick. */
	return c ? tick_target(tgid, c, x) : 0;
}

static int on_tick(void *map, int *key, struct ticker *tk)
{
	struct tick_ctx x = { .ts_ns = bpf_ktime_get_ns(), .seq = sample_seq };
	struct procmon_event_head *end;
	__u64 next = tk->next_ns + tk->period_ns, spent, skip, ring;

	if (!tk->period_ns)
		return 0;
	/* Late (a busy CPU): the schedule goes on from now, missed samples are
	 * skipped, as a timerfd's expirations are. */
	if (next <= x.ts_ns)
		next += ((x.ts_ns - next) / tk->period_ns + 1) * tk->period_ns;
	tk->next_ns = next;
	bpf_timer_start(&tk->timer, next, BPF_F_TIMER_ABS);
	/* Half the ring buffer is for events, whatever the samples do. */
	ring = bpf_ringbuf_query(&events, BPF_RB_RING_SIZE);
	if (bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) * 2 > ring) {
		__sync_fetch_and_add(&ticks_lost, 1);
		return 0;
	}
	bpf_loop(tick_targets_n < PROCMON_MAX_TARGETS ? tick_targets_n : PROCMON_MAX_TARGETS,
		 tick_one, &x, 0);
	if (x.lost)
		__sync_fetch_and_add(&ticks_lost, 1);	/* a tick counts once */
	end = bpf_ringbuf_reserve(&events, sizeof(*end), 0);
	if (end) {
		end->ts_ns = x.ts_ns;
		end->kind = PROCMON_EV_TICK_END;
		end->pid = 0;
		end->tid = 0;
		end->pad = 0;
		/* A quarter full (many targets): wake the reader before its time. */
		bpf_ringbuf_submit(end, bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) * 4 > ring ?
					BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP);
	}
	/* The rss_stat hook's peaks start again for the next sample. */
	__sync_fetch_and_add(&sample_seq, 1);
	spent = bpf_ktime_get_ns() - x.ts_ns;
	tick_ns += spent;	/* one timer: callbacks never overlap */
	tick_runs++;
	/* Hundreds of targets: sampling may take a quarter of a CPU at most (its
	 * softirq time is the machine's); the ticks beyond are skipped. Smoothed:
	 * one callback slowed by an interrupt is not hundreds of targets. */
	tk->spent_avg_ns = (tk->spent_avg_ns * 7 + spent) / 8;
	spent = tk->spent_avg_ns;
	if (spent * SAMPLING_SHARE_INV > tk->period_ns &&
	    x.ts_ns + spent * SAMPLING_SHARE_INV > next) {
		skip = (x.ts_ns + spent * SAMPLING_SHARE_INV - next) / tk->period_ns + 1;
		tk->next_ns = next + skip * tk->period_ns;
		bpf_timer_start(&tk->timer, tk->next_ns, BPF_F_TIMER_ABS);
		__sync_fetch_and_add(&ticks_lost, skip);
	}
	return 0;
}

SEC("syscall")
int ticker_start(struct procmon_ticker_args *a)
{
	__u32 zero = 0;
	struct ticker *tk = bpf_map_lookup_elem(&ticker, &zero);

	if (!tk) {
		a->err = -2;	/* ENOENT */
		return 0;
	}
	if (!a->period_ns) {
		tk->period_ns = 0;
		a->err = bpf_timer_cancel(&tk->timer);
		return 0;
	}
	bpf_timer_init(&tk->timer, &ticker, PROCMON_CLOCK_MONOTONIC);
	bpf_timer_set_callback(&tk->timer, on_tick);
	tk->period_ns = a->period_ns;
	tk->next_ns = a->first_ns;
	tk->spent_avg_ns = 0;
	a->err = bpf_timer_start(&tk->timer, a->first_ns, BPF_F_TIMER_ABS);
	return 0;
}

#endif /* PROCMON_TICKER_BPF_H */
