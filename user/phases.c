// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Keeps the phase table of one process: differences of the counters BPF took at
 * consecutive labels, so a phase's cost has no sampling error. Bounded in size. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "phases.h"
#include "safe_text.h"

void phases_init(struct phases *p)
{
	memset(p, 0, sizeof(*p));
}

void phases_start(struct phases *p, double t_s, __u64 rss_bytes)
{
	p->open_since_s = phase_time_s(t_s);
	p->open_at.rss_bytes = rss_bytes;
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

/* The counters a cost is made of, as common/'s phase_cost indexes them. */
static void at_counters(const struct procmon_counters *c, double at[PHASE_NR_AT])
{
	at[PHASE_AT_PFAULTS] = (double)c->faults;
	at[PHASE_AT_PAGEINS] = (double)c->maj_flt;
	at[PHASE_AT_ONCPU_NS] = (double)c->oncpu_ns;
	at[PHASE_AT_RUNQ_WAIT_NS] = (double)c->runq_wait_ns;
	at[PHASE_AT_OFFCPU_PREEMPTED_NS] = (double)c->offcpu_preempted_ns;
	at[PHASE_AT_OFFCPU_BLOCKED_NS] = (double)c->offcpu_blocked_ns;
	at[PHASE_AT_OFFCPU_SLEEP_NS] = (double)c->offcpu_sleep_ns;
	at[PHASE_AT_RSS_BYTES] = (double)c->rss_bytes;
	at[PHASE_AT_PHASE_RSS_PEAK_BYTES] = (double)c->phase_rss_peak_bytes;
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
	(*rows)[*n].count = 1;
	(*n)++;
	return true;
}

static struct phase_row *find_total(struct phases *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->n_totals; i++)
		if (!strcmp(p->totals[i].name, name))
			return &p->totals[i];
	return NULL;
}

static void add_total(struct phases *p, const char *name, const struct phase_cost *c)
{
	struct phase_row *total = find_total(p, name);

	if (!total && p->n_totals >= PHASES_MAX_NAMES)
		total = find_total(p, name = "(other names)");
	if (!total) {
		push_row(&p->totals, &p->n_totals, &p->cap_totals, name, 0, c);
		return;
	}
	phase_cost_add(&total->cost, c);
	total->count++;
}

static void close_phase(struct phases *p, double t_s, const struct procmon_counters *end)
{
	const char *name = p->open_name ? p->open_name : "(start)";
	double from[PHASE_NR_AT], to[PHASE_NR_AT];
	struct phase_cost c;

	at_counters(&p->open_at, from);
	at_counters(end, to);
	phase_cost_between(from, to, t_s - p->open_since_s, &c);
	if (p->n_rows < PHASES_MAX_ROWS)
		push_row(&p->rows, &p->n_rows, &p->cap_rows, name, p->open_since_s, &c);
	else
		p->dropped_rows++;
	add_total(p, name, &c);
}

void phases_label(struct phases *p, const char *name, double t_s,
		  const struct procmon_counters *at)
{
	t_s = phase_time_s(t_s);
	close_phase(p, t_s, at);
	free(p->open_name);
	p->open_name = strdup(name);
	p->open_since_s = t_s;
	p->open_at = *at;
}

void phases_finish(struct phases *p, double t_s, const struct procmon_counters *end)
{
	if (!p->open_name)
		return;	/* no label: no phases to speak of */
	close_phase(p, phase_time_s(t_s), end);
	free(p->open_name);
	p->open_name = NULL;
}

static void print_row(FILE *out, const struct phase_row *r, bool count)
{
	const struct phase_cost *c = &r->cost;

	/* A label's text: escaped, 32 characters wide, cut between characters. */
	safe_text_column(out, r->name, 32, false);
	fprintf(out, " %10.6f %10.6f %10.6f %10.6f %10.6f %10.6f %9.0f %10llu",
		c->wall_s, c->oncpu_s, c->runq_s, c->blocked_s, c->sleep_s,
		c->preempted_s, c->faults, (unsigned long long)c->peak_rss_bytes / 1024);
	if (count)
		fprintf(out, " %6llu", r->count);
	fputc('\n', out);
}

/* A table's title and column heads; @count: the totals' extra column. */
static void print_head(FILE *out, const char *title, bool count)
{
	fprintf(out, "procmon: %s\n", title);
	fprintf(out, "%-32s %10s %10s %10s %10s %10s %10s %9s %10s%s\n", "PHASE", "WALL_s",
		"ONCPU_s", "RUNQ_s", "BLOCKED_s", "SLEEP_s", "PREEMPT_s", "FAULTS", "PEAK_KiB",
		count ? "  COUNT" : "");
}

void phases_print(const struct phases *p, FILE *out)
{
	bool repeats = false;
	size_t i;

	if (!p->n_rows)
		return;
	print_head(out, "phases (from each label to the next)", false);
	for (i = 0; i < p->n_rows; i++)
		print_row(out, &p->rows[i], false);
	if (p->dropped_rows)
		fprintf(out, "(%llu more phases: in the totals below)\n", p->dropped_rows);
	for (i = 0; i < p->n_totals; i++)
		repeats |= p->totals[i].count > 1;
	if (!repeats && !p->dropped_rows)
		return;
	print_head(out, "phases totalled by name", true);
	for (i = 0; i < p->n_totals; i++)
		print_row(out, &p->totals[i], true);
}
