// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Where things go on a chart: its panels stacked top down on one canvas, their
 * boxes, the shared time range, and how close labels may be and keep text. */
#include <math.h>

#include "layout.h"

#define WIDTH_PX	1200
#define LEFT_PX		90	/* room for the y tics and label */
#define RIGHT_PX	90	/* room for the y2 tics and label */
#define BOTTOM_PX	50	/* the time axis' tics and label */
#define GAP_PX		10
/* A rotated label is one line high; closer ones would print over each other. */
#define LABEL_TEXT_PX	13

void plot_layout_time(struct plot_layout *l, double lo_s, double hi_s)
{
	if (!isfinite(lo_s) || !isfinite(hi_s)) {
		lo_s = 0;
		hi_s = 1;
	} else if (hi_s - lo_s < 1e-6) {
		lo_s -= 0.5;
		hi_s += 0.5;
	}
	l->x_min_s = lo_s;
	l->x_max_s = hi_s;
	l->label_gap_s = (l->x_max_s - l->x_min_s) * LABEL_TEXT_PX /
			 (WIDTH_PX - LEFT_PX - RIGHT_PX);
}

double plot_layout_axis_top(double max, double headroom)
{
	return max > 0 ? max * headroom : 1;
}

void plot_layout_stack(struct plot_layout *l, const struct plot_panel *panels, size_t nr)
{
	int y_px;

	l->width_px = WIDTH_PX;
	l->height_px = BOTTOM_PX;
	for (size_t i = 0; i < nr; i++)
		if (l->panel_on[i])
			l->height_px += panels[i].height_px + GAP_PX;
	y_px = l->height_px;
	for (size_t i = 0; i < nr; i++) {
		struct plot_box *b = &l->box[i];

		if (!l->panel_on[i])
			continue;
		b->left = (double)LEFT_PX / WIDTH_PX;
		b->right = 1 - (double)RIGHT_PX / WIDTH_PX;
		b->top = (double)y_px / l->height_px;
		y_px -= panels[i].height_px;
		b->bottom = (double)y_px / l->height_px;
		y_px -= GAP_PX;
		l->bottom = i;
	}
}

bool plot_layout_has_data(const struct plot_layout *l)
{
	for (size_t i = PLOT_PANEL_DATA; i < PLOT_MAX_PANELS; i++)
		if (l->panel_on[i])
			return true;
	return false;
}
