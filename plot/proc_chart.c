// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The chart of one process: its panels (memory, CPU, threads, off-CPU, faults, I/O) and their
 * curves, where they go, and its title; chart.c writes its script. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "macros.h"
#include "names.h"
#include "proc_chart.h"
#include "strip.h"
#include "text.h"

/* More phases than this are not shaded: the bands would be a smear, and each
 * is a path in the SVG. */
#define MAX_PHASE_BANDS	500

struct curve {
	enum plot_column col;
	const char *title;
	const char *style;
	bool y2;		/* on the right axis */
};

/* The curves of a data panel; stacked: areas, each from the previous top. */
struct curves {
	const struct curve *c;
	size_t nr;
	bool stacked;
};

static const struct curve memory_curves[] = {
	{ PLOT_COL_RSS_MIB, "RSS", "lw 2 lc rgb '#1f77b4'", false },
	{ PLOT_COL_RSS_PEAK_MIB, "RSS peak in interval", "lw 1 lc rgb '#ff7f0e'", false },
	{ PLOT_COL_VMS_MIB, "VMS (right axis)", "lw 1 dt 2 lc rgb '#7f7f7f'", true },
};

static const struct curve cpu_curves[] = {
	{ PLOT_COL_CPU_USER_PCT, "user", "lw 2 lc rgb '#1f77b4'", false },
	{ PLOT_COL_CPU_SYSTEM_PCT, "system", "lw 2 lc rgb '#d62728'", false },
	{ PLOT_COL_ONCPU_PCT, "on CPU (scheduler)", "lw 1 dt 2 lc rgb '#2ca02c'", false },
};

/* Off-CPU time as % of wall time, stacked: blocked, then sleeping, then
 * preempted on top, so the top edge is all the time off a CPU (summed over
 * threads: an idle thread adds 100 %). A value missing from a row counts 0. */
static const struct curve offcpu_areas[] = {
	{ PLOT_COL_BLOCKED_PCT, "blocked (D, usually I/O)", "fs solid 0.85 noborder lc rgb '#d62728'",
	  false },
	{ PLOT_COL_SLEEP_PCT, "sleeping", "fs solid 0.85 noborder lc rgb '#9ecae1'", false },
	{ PLOT_COL_PREEMPTED_PCT, "preempted (runnable)", "fs solid 0.85 noborder lc rgb '#ff7f0e'",
	  false },
};

static const struct curve fault_curves[] = {
	{ PLOT_COL_FAULTS_PER_S, "page faults/s", "lw 2 lc rgb '#9467bd'", false },
	{ PLOT_COL_PAGEINS_PER_S, "major faults/s", "lw 1 lc rgb '#8c564b'", false },
	{ PLOT_COL_RUNQ_WAIT_PCT, "run-queue wait % (right axis)", "lw 1 dt 2 lc rgb '#e377c2'",
	  true },
};

static const struct curve io_curves[] = {
	{ PLOT_COL_IO_READ_MIB_S, "read from storage", "lw 2 lc rgb '#1f77b4'", false },
	{ PLOT_COL_IO_WRITE_MIB_S, "written to storage", "lw 2 lc rgb '#d62728'", false },
	{ PLOT_COL_IO_RCHAR_MIB_S, "read by calls (page cache too)", "lw 1 dt 2 lc rgb '#1f77b4'",
	  false },
	{ PLOT_COL_IO_WCHAR_MIB_S, "written by calls", "lw 1 dt 2 lc rgb '#d62728'", false },
};

static const struct curves memory = { memory_curves, ARRAY_SIZE(memory_curves), false };
static const struct curves cpu = { cpu_curves, ARRAY_SIZE(cpu_curves), false };
static const struct curves offcpu = { offcpu_areas, ARRAY_SIZE(offcpu_areas), true };
static const struct curves faults = { fault_curves, ARRAY_SIZE(fault_curves), false };
static const struct curves io = { io_curves, ARRAY_SIZE(io_curves), false };

static bool has(const struct plot_table *t, enum plot_column c)
{
	return t->has & (1u << c);
}

/* The curves with a value in the table, as lines. */
static void lines(struct plot_chart *c, const void *arg)
{
	const struct curves *cs = arg;

	for (size_t i = 0; i < cs->nr; i++) {
		const struct curve *cv = &cs->c[i];

		if (!has(c->data, cv->col))
			continue;
		plot_chart_clause(c);
		fprintf(c->f, "dat_file using 1:%d%s with lines %s title '%s'", (int)cv->col + 1,
			cv->y2 ? " axes x1y2" : "", cv->style, cv->title);
	}
}

/* The curves stacked bottom up, each area from the top of the ones below. */
static void areas(struct plot_chart *c, const void *arg)
{
	const struct curves *cs = arg;
	char below[128] = "0";

	for (size_t i = 0; i < cs->nr; i++) {
		const struct curve *cv = &cs->c[i];
		char top[128];

		/* valid(), not a NaN test: gnuplot drops a point whose column is NaN
		 * before any function of it is evaluated. */
		snprintf(top, sizeof(top), "%s+(valid(%d)?column(%d):0)", below, (int)cv->col + 1,
			 (int)cv->col + 1);
		if (has(c->data, cv->col)) {
			plot_chart_clause(c);
			fprintf(c->f, "dat_file using 1:(%s):(%s) with filledcurves %s title '%s'",
				below, top, cv->style, cv->title);
		}
		memcpy(below, top, sizeof(below));
	}
}

/* One line per shown thread, one block each of the threads file, named by its
 * header row (the thread's name and tid: log text, kept out of the script). */
static void thread_lines(struct plot_chart *c, const void *arg)
{
	const struct plot_table *t = c->data;

	(void)arg;
	plot_chart_clause(c);
	fprintf(c->f, "for [i=0:%zu] threads_file index i using 1:2 with lines lw 1.5 "
		"title columnheader(2)", t->threads.nr_shown - 1);
}

enum { MEMORY = PLOT_PANEL_DATA, CPU, THREADS, OFFCPU, FAULTS, IO };

/* Below this (MiB/s, any I/O curve's highest), the I/O panel is left out. */
#define IO_MIN_MIB_S 0.1

static const struct plot_panel panels[] = {
	{ "title", 40, NULL, NULL, NULL, NULL },
	{ "labels and events", 220, NULL, NULL, NULL, NULL },
	[MEMORY] = { "memory", 230, "memory (MiB)", "VMS (MiB)", lines, &memory },
	[CPU] = { "CPU", 200, "CPU (% of one CPU)\\nthreads summed", NULL, lines, &cpu },
	[THREADS] = { "threads", 160, "CPU per thread\\n(% of one CPU)", NULL, thread_lines, NULL },
	[OFFCPU] = { "off-CPU", 160, "off-CPU (% of wall)\\nthreads summed", NULL, areas, &offcpu },
	[FAULTS] = { "faults", 200, "faults/s", "run-queue wait (%)", lines, &faults },
	[IO] = { "I/O", 160, "I/O (MiB/s)", NULL, lines, &io },
};
_Static_assert(ARRAY_SIZE(panels) <= PLOT_MAX_PANELS, "room for the panels");

const struct plot_chart_desc plot_proc_chart = {
	.about = "# procmon plot: run with `gnuplot -d FILE`.\n"
		 "# Text from the log (labels, command line) is only in the .labels.dat file.\n",
	.defs = "set style line 1 lw 1\n",
	.strip_ylabel = "labels",
	.time_label = "time since the process started (s)",
	.panels = panels,
	.nr_panels = ARRAY_SIZE(panels),
};

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
	plot_layout_time(l, lo, hi);
}

/* The largest value of a row of the curves: their sum when stacked. */
static double stacked_max(const struct plot_table *t, const struct curves *cs)
{
	double max = 0;

	for (size_t r = 0; r < t->nr_rows; r++) {
		const double *v = t->rows[r].v;
		double sum = 0;

		for (size_t i = 0; i < cs->nr; i++)
			sum += isfinite(v[cs->c[i].col]) ? v[cs->c[i].col] : 0;
		max = fmax(max, sum);
	}
	return max;
}

/* A data panel is on when one of its curves has a value; the right axis when
 * one of its right-axis curves has. */
static void data_panel(struct plot_layout *l, size_t panel, const struct plot_table *t)
{
	const struct curves *cs = panels[panel].arg;
	double y_max = 0, y2_max = 0;
	bool y2 = false;

	/* A few KiB/s of a loader reading its libraries: not worth a panel. */
	if (panel == IO) {
		double io_max = 0;

		for (size_t i = 0; i < cs->nr; i++)
			io_max = fmax(io_max, t->max[cs->c[i].col]);
		if (io_max < IO_MIN_MIB_S)
			return;
	}
	if (panel == THREADS) {
		l->panel_on[panel] = t->threads.nr_shown > 0;
		l->y_max[panel] = plot_layout_axis_top(t->threads.max_pct, 1.3);
		return;
	}
	for (size_t i = 0; i < cs->nr; i++) {
		const struct curve *cv = &cs->c[i];

		l->panel_on[panel] |= has(t, cv->col);
		y2 |= cv->y2 && has(t, cv->col);
		if (cv->y2)
			y2_max = fmax(y2_max, t->max[cv->col]);
		else
			y_max = fmax(y_max, t->max[cv->col]);
	}
	if (cs->stacked)
		y_max = stacked_max(t, cs);
	l->y_max[panel] = plot_layout_axis_top(y_max, 1.2);
	l->y2_max[panel] = y2 ? plot_layout_axis_top(y2_max, 1.2) : 0;
}

/* The machine's CPUs in the key of the CPU panels, and as a line when the
 * curves come near what they add up to. */
static void cpu_lines(struct plot_layout *l, int cpu_count)
{
	const size_t cpu_panels[] = { CPU, THREADS };
	double all = 100.0 * cpu_count;

	l->cpu_count = cpu_count;
	for (size_t i = 0; cpu_count > 0 && i < ARRAY_SIZE(cpu_panels); i++) {
		size_t panel = cpu_panels[i];

		l->cpu_line[panel] = true;
		/* The axis tops are 1.2 (1.3) times the curves' highest value. */
		if (l->y_max[panel] > 0.9 * all && l->y_max[panel] < all * 1.3)
			l->y_max[panel] = all * 1.3;
	}
}

void plot_proc_layout(struct plot_layout *l, const struct plot_proc *p,
		      const struct plot_table *t, size_t nr_phases)
{
	struct plot_strip strip = plot_proc_strip(p);

	memset(l, 0, sizeof(*l));
	time_range(l, p, t);
	plot_layout_strip(l, &strip);
	l->panel_on[PLOT_PANEL_TITLE] = true;
	l->panel_on[PLOT_PANEL_LABELS] = p->nr_labels || p->nr_marks;
	for (size_t i = PLOT_PANEL_DATA; i < ARRAY_SIZE(panels); i++)
		data_panel(l, i, t);
	cpu_lines(l, p->cpu_count);
	plot_layout_stack(l, panels, ARRAY_SIZE(panels));
	l->phase_bands = nr_phases > 1 && nr_phases <= MAX_PHASE_BANDS;
}

char *plot_proc_title(const struct plot_proc *p)
{
	char *name = plot_proc_name(p), *head = NULL, *title;
	char pid[48] = "", date[64] = "";

	if (!name)
		return NULL;
	if (p->has_pid)
		snprintf(pid, sizeof(pid), " (pid %lld)", p->pid);
	if (p->first_timestamp[0])
		snprintf(date, sizeof(date), ", log from %.19s", p->first_timestamp);
	/* The name and pid first, whole; the command line after, cut. */
	if (asprintf(&head, "%s%s%s", name, pid, date) < 0)
		head = NULL;
	free(name);
	title = head ? plot_title_then(head, plot_proc_command(p, "")) : NULL;
	free(head);
	return title;
}
