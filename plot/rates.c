// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Samples of one process to the rows that get plotted: sizes in MiB, rates
 * from deltas of cumulative counters, long runs thinned to a bounded row count. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rates.h"

#define MIB (1024.0 * 1024.0)

static const char *const column_names[PLOT_NR_COLUMNS] = {
	[PLOT_COL_TIME_S] = "time_s",
	[PLOT_COL_RSS_MIB] = "rss_mib",
	[PLOT_COL_RSS_PEAK_MIB] = "rss_peak_mib",
	[PLOT_COL_VMS_MIB] = "vms_mib",
	[PLOT_COL_CPU_USER_PCT] = "cpu_user_pct",
	[PLOT_COL_CPU_SYSTEM_PCT] = "cpu_system_pct",
	[PLOT_COL_ONCPU_PCT] = "oncpu_pct",
	[PLOT_COL_FAULTS_PER_S] = "faults_per_s",
	[PLOT_COL_PAGEINS_PER_S] = "pageins_per_s",
	[PLOT_COL_RUNQ_WAIT_PCT] = "runq_wait_pct",
	[PLOT_COL_VOLUNTARY_PER_S] = "voluntary_per_s",
	[PLOT_COL_INVOLUNTARY_PER_S] = "involuntary_per_s",
	[PLOT_COL_THREADS] = "num_threads",
};

/* Sizes and counts: the row shows the largest value of its samples. */
static const struct {
	enum plot_column col;
	enum plot_metric metric;
	double scale;
} gauges[] = {
	{ PLOT_COL_RSS_MIB, PLOT_RSS_BYTES, 1 / MIB },
	{ PLOT_COL_RSS_PEAK_MIB, PLOT_RSS_PEAK_BYTES, 1 / MIB },
	{ PLOT_COL_VMS_MIB, PLOT_VMS_BYTES, 1 / MIB },
	{ PLOT_COL_THREADS, PLOT_NUM_THREADS, 1 },
};

/* Cumulative counters: the row shows delta / delta-t * scale. */
static const struct {
	enum plot_column col;
	enum plot_metric metric;
	double scale;
} rates[] = {
	{ PLOT_COL_CPU_USER_PCT, PLOT_CPU_USER_S, 100 },
	{ PLOT_COL_CPU_SYSTEM_PCT, PLOT_CPU_SYSTEM_S, 100 },
	{ PLOT_COL_ONCPU_PCT, PLOT_ONCPU_NS, 100 / 1e9 },
	{ PLOT_COL_FAULTS_PER_S, PLOT_PFAULTS, 1 },
	{ PLOT_COL_PAGEINS_PER_S, PLOT_PAGEINS, 1 },
	{ PLOT_COL_RUNQ_WAIT_PCT, PLOT_RUNQ_WAIT_NS, 100 / 1e9 },
	{ PLOT_COL_VOLUNTARY_PER_S, PLOT_VOLUNTARY, 1 },
	{ PLOT_COL_INVOLUNTARY_PER_S, PLOT_INVOLUNTARY, 1 },
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

const char *plot_column_name(enum plot_column col)
{
	return col < PLOT_NR_COLUMNS ? column_names[col] : "?";
}

static double rate(const struct plot_sample *prev, const struct plot_sample *cur,
		   enum plot_metric m, double scale)
{
	double dt = cur->t_s - prev->t_s, d = cur->metric[m] - prev->metric[m];

	/* NaN inputs make d NaN and fail the test. */
	if (!(dt > 0) || !(d >= 0))
		return NAN;
	return d / dt * scale;
}

/* Fills row from samples [first, last]; rates run from prev (NULL: none) to last. */
static void fill_row(struct plot_row *row, const struct plot_sample *s, size_t first,
		     size_t last, const struct plot_sample *prev)
{
	row->v[PLOT_COL_TIME_S] = s[last].t_s;
	for (size_t g = 0; g < ARRAY_SIZE(gauges); g++) {
		double max = NAN;

		for (size_t i = first; i <= last; i++) {
			double v = s[i].metric[gauges[g].metric];

			if (isfinite(v) && !(v <= max))
				max = v;
		}
		row->v[gauges[g].col] = max * gauges[g].scale;
	}
	for (size_t r = 0; r < ARRAY_SIZE(rates); r++)
		row->v[rates[r].col] = prev ? rate(prev, &s[last], rates[r].metric,
						   rates[r].scale) : NAN;
}

int plot_table_build(const struct plot_proc *p, size_t max_rows, struct plot_table *t)
{
	const struct plot_sample *s = p->samples;
	size_t n = p->nr_samples;

	memset(t, 0, sizeof(*t));
	t->stride = max_rows && n > max_rows ? (n + max_rows - 1) / max_rows : 1;
	t->nr_rows = (n + t->stride - 1) / t->stride;
	t->rows = calloc(t->nr_rows ? t->nr_rows : 1, sizeof(*t->rows));
	if (!t->rows)
		return -ENOMEM;
	for (size_t j = 0; j < t->nr_rows; j++) {
		size_t first = j * t->stride;
		size_t last = first + t->stride - 1 < n ? first + t->stride - 1 : n - 1;
		const struct plot_sample *prev = NULL;

		/* The first row of a thinned table measures from its own first sample. */
		if (first > 0)
			prev = &s[first - 1];
		else if (last > first)
			prev = &s[first];
		fill_row(&t->rows[j], s, first, last, prev);
		for (int c = 0; c < PLOT_NR_COLUMNS; c++) {
			double v = t->rows[j].v[c];

			if (!isfinite(v))
				continue;
			if (!(t->has & (1u << c)) || v > t->max[c])
				t->max[c] = v;
			t->has |= 1u << c;
		}
	}
	if (n) {
		t->t_min_s = s[0].t_s;
		t->t_max_s = s[n - 1].t_s;
	}
	return 0;
}

void plot_table_free(struct plot_table *t)
{
	free(t->rows);
	memset(t, 0, sizeof(*t));
}
