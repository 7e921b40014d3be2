// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The metrics registry: one entry per traced process (a PID hash over an array),
 * exposed up to a cap, folded into the run totals when its hold time ends. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "metrics.h"
#include "utf8.h"

#define CGROUP_PATH_MAX 4096	/* bytes of a cgroup label kept */

struct entry {
	pid_t pid;
	bool exited;
	bool exposed;			/* has its own series (else only in the totals) */
	bool offcpu;
	bool sampled;			/* updated since the last metrics_roll_peaks */
	size_t idx;			/* its place in metrics.e */
	unsigned long long seq;		/* arrival order: who gets a free place first */
	double start_s, exited_s;
	unsigned long long c[METRICS_N_COUNTERS];
	unsigned long long rss_bytes;
	unsigned long long peak_round;	/* highest RSS since the last roll */
	unsigned long long peak_shown;	/* what views show */
	char *cgroup;
	char comm[METRICS_COMM_MAX];
};

struct metrics {
	struct metrics_config cfg;
	char *cgroup;
	struct entry **e;		/* every entry, in no order */
	size_t n, cap;
	struct entry **slots;		/* open addressing by PID, linear probing */
	size_t n_slots;			/* a power of two, at least 2 * n */
	unsigned long long gone[METRICS_N_COUNTERS];	/* of the entries dropped */
	bool offcpu_seen;
	unsigned long exposed, exited;
	unsigned long long next_seq;
};

/* ------------------------------------------------------------ PID hash */

static size_t slot_index(pid_t pid, size_t n_slots)
{
	return ((uint32_t)pid * 2654435761u) & (n_slots - 1);
}

static struct entry *find(const struct metrics *m, pid_t pid)
{
	for (size_t i = slot_index(pid, m->n_slots);; i = (i + 1) & (m->n_slots - 1)) {
		if (!m->slots[i] || m->slots[i]->pid == pid)
			return m->slots[i];
	}
}

static void slot_put(struct entry **slots, size_t n_slots, struct entry *e)
{
	size_t i = slot_index(e->pid, n_slots);

	while (slots[i])
		i = (i + 1) & (n_slots - 1);
	slots[i] = e;
}

static int slots_grow(struct metrics *m)
{
	size_t n_slots = m->n_slots * 2;
	struct entry **slots = calloc(n_slots, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	for (size_t i = 0; i < m->n; i++)
		slot_put(slots, n_slots, m->e[i]);
	free(m->slots);
	m->slots = slots;
	m->n_slots = n_slots;
	return 0;
}

/* Backward-shift deletion: later members of the probe run move up, so a lookup
 * never stops at a hole that used to hold its way on. */
static void slot_del(struct metrics *m, pid_t pid)
{
	size_t mask = m->n_slots - 1, i = slot_index(pid, m->n_slots), j;

	while (m->slots[i]->pid != pid)
		i = (i + 1) & mask;
	for (j = (i + 1) & mask; m->slots[j]; j = (j + 1) & mask) {
		size_t home = slot_index(m->slots[j]->pid, m->n_slots);
		bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);

		if (!stays) {
			m->slots[i] = m->slots[j];
			i = j;
		}
	}
	m->slots[i] = NULL;
}

/* ------------------------------------------------------------ entries */

/* @in as valid UTF-8 in a new string: at most @max bytes of it, cut on a character. */
static char *repaired_dup(const char *in, size_t max)
{
	size_t len = strnlen(in, max + 1);
	char *out;

	if (len > max)
		len = utf8_cut(in, max);
	out = malloc(3 * len + 1);
	if (out)
		utf8_repair(in, len, out);
	return out;
}

static void set_comm(struct entry *e, const char *comm)
{
	size_t max = (METRICS_COMM_MAX - 1) / 3, len;

	comm = comm ? comm : "";
	len = strnlen(comm, max + 1);
	if (len > max)
		len = utf8_cut(comm, max);
	utf8_repair(comm, len, e->comm);
}

static int set_cgroup(struct entry *e, const char *cgroup)
{
	char *dup;

	if (!cgroup) {
		free(e->cgroup);
		e->cgroup = NULL;
		return 0;
	}
	dup = repaired_dup(cgroup, CGROUP_PATH_MAX);
	if (!dup)
		return -ENOMEM;
	if (e->cgroup && strcmp(dup, e->cgroup) == 0) {
		free(dup);
		return 0;
	}
	free(e->cgroup);
	e->cgroup = dup;
	return 0;
}

/* Drop @e: its counters go on in the run totals. */
static void drop(struct metrics *m, struct entry *e)
{
	for (int i = 0; i < METRICS_N_COUNTERS; i++)
		m->gone[i] += e->c[i];
	if (e->exposed)
		m->exposed--;
	slot_del(m, e->pid);
	m->e[e->idx] = m->e[--m->n];
	m->e[e->idx]->idx = e->idx;
	free(e->cgroup);
	free(e);
}

/* The exited, exposed entry that exited first, or NULL. */
static struct entry *oldest_exited(const struct metrics *m)
{
	struct entry *old = NULL;

	for (size_t i = 0; i < m->n; i++) {
		struct entry *e = m->e[i];

		if (e->exposed && e->exited && (!old || e->exited_s < old->exited_s))
			old = e;
	}
	return old;
}

/* A new entry for @p; exposed if there is a place, made by dropping the series
 * exited first if need be: live processes before held ones. */
static struct entry *add(struct metrics *m, const struct metrics_proc *p)
{
	struct entry *e, *old;

	if (m->n == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 64;
		struct entry **grown = realloc(m->e, cap * sizeof(*grown));

		if (!grown)
			return NULL;
		m->e = grown;
		m->cap = cap;
	}
	if (2 * (m->n + 1) > m->n_slots && slots_grow(m))
		return NULL;
	e = calloc(1, sizeof(*e));
	if (!e || set_cgroup(e, p->cgroup)) {
		free(e);
		return NULL;
	}
	e->pid = p->pid;
	e->start_s = p->start_s;
	e->seq = m->next_seq++;
	set_comm(e, p->comm);
	if (m->exposed >= m->cfg.max_procs && (old = oldest_exited(m)))
		drop(m, old);
	if (m->exposed < m->cfg.max_procs) {
		e->exposed = true;
		m->exposed++;
	}
	e->idx = m->n;
	m->e[m->n++] = e;
	slot_put(m->slots, m->n_slots, e);
	return e;
}

/* Is @e the process @p describes? start_s decides when both know it; otherwise a
 * PID that exited is taken as reused. */
static bool same_process(const struct entry *e, const struct metrics_proc *p)
{
	if (e->start_s != 0 && p->start_s != 0)
		return e->start_s == p->start_s;
	return !e->exited;
}

static void take_values(struct metrics *m, struct entry *e, const struct metrics_proc *p)
{
	const unsigned long long v[METRICS_N_COUNTERS] = {
		[METRICS_PAGE_FAULTS] = p->page_faults,
		[METRICS_MAJOR_FAULTS] = p->major_faults,
		[METRICS_ONCPU_NS] = p->oncpu_ns,
		[METRICS_RUNQ_WAIT_NS] = p->runq_wait_ns,
		[METRICS_CSW_VOLUNTARY] = p->voluntary,
		[METRICS_CSW_INVOLUNTARY] = p->involuntary,
		[METRICS_LABELS] = p->labels,
		[METRICS_OFFCPU_PREEMPTED_NS] = p->offcpu_measured ? p->offcpu_preempted_ns : 0,
		[METRICS_OFFCPU_BLOCKED_NS] = p->offcpu_measured ? p->offcpu_blocked_ns : 0,
		[METRICS_OFFCPU_SLEEP_NS] = p->offcpu_measured ? p->offcpu_sleep_ns : 0,
	};
	unsigned long long peak = p->rss_peak_bytes > p->rss_bytes ? p->rss_peak_bytes
								     : p->rss_bytes;

	for (int i = 0; i < METRICS_N_COUNTERS; i++)
		if (v[i] > e->c[i])
			e->c[i] = v[i];
	e->offcpu |= p->offcpu_measured;
	m->offcpu_seen |= p->offcpu_measured;
	e->rss_bytes = p->rss_bytes;
	if (!e->sampled || peak > e->peak_round)
		e->peak_round = peak;
	e->sampled = true;
	set_comm(e, p->comm);
}

int metrics_update(struct metrics *m, const struct metrics_proc *p, double now_s)
{
	struct entry *e = find(m, p->pid);

	(void)now_s;	/* the clock matters at exit and expiry */
	if (e && !same_process(e, p)) {
		drop(m, e);
		e = NULL;
	}
	if (!e && !(e = add(m, p)))
		return -ENOMEM;
	take_values(m, e, p);
	return set_cgroup(e, p->cgroup);
}

int metrics_exit(struct metrics *m, const struct metrics_proc *p, double now_s)
{
	struct entry *e = find(m, p->pid);
	int err;

	/* Told twice (a reused PID would have had a sample in between). */
	if (e && e->exited && (e->start_s == 0 || p->start_s == 0 || e->start_s == p->start_s))
		return 0;
	err = metrics_update(m, p, now_s);
	if (err)
		return err;
	e = find(m, p->pid);
	e->exited = true;
	e->exited_s = now_s;
	m->exited++;
	if (!e->exposed)
		drop(m, e);	/* no series to hold */
	return 0;
}

static int by_seq(const void *a, const void *b)
{
	const struct entry *x = *(struct entry *const *)a, *y = *(struct entry *const *)b;

	return (x->seq > y->seq) - (x->seq < y->seq);
}

/* Give free places to live entries without series, first come first served. */
static void promote(struct metrics *m)
{
	struct entry **hidden;
	size_t n = 0;

	if (m->exposed >= m->cfg.max_procs || m->exposed == m->n)
		return;
	hidden = malloc(m->n * sizeof(*hidden));
	if (!hidden)
		return;	/* they stay in the totals; another expiry tries again */
	for (size_t i = 0; i < m->n; i++)
		if (!m->e[i]->exposed)
			hidden[n++] = m->e[i];
	qsort(hidden, n, sizeof(*hidden), by_seq);
	for (size_t i = 0; i < n && m->exposed < m->cfg.max_procs; i++) {
		hidden[i]->exposed = true;
		m->exposed++;
	}
	free(hidden);
}

void metrics_expire(struct metrics *m, double now_s)
{
	/* Backwards: drop() moves the last entry into the freed place. */
	for (size_t i = m->n; i-- > 0;) {
		struct entry *e = m->e[i];

		if (e->exited && now_s - e->exited_s >= m->cfg.hold_s)
			drop(m, e);
	}
	promote(m);
}

void metrics_roll_peaks(struct metrics *m, bool scraped)
{
	for (size_t i = 0; i < m->n; i++) {
		struct entry *e = m->e[i];

		if (scraped)	/* a new window: this round's samples, or the RSS as it stays */
			e->peak_shown = e->sampled ? e->peak_round : e->rss_bytes;
		else if (e->sampled && e->peak_round > e->peak_shown)
			e->peak_shown = e->peak_round;
		e->sampled = false;
	}
}

/* ------------------------------------------------------------ views */

static char *put_string(char **pool, const char *s)
{
	size_t len = strlen(s) + 1;
	char *at = *pool;

	memcpy(at, s, len);
	*pool += len;
	return at;
}

static int by_pid(const void *a, const void *b)
{
	const struct metrics_series *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

struct metrics_view *metrics_view(const struct metrics *m)
{
	size_t size = sizeof(struct metrics_view), n = 0;
	struct metrics_view *v;
	char *pool;

	for (size_t i = 0; i < m->n; i++)
		if (m->e[i]->exposed)
			size += sizeof(struct metrics_series) + strlen(m->e[i]->comm) + 1 +
				(m->e[i]->cgroup ? strlen(m->e[i]->cgroup) + 1 : 0);
	size += m->cgroup ? strlen(m->cgroup) + 1 : 0;
	v = calloc(1, size);
	if (!v)
		return NULL;
	pool = (char *)&v->series[m->exposed];
	v->cgroup = m->cgroup ? put_string(&pool, m->cgroup) : NULL;
	memcpy(v->run, m->gone, sizeof(v->run));
	v->run_offcpu_measured = m->offcpu_seen;
	v->exited = m->exited;
	for (size_t i = 0; i < m->n; i++) {
		const struct entry *e = m->e[i];
		struct metrics_series *s = &v->series[n];

		for (int k = 0; k < METRICS_N_COUNTERS; k++)
			v->run[k] += e->c[k];
		if (!e->exited) {
			v->live++;
			v->run_rss_bytes += e->rss_bytes;
			v->unexposed += !e->exposed;
		}
		if (!e->exposed)
			continue;
		s->pid = e->pid;
		s->exited = e->exited;
		s->offcpu_measured = e->offcpu;
		s->comm = put_string(&pool, e->comm);
		s->cgroup = e->cgroup ? put_string(&pool, e->cgroup) : NULL;
		memcpy(s->c, e->c, sizeof(s->c));
		s->rss_bytes = e->rss_bytes;
		s->rss_peak_bytes = e->peak_shown > e->rss_bytes ? e->peak_shown : e->rss_bytes;
		n++;
	}
	v->n_series = n;
	qsort(v->series, n, sizeof(v->series[0]), by_pid);
	return v;
}

/* ------------------------------------------------------------ life */

struct metrics *metrics_new(const struct metrics_config *cfg)
{
	struct metrics *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->cfg.hold_s = cfg ? cfg->hold_s : METRICS_HOLD_S_DEFAULT;
	m->cfg.max_procs = cfg && cfg->max_procs ? cfg->max_procs : METRICS_MAX_PROCS_DEFAULT;
	m->n_slots = 128;
	m->slots = calloc(m->n_slots, sizeof(*m->slots));
	if (cfg && cfg->cgroup)
		m->cgroup = repaired_dup(cfg->cgroup, CGROUP_PATH_MAX);
	if (!m->slots || (cfg && cfg->cgroup && !m->cgroup)) {
		metrics_free(m);
		return NULL;
	}
	m->cfg.cgroup = m->cgroup;
	return m;
}

void metrics_free(struct metrics *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n; i++) {
		free(m->e[i]->cgroup);
		free(m->e[i]);
	}
	free(m->e);
	free(m->slots);
	free(m->cgroup);
	free(m);
}
