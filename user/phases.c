// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Keeps the phase table of one process: differences of the counters BPF took at
 * consecutive labels, so a phase's cost has no sampling error. Bounded in size. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "phases.h"

void phases_init(struct phases *p)
{
	memset(p, 0, sizeof(*p));
}

void phases_free(struct phases *p)
{
	size_t i;

	for (i = 0; i < p->n_rows; i++)
		free(p->rows[i].name);
	for (i = 0; i < p->n_totals; i++)
		free(p->totals[i].name);
	free(p->rows);
	free(p->totals);
	free(p->open_name);
	memset(p, 0, sizeof(*p));
}

/* b - a, or 0 when the counter went back. Each snapshot adds only the calling
 * thread's time since its last switch-out (oncpu, run_delay, faults...), so
 * when another thread labels next while the first still runs, the second
 * snapshot can be smaller; unsigned, that difference was 18446744073 s. */
static __u64 since(__u64 a, __u64 b)
{
	return b > a ? b - a : 0;
}

static void cost_between(const struct procmon_counters *a, const struct procmon_counters *b,
			 double wall_s, __u64 rss_peak, struct phase_cost *c)
{
	memset(c, 0, sizeof(*c));
	c->wall_s = wall_s;
	c->oncpu_ns = since(a->oncpu_ns, b->oncpu_ns);
	c->runq_wait_ns = since(a->runq_wait_ns, b->runq_wait_ns);
	c->faults = since(a->faults, b->faults);
	c->maj_flt = since(a->maj_flt, b->maj_flt);
	c->offcpu_preempted_ns = since(a->offcpu_preempted_ns, b->offcpu_preempted_ns);
	c->offcpu_blocked_ns = since(a->offcpu_blocked_ns, b->offcpu_blocked_ns);
	c->offcpu_sleep_ns = since(a->offcpu_sleep_ns, b->offcpu_sleep_ns);
	c->rss_peak_bytes = rss_peak;
	c->count = 1;
}

static void add_cost(struct phase_cost *sum, const struct phase_cost *c)
{
	sum->wall_s += c->wall_s;
	sum->oncpu_ns += c->oncpu_ns;
	sum->runq_wait_ns += c->runq_wait_ns;
	sum->faults += c->faults;
	sum->maj_flt += c->maj_flt;
	sum->offcpu_preempted_ns += c->offcpu_preempted_ns;
	sum->offcpu_blocked_ns += c->offcpu_blocked_ns;
	sum->offcpu_sleep_ns += c->offcpu_sleep_ns;
	if (c->rss_peak_bytes > sum->rss_peak_bytes)
		sum->rss_peak_bytes = c->rss_peak_bytes;
	sum->count += c->count;
}

/* Append to a growable row array; false when memory runs out. */
static bool push_row(struct phase_row **rows, size_t *n, size_t *cap, const char *name,
		     double start_s, const struct phase_cost *c)
{
	struct phase_row *grown;

	if (*n == *cap) {
		size_t want = *cap ? *cap * 2 : 16;

		grown = realloc(*rows, want * sizeof(*grown));
		if (!grown)
			return false;
		*rows = grown;
		*cap = want;
	}
	(*rows)[*n].name = strdup(name);
	(*rows)[*n].start_s = start_s;
	(*rows)[*n].cost = *c;
	(*n)++;
	return true;
}

static void add_total(struct phases *p, const char *name, const struct phase_cost *c)
{
	size_t i;

	for (i = 0; i < p->n_totals; i++) {
		if (!strcmp(p->totals[i].name, name)) {
			add_cost(&p->totals[i].cost, c);
			return;
		}
	}
	if (p->n_totals >= PHASES_MAX_NAMES)
		name = "(other names)";
	for (i = 0; i < p->n_totals; i++) {
		if (!strcmp(p->totals[i].name, name)) {
			add_cost(&p->totals[i].cost, c);
			return;
		}
	}
	push_row(&p->totals, &p->n_totals, &p->cap_totals, name, 0, c);
}

static void close_phase(struct phases *p, double t_s, const struct procmon_counters *end,
			__u64 rss_peak)
{
	const char *name = p->open_name ? p->open_name : "(start)";
	struct phase_cost c;

	cost_between(&p->open_at, end, t_s - p->open_since_s, rss_peak, &c);
	if (p->n_rows < PHASES_MAX_ROWS)
		push_row(&p->rows, &p->n_rows, &p->cap_rows, name, p->open_since_s, &c);
	else
		p->dropped_rows++;
	add_total(p, name, &c);
}

void phases_label(struct phases *p, const char *name, double t_s,
		  const struct procmon_counters *at)
{
	close_phase(p, t_s, at, at->phase_rss_peak_bytes);
	free(p->open_name);
	p->open_name = strdup(name);
	p->open_since_s = t_s;
	p->open_at = *at;
}

void phases_finish(struct phases *p, double t_s, const struct procmon_counters *end,
		   __u64 rss_peak_bytes)
{
	if (!p->open_name)
		return;	/* no label: no phases to speak of */
	close_phase(p, t_s, end, rss_peak_bytes);
	free(p->open_name);
	p->open_name = NULL;
}

static void print_row(FILE *out, const char *name, const struct phase_cost *c, bool count)
{
	fprintf(out, "%-32.32s %9.3f %10.6f %10.6f %10.6f %10.6f %10.6f %9llu %10llu",
		name, c->wall_s, (double)c->oncpu_ns / 1e9, (double)c->runq_wait_ns / 1e9,
		(double)c->offcpu_blocked_ns / 1e9, (double)c->offcpu_sleep_ns / 1e9,
		(double)c->offcpu_preempted_ns / 1e9, (unsigned long long)c->faults,
		(unsigned long long)c->rss_peak_bytes / 1024);
	if (count)
		fprintf(out, " %6llu", (unsigned long long)c->count);
	fputc('\n', out);
}

static const char header[] = "%-32s %9s %10s %10s %10s %10s %10s %9s %10s%s\n";

void phases_print(const struct phases *p, FILE *out)
{
	bool repeats = false;
	size_t i;

	if (!p->n_rows)
		return;
	fprintf(out, "procmon: phases (from each label to the next)\n");
	fprintf(out, header, "PHASE", "WALL_s", "ONCPU_s", "RUNQ_s", "BLOCKED_s", "SLEEP_s",
		"PREEMPT_s", "FAULTS", "PEAK_KiB", "");
	for (i = 0; i < p->n_rows; i++)
		print_row(out, p->rows[i].name, &p->rows[i].cost, false);
	if (p->dropped_rows)
		fprintf(out, "(%llu more phases: in the totals below)\n", p->dropped_rows);
	for (i = 0; i < p->n_totals; i++)
		repeats |= p->totals[i].cost.count > 1;
	if (!repeats && !p->dropped_rows)
		return;
	fprintf(out, "procmon: phases totalled by name\n");
	fprintf(out, header, "PHASE", "WALL_s", "ONCPU_s", "RUNQ_s", "BLOCKED_s", "SLEEP_s",
		"PREEMPT_s", "FAULTS", "PEAK_KiB", "  COUNT");
	for (i = 0; i < p->n_totals; i++)
		print_row(out, p->totals[i].name, &p->totals[i].cost, true);
}
