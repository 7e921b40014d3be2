// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Folds a finished process into the run's totals and keeps the 10 largest and
 * the 10 busiest: what the tree summary needs of processes no longer in the table. */
#include <string.h>
#include <sys/wait.h>
#include "retired.h"
#include "targets.h"

/* Insert @b into @top (n entries, largest @key first) if it is among the largest. */
static void keep_top(struct target_brief *top, int *n, const struct target_brief *b,
		     double (*key)(const struct target_brief *))
{
	int i = *n < RETIRED_TOP ? *n : RETIRED_TOP - 1;

	if (*n == RETIRED_TOP && key(b) <= key(&top[RETIRED_TOP - 1]))
		return;
	for (; i > 0 && key(&top[i - 1]) < key(b); i--)
		top[i] = top[i - 1];
	top[i] = *b;
	if (*n < RETIRED_TOP)
		(*n)++;
}

static double peak_key(const struct target_brief *b)
{
	return (double)b->peak_bytes;
}

static double cpu_key(const struct target_brief *b)
{
	return b->cpu_s;
}

void retired_add(struct retired *r, const struct target *t)
{
	struct target_brief b;

	target_brief_of(t, &b);
	if (!r->n || b.start_s < r->first_start_s)
		r->first_start_s = b.start_s;
	if (b.end_s > r->last_end_s)
		r->last_end_s = b.end_s;
	r->n++;
	r->failed += b.have_exit_code && b.exit_code != 0;
	r->cpu_s += b.cpu_s;
	r->oncpu_ns += t->oncpu_ns;
	r->faults += t->counters.faults;
	r->labels += t->counters.labels;
	r->labels_lost += t->counters.labels_lost;
	if (b.peak_bytes > r->peak_bytes)
		r->peak_bytes = b.peak_bytes;
	keep_top(r->by_peak, &r->n_by_peak, &b, peak_key);
	keep_top(r->by_cpu, &r->n_by_cpu, &b, cpu_key);
}
