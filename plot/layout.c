// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Where things go on the chart: which panels, their boxes on the canvas, the
 * shared time range, axis ranges, and how close labels may be and keep text. */
#include <math.h>
#include <string.h>

#include "layout.h"

#define WIDTH_PX	1200
#define LEFT_PX		90	/* room for the y tics and label */
#define RIGHT_PX	90	/* room for the y2 tics and label */
#define BOTTOM_PX	50	/* the time axis' tics and label */
#define GAP_PX		10
/* A rotated label is one line high; closer ones would print over each other. */
#define LABEL_TEXT_PX	13
/* More phases than this are not shaded: the bands would be a smear, and each
 * is a path in the SVG. */
#define MAX_PHASE_BANDS	500

static const int panel_px[PLOT_NR_PANELS] = {
	[PLOT_PANEL_TITLE] = 40,
	[PLOT_PANEL_LABELS] = 220,
	[PLOT_PANEL_MEMORY] = 230,
	[PLOT_PANEL_CPU] = 200,
	[PLOT_PANEL_OFFCPU] = 160,
	[PLOT_PANEL_FAULTS] = 200,
};

static bool has(const struct plot_table *t, enum plot_column c)
{
	return t->has & (1u << c);
}

/* An axis top with headroom for the key; 1 for an empty or flat series. */
static double axis_max(double a, double b, double c)
{
	double m = fmax(a, fmax(b, c));

	return m > 0 ? m * 1.2 : 1;
}

static void time_range(struct plot_layout *l, const struct plot_proc *p,
		       const struct plot_table *t)
{
	double lo = INFINITY, hi = -INFINITY;

	if (t->nr_rows) {
		lo = p->samples[0].t_s;
		hi = t->t_max_s;
	}
	if (p->nr_labels) {
		lo = fmin(lo, p->labels[0].t_s);
		hi = fmax(hi, p->labels[p->nr_labels - 1].t_s);
	}
	if (p->nr_marks) {
		lo = fmin(lo, p->marks[0].t_s);
		hi = fmax(hi, p->marks[p->nr_marks - 1].t_s);
	}
	if (!isfinite(lo) || !isfinite(hi)) {
		lo = 0;
		hi = 1;
	} else if (hi - lo < 1e-6) {
		lo -= 0.5;
		hi += 0.5;
	}
	l->x_min_s = lo;
	l->x_max_s = hi;
}

/* The top of the stacked off-CPU areas: the largest sum of a row. */
static double offcpu_max(const struct plot_table *t)
{
	double max = 0;

	for (size_t r = 0; r < t->nr_rows; r++) {
		const double *v = t->rows[r].v;
		double sum = 0;

		for (int c = PLOT_COL_BLOCKED_PCT; c <= PLOT_COL_PREEMPTED_PCT; c++)
			sum += isfinite(v[c]) ? v[c] : 0;
		max = fmax(max, sum);
	}
	return max;
}

void plot_layout_init(struct plot_layout *l, const struct plot_proc *p,
		      const struct plot_table *t, size_t nr_phases)
{
	const double *m = t->max;
	int y_px;

	memset(l, 0, sizeof(*l));
	time_range(l, p, t);
	l->panel_on[PLOT_PANEL_TITLE] = true;
	l->panel_on[PLOT_PANEL_LABELS] = p->nr_labels || p->nr_marks;
	l->panel_on[PLOT_PANEL_MEMORY] = has(t, PLOT_COL_RSS_MIB) ||
		has(t, PLOT_COL_RSS_PEAK_MIB) || has(t, PLOT_COL_VMS_MIB);
	l->panel_on[PLOT_PANEL_CPU] = has(t, PLOT_COL_CPU_USER_PCT) ||
		has(t, PLOT_COL_CPU_SYSTEM_PCT) || has(t, PLOT_COL_ONCPU_PCT);
	l->panel_on[PLOT_PANEL_OFFCPU] = has(t, PLOT_COL_BLOCKED_PCT) ||
		has(t, PLOT_COL_SLEEP_PCT) || has(t, PLOT_COL_PREEMPTED_PCT);
	l->panel_on[PLOT_PANEL_FAULTS] = has(t, PLOT_COL_FAULTS_PER_S) ||
		has(t, PLOT_COL_PAGEINS_PER_S) || has(t, PLOT_COL_RUNQ_WAIT_PCT);

	l->y_max[PLOT_PANEL_MEMORY] = axis_max(m[PLOT_COL_RSS_MIB], m[PLOT_COL_RSS_PEAK_MIB], 0);
	l->y2_max[PLOT_PANEL_MEMORY] = axis_max(m[PLOT_COL_VMS_MIB], 0, 0);
	l->y_max[PLOT_PANEL_CPU] = axis_max(m[PLOT_COL_CPU_USER_PCT],
					    m[PLOT_COL_CPU_SYSTEM_PCT], m[PLOT_COL_ONCPU_PCT]);
	l->y_max[PLOT_PANEL_OFFCPU] = axis_max(offcpu_max(t), 0, 0);
	l->y_max[PLOT_PANEL_FAULTS] = axis_max(m[PLOT_COL_FAULTS_PER_S],
					       m[PLOT_COL_PAGEINS_PER_S], 0);
	l->y2_max[PLOT_PANEL_FAULTS] = axis_max(m[PLOT_COL_RUNQ_WAIT_PCT], 0, 0);

	l->width_px = WIDTH_PX;
	l->height_px = BOTTOM_PX;
	for (int i = 0; i < PLOT_NR_PANELS; i++)
		if (l->panel_on[i])
			l->height_px += panel_px[i] + GAP_PX;
	/* Top down; the last panel on carries the time axis. */
	y_px = l->height_px;
	for (int i = 0; i < PLOT_NR_PANELS; i++) {
		struct plot_box *b = &l->box[i];

		if (!l->panel_on[i])
			continue;
		b->left = (double)LEFT_PX / WIDTH_PX;
		b->right = 1 - (double)RIGHT_PX / WIDTH_PX;
		b->top = (double)y_px / l->height_px;
		y_px -= panel_px[i];
		b->bottom = (double)y_px / l->height_px;
		y_px -= GAP_PX;
		l->bottom = (enum plot_panel)i;
	}
	l->phase_bands = nr_phases > 1 && nr_phases <= MAX_PHASE_BANDS;
	l->label_gap_s = (l->x_max_s - l->x_min_s) * LABEL_TEXT_PX /
			 (WIDTH_PX - LEFT_PX - RIGHT_PX);
}

bool plot_layout_has_data(const struct plot_layout *l)
{
	return l->panel_on[PLOT_PANEL_MEMORY] || l->panel_on[PLOT_PANEL_CPU] ||
	       l->panel_on[PLOT_PANEL_OFFCPU] || l->panel_on[PLOT_PANEL_FAULTS];
}
