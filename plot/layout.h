/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Where things go on a chart: its panels stacked top down on one canvas, their
 * boxes, the shared time range, and how close labels may be and keep text. */
#ifndef PROCMON_PLOT_LAYOUT_H
#define PROCMON_PLOT_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

/* Every chart starts with these two panels; its data panels follow. */
enum { PLOT_PANEL_TITLE, PLOT_PANEL_LABELS, PLOT_PANEL_DATA };

#define PLOT_MAX_PANELS 8

struct plot_chart;

/* A panel as a chart describes it: how high it is and what it draws. */
struct plot_panel {
	const char *name;		/* the script's comment before it */
	int height_px;
	const char *ylabel, *y2label;	/* of a data panel */
	/* Writes the plot clauses of a data panel's curves (chart.h). */
	void (*curves)(struct plot_chart *c, const void *arg);
	const void *arg;
};

struct plot_box {
	double left, right, bottom, top;	/* fractions of the canvas */
};

struct plot_layout {
	int width_px, height_px;
	double x_min_s, x_max_s;
	double label_gap_s;	/* closer to the previous shown label: no text */
	bool panel_on[PLOT_MAX_PANELS];
	struct plot_box box[PLOT_MAX_PANELS];
	size_t bottom;		/* the panel that shows the time axis */
	bool phase_bands;	/* shade the phases (the .phases.dat) in the data panels */
	double y_max[PLOT_MAX_PANELS];
	double y2_max[PLOT_MAX_PANELS];	/* 0: no right axis */
	int strip_px;			/* the label strip's height (plot_layout_strip) */
	double strip_text_y, strip_mark_y;	/* where texts start, markers sit: 0 to 1 */
	int cpu_count;			/* CPUs of the machine; 0: unknown */
	bool cpu_line[PLOT_MAX_PANELS];	/* a line at cpu_count x 100 % in this panel */
};

/* Sets the time axis to [lo_s, hi_s] (0 to 1 when either is not finite, one
 * second around a single instant) and the label gap that goes with it. */
void plot_layout_time(struct plot_layout *l, double lo_s, double hi_s);

struct plot_strip;

/* Fits the label strip to what it draws: as high as its longest text (the
 * event markers below), and the time axis a text's width longer when a label
 * sits at its end, so no text runs out of the frame. After plot_layout_time(). */
void plot_layout_strip(struct plot_layout *l, const struct plot_strip *s);

/* The top of a y axis whose largest value is max: max * headroom, room for
 * the key; 1 for an empty or flat series. */
double plot_layout_axis_top(double max, double headroom);

/* Stacks the panels that are on (l->panel_on) of the nr given, top down, each
 * as high as it says (the label strip as plot_layout_strip() made it), within
 * the margins every chart has; the last one on
 * carries the time axis. Sets the canvas size, the boxes and l->bottom. */
void plot_layout_stack(struct plot_layout *l, const struct plot_panel *panels, size_t nr);

/* True when at least one data panel is on. */
bool plot_layout_has_data(const struct plot_layout *l);

#endif /* PROCMON_PLOT_LAYOUT_H */
