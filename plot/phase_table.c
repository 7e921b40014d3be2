// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The phase table of one process from its log: a phase runs from one label to the
 * next, its costs the differences of the counters procmon took at each label. */
#include <errno.h>
#include <math.h>
#include <search.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "phase_cost.h"
#include "phase_table.h"
#include "text.h"

#define START_NAME "(start)"

/* The sample metric that continues each at_label counter after the last label,
 * for logs whose STOP line has no at_stop (procmon before 0.1.0's at_stop). */
static const enum plot_metric at_metric[PLOT_NR_AT] = {
	[PLOT_AT_PFAULTS] = PLOT_PFAULTS,
	[PLOT_AT_PAGEINS] = PLOT_PAGEINS,
	[PLOT_AT_ONCPU_NS] = PLOT_ONCPU_NS,
	[PLOT_AT_RUNQ_WAIT_NS] = PLOT_RUNQ_WAIT_NS,
	[PLOT_AT_OFFCPU_PREEMPTED_NS] = PLOT_OFFCPU_PREEMPTED_NS,
	[PLOT_AT_OFFCPU_BLOCKED_NS] = PLOT_OFFCPU_BLOCKED_NS,
	[PLOT_AT_OFFCPU_SLEEP_NS] = PLOT_OFFCPU_SLEEP_NS,
	[PLOT_AT_RSS_BYTES] = PLOT_RSS_BYTES,
	[PLOT_AT_PHASE_RSS_PEAK_BYTES] = PLOT_RSS_BYTES,	/* see end_of_old_log() */
};

/* The at_label arrays of the log reader are indexed as common/ indexes them. */
#define SAME_AT(name) _Static_assert((int)PLOT_AT_##name == (int)PHASE_AT_##name, #name)
SAME_AT(PFAULTS);
SAME_AT(PAGEINS);
SAME_AT(ONCPU_NS);
SAME_AT(RUNQ_WAIT_NS);
SAME_AT(OFFCPU_PREEMPTED_NS);
SAME_AT(OFFCPU_BLOCKED_NS);
SAME_AT(OFFCPU_SLEEP_NS);
SAME_AT(RSS_BYTES);
SAME_AT(PHASE_RSS_PEAK_BYTES);
_Static_assert((int)PLOT_NR_AT == (int)PHASE_NR_AT, "the same counters");

/*
 * The end of the last phase in a log without at_stop: the last sample's
 * counters, and as its peak the highest RSS sampled after the label (a lower
 * bound: an interval's rss_peak may belong to the time before the label, as
 * label lines are samples but do not start intervals).
 */
static void end_of_old_log(const struct plot_proc *p, double open_s, double *end_s,
			   double *end_at)
{
	const struct plot_sample *last = &p->samples[p->nr_samples - 1];
	double peak = NAN;

	*end_s = last->t_s;
	for (int c = 0; c < PLOT_NR_AT; c++)
		end_at[c] = last->metric[at_metric[c]];
	for (size_t i = 0; i < p->nr_samples; i++)
		if (p->samples[i].t_s >= open_s)
			peak = phase_max_known(peak, p->samples[i].metric[PLOT_RSS_BYTES]);
	end_at[PLOT_AT_PHASE_RSS_PEAK_BYTES] = peak;
}

struct name_node {
	const char *name;
	size_t index;			/* into ph->totals */
};

static int name_cmp(const void *a, const void *b)
{
	return strcmp(((const struct name_node *)a)->name, ((const struct name_node *)b)->name);
}

static void free_node(void *node)
{
	free(node);
}

static int add_total(struct plot_phases *ph, void **tree, const struct plot_phase *row)
{
	struct name_node key = { .name = row->name }, *node, **found;
	struct plot_phase_total *t;

	found = tfind(&key, tree, name_cmp);
	if (!found) {
		node = malloc(sizeof(*node));
		if (!node)
			return -ENOMEM;
		*node = (struct name_node){ row->name, ph->nr_totals };
		if (!tsearch(node, tree, name_cmp)) {
			free(node);
			return -ENOMEM;
		}
		t = &ph->totals[ph->nr_totals++];
		t->name = row->name;
		t->count = 1;
		t->cost = row->cost;
		return 0;
	}
	t = &ph->totals[(*found)->index];
	t->count++;
	phase_cost_add(&t->cost, &row->cost);
	ph->names_repeat = true;
	return 0;
}

static int make_totals(struct plot_phases *ph)
{
	void *tree = NULL;
	int err = 0;

	ph->totals = calloc(ph->nr_rows, sizeof(*ph->totals));
	if (!ph->totals)
		return -ENOMEM;
	for (size_t i = 0; i < ph->nr_rows && !err; i++)
		err = add_total(ph, &tree, &ph->rows[i]);
	tdestroy(tree, free_node);
	return err;
}

int plot_phases_build(const struct plot_proc *p, struct plot_phases *ph)
{
	double start_at[PLOT_NR_AT] = { 0 }, end_at[PLOT_NR_AT], open_s, end_s;
	const double *open_at = start_at;
	const struct plot_label *open = NULL;
	size_t nr_at = 0;

	memset(ph, 0, sizeof(*ph));
	for (size_t i = 0; i < p->nr_labels; i++)
		nr_at += p->labels[i].has_at;
	if (!nr_at)
		return 0;
	ph->rows = calloc(nr_at + 1, sizeof(*ph->rows));
	if (!ph->rows)
		return -ENOMEM;
	/* From when tracing began, where the exit summary starts it too: the START
	 * line says so (0 for a process traced from its creation), with its RSS;
	 * older logs: the first line. Times to the microsecond, as the summary's. */
	open_s = phase_time_s(p->has_traced_since ? p->traced_since_s :
			      p->nr_samples ? p->samples[0].t_s : 0);
	start_at[PLOT_AT_RSS_BYTES] = p->start_rss_bytes;
	start_at[PLOT_AT_PHASE_RSS_PEAK_BYTES] = NAN;
	for (size_t i = 0; i < p->nr_labels; i++) {
		const struct plot_label *l = &p->labels[i];
		double t_s = phase_time_s(l->t_s);
		struct plot_phase *row;

		if (!l->has_at)
			continue;
		if (open_s > t_s)
			open_s = t_s;	/* a log with odd times: no negative wall */
		row = &ph->rows[ph->nr_rows++];
		row->start_s = open_s;
		row->end_s = t_s;
		row->name = open ? open->text : START_NAME;
		phase_cost_between(open_at, l->at, t_s - open_s, &row->cost);
		open = l;
		open_at = l->at;
		open_s = t_s;
	}
	/* The last phase runs to the STOP line, with its at_stop counters. */
	if (p->has_stop && phase_time_s(p->stop_s) >= open_s) {
		end_s = phase_time_s(p->stop_s);
		memcpy(end_at, p->stop, sizeof(end_at));
	} else if (p->nr_samples && p->samples[p->nr_samples - 1].t_s > open_s) {
		end_of_old_log(p, open_s, &end_s, end_at);
	} else {
		end_s = open_s;
		memcpy(end_at, open_at, sizeof(end_at));
		end_at[PLOT_AT_PHASE_RSS_PEAK_BYTES] = NAN;	/* the phase before's */
	}
	ph->rows[ph->nr_rows].start_s = open_s;
	ph->rows[ph->nr_rows].end_s = end_s;
	ph->rows[ph->nr_rows].name = open->text;
	phase_cost_between(open_at, end_at, end_s - open_s, &ph->rows[ph->nr_rows].cost);
	ph->nr_rows++;
	if (make_totals(ph)) {
		plot_phases_free(ph);
		return -ENOMEM;
	}
	return 0;
}

void plot_phases_free(struct plot_phases *ph)
{
	free(ph->rows);
	free(ph->totals);
	memset(ph, 0, sizeof(*ph));
}

/* Seconds to the nanosecond, counts and bytes whole, NaN when unknown. */
static void write_value(FILE *f, double v, bool whole)
{
	if (isnan(v))
		fputs("\tNaN", f);
	else
		fprintf(f, whole ? "\t%.0f" : "\t%.9f", v);
}

static int write_cost(FILE *f, const struct phase_cost *c, const char *name)
{
	write_value(f, c->wall_s, false);
	write_value(f, c->oncpu_s, false);
	write_value(f, c->runq_s, false);
	write_value(f, c->blocked_s, false);
	write_value(f, c->sleep_s, false);
	write_value(f, c->preempted_s, false);
	write_value(f, c->faults, true);
	write_value(f, c->peak_rss_bytes, true);
	fputc('\t', f);
	/* Names are label text, already clean; quoted as in the labels file. */
	if (plot_text_write_field(f, name))
		return -EIO;
	return fputc('\n', f) == EOF ? -EIO : 0;
}

static void write_head(FILE *f, const struct plot_proc *p, const char *what)
{
	if (p->has_pid)
		fprintf(f, "# procmon %s, pid %lld", what, p->pid);
	else
		fprintf(f, "# procmon %s, process without pid", what);
}

static const char cost_columns[] =
	"wall_s\toncpu_s\trunq_s\tblocked_s\tsleep_s\tpreempted_s\tfaults\tpeak_rss_bytes\tname\n";

int plot_write_phases(FILE *f, const struct plot_proc *p, const struct plot_phases *ph)
{
	int err = 0;

	write_head(f, p, "phases");
	fprintf(f, ": %zu, from each label to the next; the first from the start of "
		"tracing (the START line), the last to the STOP line (at_stop)\n"
		"# from the counters at each label (at_label), as the exit summary; peak = the "
		"highest of the RSS at both ends and the peak between; blocked = off-CPU in D "
		"(usually I/O), sleep = other sleep, preempted = runnable but off-CPU\n"
		"# columns (tab-separated; NaN: not in the log; the name is last, quoted):\n"
		"# start_s\tend_s\t%s", ph->nr_rows, cost_columns);
	for (size_t i = 0; i < ph->nr_rows && !err; i++) {
		fprintf(f, "%.6f\t%.6f", ph->rows[i].start_s, ph->rows[i].end_s);
		err = write_cost(f, &ph->rows[i].cost, ph->rows[i].name);
	}
	return err || ferror(f) ? -EIO : 0;
}

int plot_write_phase_totals(FILE *f, const struct plot_proc *p, const struct plot_phases *ph)
{
	int err = 0;

	write_head(f, p, "phases totalled by name");
	fprintf(f, ": %zu names; peak_rss_bytes is the highest of the phases\n"
		"# columns (tab-separated; NaN: not in the log; the name is last, quoted):\n"
		"# count\t%s", ph->nr_totals, cost_columns);
	for (size_t i = 0; i < ph->nr_totals && !err; i++) {
		fprintf(f, "%zu", ph->totals[i].count);
		err = write_cost(f, &ph->totals[i].cost, ph->totals[i].name);
	}
	return err || ferror(f) ? -EIO : 0;
}
