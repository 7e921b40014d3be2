// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* A process tree from one log (`procmon -c`) on one time axis: the members lined
 * up by wall-clock timestamp, their RSS summed, CPU added up, live ones counted. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "macros.h"
#include "table.h"
#include "tree.h"

_Static_assert(PLOT_TREE_TOP == 8, "one name per top column");
static const char *const column_names[PLOT_TREE_NR_COLUMNS] = {
	[PLOT_TREE_COL_TIME_S] = "time_s",
	[PLOT_TREE_COL_RSS_MIB] = "rss_mib",
	[PLOT_TREE_COL_CPU_PCT] = "cpu_pct",
	[PLOT_TREE_COL_LIVE] = "processes",
	[PLOT_TREE_COL_OTHERS_RSS_MIB] = "others_rss_mib",
	[PLOT_TREE_COL_TOP_RSS_MIB] = "rss_top1_mib", "rss_top2_mib", "rss_top3_mib",
	"rss_top4_mib", "rss_top5_mib", "rss_top6_mib", "rss_top7_mib", "rss_top8_mib",
};

const char *plot_tree_column_name(enum plot_tree_column col)
{
	return col < PLOT_TREE_NR_COLUMNS ? column_names[col] : "?";
}

/*
 * Seconds of a "YYYY-MM-DD HH:MM:SS[.ffffff]" timestamp (the shape logread
 * lets through) on a clock that only differences are taken of: local wall
 * time read as UTC, so no time zone rule applies. False when it is empty.
 */
static bool wall_s(const char *ts, double *out)
{
	struct tm tm = { 0 };
	double frac = 0;
	int n = 0;

	if (sscanf(ts, "%4d-%2d-%2d%*c%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
		   &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 6)
		return false;
	if (ts[n] == '.' && ts[n + 1])
		frac = strtod(ts + n, NULL);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	*out = (double)timegm(&tm) + frac;
	return true;
}

static bool usable(const struct plot_proc *p)
{
	double unused;

	return p->has_pid && p->nr_samples && wall_s(p->first_timestamp, &unused);
}

/* The parent of p in the log, or NULL. */
static const struct plot_proc *parent_of(const struct plot_log *log, const struct plot_proc *p)
{
	const struct plot_proc *q;

	if (!p->has_ppid || p->ppid == p->pid)
		return NULL;
	q = plot_log_find(log, true, p->ppid);
	return q && usable(q) ? q : NULL;
}

/* The topmost ancestor of p in the log (p itself without a parent there);
 * NULL on a cycle, which reused pids can make. */
static const struct plot_proc *root_of(const struct plot_log *log, const struct plot_proc *p)
{
	for (size_t steps = 0; steps <= log->nr_procs; steps++) {
		const struct plot_proc *q = parent_of(log, p);

		if (!q)
			return p;
		p = q;
	}
	return NULL;
}

/* The root with the most descendants; NULL when no process has a parent. */
static const struct plot_proc *find_root(const struct plot_log *log)
{
	size_t *count = calloc(log->nr_procs + 1, sizeof(*count)), best_n = 0;
	const struct plot_proc *best = NULL;

	if (!count)
		return NULL;
	for (size_t i = 0; i < log->nr_procs; i++) {
		const struct plot_proc *r;

		if (!usable(log->procs[i]) || !(r = root_of(log, log->procs[i])) ||
		    r == log->procs[i])
			continue;
		for (size_t j = 0; j < log->nr_procs; j++) {
			if (log->procs[j] == r && ++count[j] > best_n) {
				best_n = count[j];
				best = r;
			}
		}
	}
	free(count);
	return best;
}

/* A --cgroup log: the first process of a cgroup (NULL: none), and in *@cgroup the
 * traced cgroup, the shortest path seen (its sub-cgroups' paths are longer). */
static const struct plot_proc *cgroup_root(const struct plot_log *log, const char **cgroup)
{
	const struct plot_proc *root = NULL;

	*cgroup = NULL;
	for (size_t i = 0; i < log->nr_procs; i++) {
		const struct plot_proc *p = log->procs[i];

		if (!usable(p) || !p->cgroup)
			continue;
		if (!root)
			root = p;
		if (!*cgroup || strlen(p->cgroup) < strlen(*cgroup))
			*cgroup = p->cgroup;
	}
	return root;
}

static double cpu_s(const struct plot_tree_member *m, const struct plot_sample *s)
{
	if (m->oncpu)
		return s->metric[PLOT_ONCPU_NS] / 1e9;
	return s->metric[PLOT_CPU_USER_S] + s->metric[PLOT_CPU_SYSTEM_S];
}

/* A sample's RSS with the peak of its interval: what a process held at most. */
static double peak_of(const struct plot_sample *s)
{
	double rss = s->metric[PLOT_RSS_BYTES], peak = s->metric[PLOT_RSS_PEAK_BYTES];

	return isfinite(peak) && !(peak <= rss) ? peak : rss;
}

static void init_member(struct plot_tree_member *m, const struct plot_proc *p,
			const struct plot_proc *root)
{
	double wall, root_wall;

	wall_s(p->first_timestamp, &wall);
	wall_s(root->first_timestamp, &root_wall);
	m->p = p;
	m->offset_s = root->first_timestamp_elapsed_s + (wall - root_wall) -
		      p->first_timestamp_elapsed_s;
	m->start_s = p->samples[0].t_s + m->offset_s;
	m->end_s = p->samples[p->nr_samples - 1].t_s + m->offset_s;
	m->oncpu = p->metrics_present & (1u << PLOT_ONCPU_NS);
	m->peak_rss_bytes = 0;
	for (size_t i = 0; i < p->nr_samples; i++)
		if (peak_of(&p->samples[i]) > m->peak_rss_bytes)
			m->peak_rss_bytes = peak_of(&p->samples[i]);
}

static int collect_members(const struct plot_log *log, const struct plot_proc *root,
			   struct plot_tree *tree)
{
	tree->members = calloc(log->nr_procs, sizeof(*tree->members));
	if (!tree->members)
		return -ENOMEM;
	init_member(&tree->members[tree->nr_members++], root, root);
	for (size_t i = 0; i < log->nr_procs; i++) {
		const struct plot_proc *p = log->procs[i];

		if (p != root && usable(p) &&
		    (tree->cgroup ? p->cgroup != NULL : root_of(log, p) == root))
			init_member(&tree->members[tree->nr_members++], p, root);
	}
	return 0;
}

/* The PLOT_TREE_TOP members with the highest peak RSS, highest first. */
static void pick_top(struct plot_tree *tree)
{
	for (size_t i = 0; i < tree->nr_members; i++) {
		size_t at = tree->nr_top;

		while (at > 0 && tree->members[tree->top[at - 1]].peak_rss_bytes <
				 tree->members[i].peak_rss_bytes)
			at--;
		if (at >= PLOT_TREE_TOP)
			continue;
		if (tree->nr_top < PLOT_TREE_TOP)
			tree->nr_top++;
		memmove(&tree->top[at + 1], &tree->top[at],
			(tree->nr_top - 1 - at) * sizeof(tree->top[0]));
		tree->top[at] = i;
	}
}

/*
 * The row times: every distinct sample time of the members, or, with more
 * than max_rows, max_rows times evenly from the first to the last.
 * Returns the array (caller frees) with *nr set, or NULL.
 */
static double *make_grid(struct plot_tree *tree, size_t max_rows, size_t *nr)
{
	size_t total = 0, n = 0;
	double *t;

	for (size_t i = 0; i < tree->nr_members; i++)
		total += tree->members[i].p->nr_samples;
	t = malloc(total * sizeof(*t));
	if (!t)
		return NULL;
	for (size_t i = 0; i < tree->nr_members; i++) {
		const struct plot_tree_member *m = &tree->members[i];

		for (size_t k = 0; k < m->p->nr_samples; k++)
			t[n++] = m->p->samples[k].t_s + m->offset_s;
	}
	qsort(t, n, sizeof(*t), plot_cmp_time);
	n = 0;
	for (size_t k = 0; k < total; k++)
		if (!n || t[k] > t[n - 1])
			t[n++] = t[k];
	tree->t_min_s = t[0];
	tree->t_max_s = t[n - 1];
	if (max_rows > 1 && n > max_rows) {
		tree->thinned = true;
		n = max_rows;
		for (size_t j = 0; j < n; j++)
			t[j] = tree->t_min_s + (tree->t_max_s - tree->t_min_s) * (double)j /
				(double)(n - 1);
	}
	*nr = n;
	return t;
}

/* Cumulative CPU seconds of a member, piecewise linear through its samples,
 * flat before the first and after the last; counters never go back. */
struct cpu_curve {
	double *t, *c;
	size_t n, at;
};

static int cpu_curve_init(struct cpu_curve *cc, const struct plot_tree_member *m)
{
	const struct plot_proc *p = m->p;
	double min_dt = plot_rate_min_interval(p);

	memset(cc, 0, sizeof(*cc));
	cc->t = malloc(p->nr_samples * sizeof(*cc->t));
	cc->c = malloc(p->nr_samples * sizeof(*cc->c));
	if (!cc->t || !cc->c)
		return -ENOMEM;
	for (size_t k = 0; k < p->nr_samples; k++) {
		double c = cpu_s(m, &p->samples[k]);

		if (!isfinite(c))
			continue;
		if (cc->n && c < cc->c[cc->n - 1])
			c = cc->c[cc->n - 1];
		/* Too close after the point before (a label or event line): the
		 * slope between them would be noise (see table.c); the last stays. */
		if (cc->n && k + 1 < p->nr_samples &&
		    p->samples[k].t_s + m->offset_s - cc->t[cc->n - 1] < min_dt)
			continue;
		cc->t[cc->n] = p->samples[k].t_s + m->offset_s;
		cc->c[cc->n++] = c;
	}
	return 0;
}

/* The curve at t; calls must come with t not decreasing. */
static double cpu_curve_at(struct cpu_curve *cc, double t)
{
	size_t q;

	while (cc->at + 1 < cc->n && cc->t[cc->at + 1] <= t)
		cc->at++;
	q = cc->at;
	if (t <= cc->t[0])
		return cc->c[0];
	if (q + 1 >= cc->n || cc->t[q + 1] <= cc->t[q])
		return cc->c[q];
	return cc->c[q] + (cc->c[q + 1] - cc->c[q]) * (t - cc->t[q]) / (cc->t[q + 1] - cc->t[q]);
}

static void cpu_curve_free(struct cpu_curve *cc)
{
	free(cc->t);
	free(cc->c);
}

/*
 * Adds member m to every row. Row j stands for the interval (t[j-1], t[j]]:
 * m is alive in it when its samples span part of it; its RSS is the largest
 * of its samples inside, each with the peak of its interval (rss_peak: what
 * the tracer saw between samples), or, without one, its last RSS before (a
 * sample holds until the next); its CPU the growth of its curve over the interval.
 */
static int add_member(struct plot_tree *tree, const struct plot_tree_member *m,
		      const double *t, int top_col)
{
	const struct plot_proc *p = m->p;
	struct cpu_curve cc;
	double held = NAN, c_prev = NAN;
	size_t k = 0;

	if (cpu_curve_init(&cc, m)) {
		cpu_curve_free(&cc);
		return -ENOMEM;
	}
	for (size_t j = 0; j < tree->nr_rows; j++) {
		double *row = &tree->v[j * PLOT_TREE_NR_COLUMNS], lo = j ? t[j - 1] : -INFINITY;
		double max = NAN, rss, c;

		for (; k < p->nr_samples && p->samples[k].t_s + m->offset_s <= t[j]; k++) {
			double v = peak_of(&p->samples[k]);

			if (isfinite(v) && !(v <= max))
				max = v;
			if (isfinite(p->samples[k].metric[PLOT_RSS_BYTES]))
				held = p->samples[k].metric[PLOT_RSS_BYTES];
		}
		rss = isfinite(max) ? max : held;
		if (m->start_s <= t[j] && m->end_s > lo) {
			row[PLOT_TREE_COL_LIVE] += 1;
			if (isfinite(rss))
				row[PLOT_TREE_COL_RSS_MIB] += rss / MIB;
			if (top_col >= 0)
				row[top_col] = rss / MIB;
		}
		if (!cc.n)
			continue;
		c = cpu_curve_at(&cc, t[j]);
		if (j && t[j] > t[j - 1] && isfinite(c_prev))
			row[PLOT_TREE_COL_CPU_PCT] += (c - c_prev) / (t[j] - t[j - 1]) * 100;
		c_prev = c;
	}
	cpu_curve_free(&cc);
	return 0;
}

static void finish_columns(struct plot_tree *tree)
{
	double all_cpus = tree->root->cpu_count * 100.0;

	for (size_t j = 0; j < tree->nr_rows; j++) {
		double *row = &tree->v[j * PLOT_TREE_NR_COLUMNS], top = 0;

		if (!tree->has_rss)
			row[PLOT_TREE_COL_RSS_MIB] = NAN;
		if (!tree->has_cpu || j == 0)
			row[PLOT_TREE_COL_CPU_PCT] = NAN;
		/* Each process's CPU is spread evenly over its own sample intervals,
		 * which do not line up: where a busy stretch of one meets the average
		 * of another the sum can pass what the machine has. It cannot have. */
		if (all_cpus > 0 && row[PLOT_TREE_COL_CPU_PCT] > all_cpus) {
			row[PLOT_TREE_COL_CPU_PCT] = all_cpus;
			tree->cpu_capped++;
		}
		for (size_t i = 0; i < tree->nr_top; i++)
			if (isfinite(row[PLOT_TREE_COL_TOP_RSS_MIB + i]))
				top += row[PLOT_TREE_COL_TOP_RSS_MIB + i];
		row[PLOT_TREE_COL_OTHERS_RSS_MIB] = tree->has_rss ?
			fmax(0, row[PLOT_TREE_COL_RSS_MIB] - top) : NAN;
		for (int c = 0; c < PLOT_TREE_NR_COLUMNS; c++)
			if (isfinite(row[c]) && row[c] > tree->max[c])
				tree->max[c] = row[c];
	}
}

static int fill_rows(struct plot_tree *tree, size_t max_rows)
{
	double *t = make_grid(tree, max_rows, &tree->nr_rows);
	int err = 0;

	if (!t)
		return -ENOMEM;
	tree->v = malloc(tree->nr_rows * PLOT_TREE_NR_COLUMNS * sizeof(*tree->v));
	if (!tree->v) {
		free(t);
		return -ENOMEM;
	}
	for (size_t j = 0; j < tree->nr_rows; j++) {
		double *row = &tree->v[j * PLOT_TREE_NR_COLUMNS];

		for (int c = 0; c < PLOT_TREE_NR_COLUMNS; c++)
			row[c] = NAN;
		row[PLOT_TREE_COL_TIME_S] = t[j];
		row[PLOT_TREE_COL_RSS_MIB] = 0;
		row[PLOT_TREE_COL_CPU_PCT] = 0;
		row[PLOT_TREE_COL_LIVE] = 0;
	}
	for (size_t i = 0; i < tree->nr_members; i++) {
		const struct plot_tree_member *m = &tree->members[i];
		int top_col = -1;

		for (size_t r = 0; r < tree->nr_top; r++)
			if (tree->top[r] == i)
				top_col = PLOT_TREE_COL_TOP_RSS_MIB + (int)r;
		tree->has_rss |= m->p->metrics_present & (1u << PLOT_RSS_BYTES);
		tree->has_cpu |= m->oncpu || (m->p->metrics_present & (1u << PLOT_CPU_USER_S));
		err = add_member(tree, m, t, top_col);
		if (err)
			break;
	}
	free(t);
	if (!err)
		finish_columns(tree);
	return err;
}

int plot_tree_build(const struct plot_log *log, size_t max_rows, struct plot_tree *tree)
{
	const struct plot_proc *root;
	int err;

	memset(tree, 0, sizeof(*tree));
	root = cgroup_root(log, &tree->cgroup);
	if (!root)
		root = find_root(log);
	if (!root)
		return -ENOENT;
	tree->root = root;
	err = collect_members(log, root, tree);
	if (!err) {
		pick_top(tree);
		err = fill_rows(tree, max_rows);
	}
	if (err)
		plot_tree_free(tree);
	return err;
}

void plot_tree_free(struct plot_tree *tree)
{
	free(tree->members);
	free(tree->v);
	memset(tree, 0, sizeof(*tree));
}
