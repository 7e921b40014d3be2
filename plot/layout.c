// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Where things go on a chart: its panels stacked top down on one canvas, their
 * boxes, the shared time range, and how close labels may be and keep text. */
#include <math.h>

#include "layout.h"
#include "strip.h"

#define WIDTH_PX	1200
#define LEFT_PX		100	/* room for the y tics (250000) and label */
#define RIGHT_PX	90	/* room for the y2 tics and label */
#define BOTTOM_PX	50	/* the time axis' tics and label */
#define GAP_PX		10
/* A rotated label is one line high; closer ones would print over each other. */
#define LABEL_TEXT_PX	15
/* The label strip: markers at the bottom, texts above them, at font size 10. */
#define STRIP_MARK_PX	9
#define STRIP_TEXT_FROM_PX	22
#define STRIP_CHAR_PX	7.2
#define STRIP_MIN_PX	32
#define STRIP_MAX_PX	260

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

void plot_layout_strip(struct plot_layout *l, const struct plot_strip *s)
{
	double room;
	size_t chars;
	int px;

	/* The last text is drawn right of its line: keep one text's width (and a
	 * bit) inside the frame after it. */
	if (s->nr_labels) {
		double last = s->labels[s->nr_labels - 1].t_s;

		room = 1.5 * l->label_gap_s;
		if (isfinite(last) && last > l->x_max_s - room && last <= l->x_max_s + room)
			plot_layout_time(l, l->x_min_s, last + room);
	}
	chars = plot_strip_longest_text(s, l->label_gap_s);
	px = STRIP_TEXT_FROM_PX + (int)(chars * STRIP_CHAR_PX) + (chars ? 6 : 0);
	l->strip_px = px < STRIP_MIN_PX ? STRIP_MIN_PX : px > STRIP_MAX_PX ? STRIP_MAX_PX : px;
	l->strip_text_y = (double)STRIP_TEXT_FROM_PX / l->strip_px;
	l->strip_mark_y = (double)STRIP_MARK_PX / l->strip_px;
}

double plot_layout_axis_top(double max, double headroom)
{
	return max > 0 ? max * headroom : 1;
}

static int panel_px(const struct plot_layout *l, const struct plot_panel *panels, size_t i)
{
	return i == PLOT_PANEL_LABELS && l->strip_px > 0 ? l->strip_px : panels[i].height_px;
}

void plot_layout_stack(struct plot_layout *l, const struct plot_panel *panels, size_t nr)
{
	int y_px;

	l->width_px = WIDTH_PX;
	l->height_px = BOTTOM_PX;
	for (size_t i = 0; i < nr; i++)
		if (l->panel_on[i])
			l->height_px += panel_px(l, panels, i) + GAP_PX;
	y_px = l->height_px;
	for (size_t i = 0; i < nr; i++) {
		struct plot_box *b = &l->box[i];

		if (!l->panel_on[i])
			continue;
		b->left = (double)LEFT_PX / WIDTH_PX;
		b->right = 1 - (double)RIGHT_PX / WIDTH_PX;
		b->top = (double)y_px / l->height_px;
		y_px -= panel_px(l, panels, i);
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
