// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The sample table (struct plot_table) of one process, the rows that get plotted:
 * sizes in MiB, rates from counter deltas, long runs thinned to a bounded count. */
#include <errno.h>
#include <stdbool.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "macros.h"
#include "table.h"


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
	[PLOT_COL_BLOCKED_PCT] = "offcpu_blocked_pct",
	[PLOT_COL_SLEEP_PCT] = "offcpu_sleep_pct",
	[PLOT_COL_PREEMPTED_PCT] = "offcpu_preempted_pct",
	[PLOT_COL_IO_READ_MIB_S] = "io_read_mib_per_s",
	[PLOT_COL_IO_WRITE_MIB_S] = "io_write_mib_per_s",
	[PLOT_COL_IO_RCHAR_MIB_S] = "io_read_chars_mib_per_s",
	[PLOT_COL_IO_WCHAR_MIB_S] = "io_write_chars_mib_per_s",
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
	{ PLOT_COL_IO_READ_MIB_S, PLOT_IO_READ_BYTES, 1 / MIB },
	{ PLOT_COL_IO_WRITE_MIB_S, PLOT_IO_WRITE_BYTES, 1 / MIB },
	{ PLOT_COL_IO_RCHAR_MIB_S, PLOT_IO_READ_CHARS, 1 / MIB },
	{ PLOT_COL_IO_WCHAR_MIB_S, PLOT_IO_WRITE_CHARS, 1 / MIB },
};

/* Off-CPU time, from the counters as placed by place_offcpu(). */
static const struct {
	enum plot_column col;
	enum plot_metric metric;
} offcpu[] = {
	{ PLOT_COL_BLOCKED_PCT, PLOT_OFFCPU_BLOCKED_NS },
	{ PLOT_COL_SLEEP_PCT, PLOT_OFFCPU_SLEEP_NS },
	{ PLOT_COL_PREEMPTED_PCT, PLOT_OFFCPU_PREEMPTED_NS },
};

#define NR_OFFCPU 3


const char *plot_column_name(enum plot_column col)
{
	return col < PLOT_NR_COLUMNS ? column_names[col] : "?";
}

static double rate_of(double t0_s, double t1_s, double v0, double v1, double scale)
{
	double dt = t1_s - t0_s, d = v1 - v0;

	/* NaN inputs make d NaN and fail the test. */
	if (!(dt > 0) || !(d >= 0))
		return NAN;
	return d / dt * scale;
}

static double rate(const struct plot_sample *prev, const struct plot_sample *cur,
		   enum plot_metric m, double scale)
{
	return rate_of(prev->t_s, cur->t_s, prev->metric[m], cur->metric[m], scale);
}

/* A sample interval with room for off-CPU time the tracer charged later. */
struct room {
	size_t i;
	double ns;
};

/*
 * The tracer charges a thread's time off a CPU when it comes back, so a 1 s
 * sleep lands whole in the interval where it ended. Each interval can hold at
 * most threads x its length - its on-CPU time; what exceeds that happened
 * before: it is moved back into the room left in the intervals before, most
 * recent first, in the proportions of the kinds it came with. For one thread
 * that puts every nanosecond back where it was; for more it is an estimate.
 * Fills off[i * NR_OFFCPU + k] with the cumulative counters so placed (NaN
 * where the sample lacks one). Returns 0 or -ENOMEM.
 */
static int place_offcpu(const struct plot_sample *s, size_t n, double *off)
{
	struct room *stack = malloc((n ? n : 1) * sizeof(*stack));
	bool *known = calloc(n ? n : 1, sizeof(*known));
	size_t top = 0;

	if (!stack || !known) {
		free(stack);
		free(known);
		return -ENOMEM;
	}
	/* First each interval's own deltas, moved around; then summed up. */
	for (size_t i = 1; i < n; i++) {
		double *d = &off[i * NR_OFFCPU], share[NR_OFFCPU], sum = 0, room, thr, on;

		known[i] = true;
		for (int k = 0; k < NR_OFFCPU; k++) {
			d[k] = s[i].metric[offcpu[k].metric] - s[i - 1].metric[offcpu[k].metric];
			known[i] &= d[k] >= 0;	/* not NaN, not backwards */
			sum += d[k];
		}
		if (!known[i]) {
			top = 0;	/* nothing moves across a gap in the counters */
			continue;
		}
		thr = fmax(s[i].metric[PLOT_NUM_THREADS], s[i - 1].metric[PLOT_NUM_THREADS]);
		on = s[i].metric[PLOT_ONCPU_NS] - s[i - 1].metric[PLOT_ONCPU_NS];
		room = (thr >= 1 ? thr : 1) * (s[i].t_s - s[i - 1].t_s) * 1e9 - sum -
		       (on > 0 ? on : 0);
		for (int k = 0; k < NR_OFFCPU; k++)
			share[k] = sum > 0 ? d[k] / sum : 0;
		for (double excess = fmin(-room, sum); excess > 0 && top > 0;) {
			struct room *r = &stack[top - 1];
			double take = fmin(excess, r->ns);

			for (int k = 0; k < NR_OFFCPU; k++) {
				double part = take * share[k];

				off[r->i * NR_OFFCPU + k] += part;
				d[k] -= part;
			}
			r->ns -= take;
			excess -= take;
			if (!(r->ns > 0))
				top--;
		}
		if (room > 0)
			stack[top++] = (struct room){ i, room };
	}
	for (size_t i = 0; i < n; i++) {
		for (int k = 0; k < NR_OFFCPU; k++) {
			double *v = &off[i * NR_OFFCPU + k];

			*v = known[i] ? off[(i - 1) * NR_OFFCPU + k] + fmax(0, *v) :
				s[i].metric[offcpu[k].metric];
		}
	}
	free(stack);
	free(known);
	return 0;
}

/* Fills row from samples [first, last]; rates run from prev (NULL: none) to last. */
static void fill_row(struct plot_row *row, const struct plot_sample *s, size_t first,
		     size_t last, const struct plot_sample *prev, const double *off)
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
	for (int k = 0; k < NR_OFFCPU; k++)
		row->v[offcpu[k].col] = prev ? rate_of(prev->t_s, s[last].t_s,
			off[(size_t)(prev - s) * NR_OFFCPU + k], off[last * NR_OFFCPU + k],
			100 / 1e9) : NAN;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double plot_rate_min_interval(const struct plot_proc *p)
{
	size_t n = 0;
	double *dt, min;

	if (p->nr_samples < 3)
		return 0;
	dt = malloc((p->nr_samples - 1) * sizeof(*dt));
	if (!dt)
		return 0;
	for (size_t i = 1; i < p->nr_samples; i++)
		if (p->samples[i].t_s > p->samples[i - 1].t_s)
			dt[n++] = p->samples[i].t_s - p->samples[i - 1].t_s;
	qsort(dt, n, sizeof(*dt), cmp_double);
	min = n ? dt[n / 2] / 2 : 0;
	free(dt);
	return min;
}

int plot_table_build(const struct plot_proc *p, size_t max_rows, struct plot_table *t)
{
	double min_dt = plot_rate_min_interval(p);
	const struct plot_sample *s = p->samples;
	size_t n = p->nr_samples;
	double *off;

	memset(t, 0, sizeof(*t));
	off = malloc((n ? n : 1) * NR_OFFCPU * sizeof(*off));
	if (!off || place_offcpu(s, n, off)) {
		free(off);
		return -ENOMEM;
	}
	t->stride = max_rows && n > max_rows ? (n + max_rows - 1) / max_rows : 1;
	t->nr_rows = (n + t->stride - 1) / t->stride;
	t->rows = calloc(t->nr_rows ? t->nr_rows : 1, sizeof(*t->rows));
	if (!t->rows) {
		free(off);
		return -ENOMEM;
	}
	for (size_t j = 0; j < t->nr_rows; j++) {
		size_t first = j * t->stride;
		size_t last = first + t->stride - 1 < n ? first + t->stride - 1 : n - 1;
		const struct plot_sample *prev = NULL;

		/* The first row of a thinned table measures from its own first sample. */
		if (first > 0)
			prev = &s[first - 1];
		else if (last > first)
			prev = &s[first];
		/* A label or event line falls anywhere: measured from it, a rate
		 * over a few milliseconds is mostly the noise of clock ticks and
		 * of counters harvested at switch-out (a 130 % CPU spike). */
		while (prev && prev > s && s[last].t_s - prev->t_s < min_dt)
			prev--;
		fill_row(&t->rows[j], s, first, last, prev, off);
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
	plot_threads_build(p, max_rows, &t->threads);
	free(off);
	return 0;
}

void plot_table_free(struct plot_table *t)
{
	free(t->rows);
	memset(t, 0, sizeof(*t));
}
