// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The gnuplot script (.plt): stacked panels on one time axis. It holds only
 * our own words, numbers and quoted absolute paths, never text from the log. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "macros.h"
#include "script.h"
#include "text.h"

/* Above this many, labels without text get no tick in the label panel. */
#define MAX_HIDDEN_LINES 2000

struct curve {
	enum plot_column col;
	const char *title;
	const char *style;
	bool y2;
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

static const struct curve fault_curves[] = {
	{ PLOT_COL_FAULTS_PER_S, "page faults/s", "lw 2 lc rgb '#9467bd'", false },
	{ PLOT_COL_PAGEINS_PER_S, "major faults/s", "lw 1 lc rgb '#8c564b'", false },
	{ PLOT_COL_RUNQ_WAIT_PCT, "run-queue wait % (right axis)", "lw 1 dt 2 lc rgb '#e377c2'",
	  true },
};

static const struct {
	enum plot_text_kind kind;
	const char *title;
	const char *style;
} marks[] = {
	{ PLOT_TEXT_EXEC, "exec", "pt 9 ps 1.2 lc rgb '#2ca02c'" },
	{ PLOT_TEXT_FORK, "fork", "pt 5 ps 0.8 lc rgb '#1f77b4'" },
	{ PLOT_TEXT_EXIT, "exit", "pt 11 ps 1.2 lc rgb '#7f7f7f'" },
	{ PLOT_TEXT_OOM, "oom", "pt 7 ps 1.2 lc rgb '#d62728'" },
};

/* The off-CPU panel: areas stacked bottom up, each from the previous top. */
static const struct curve offcpu_areas[] = {
	{ PLOT_COL_BLOCKED_PCT, "blocked (D, usually I/O)", "fs solid 0.85 noborder lc rgb '#d62728'",
	  false },
	{ PLOT_COL_SLEEP_PCT, "sleeping", "fs solid 0.85 noborder lc rgb '#9ecae1'", false },
	{ PLOT_COL_PREEMPTED_PCT, "preempted (runnable)", "fs solid 0.85 noborder lc rgb '#ff7f0e'",
	  false },
};

#define PHASE_BAND_STYLE "fs solid 1.0 noborder lc rgb '#e6edf7'"


struct script {
	FILE *f;
	const struct plot_paths *paths;
	const struct plot_layout *l;
	const struct plot_table *t;
	const struct plot_text_stats *st;
	int clauses;		/* of the plot command being written */
	int err;
};

static void path(struct script *s, const char *p)
{
	int err = plot_path_write_quoted(s->f, p);

	if (err && !s->err)
		s->err = err;
}

/* Starts the next clause of a plot command. */
static void clause(struct script *s)
{
	fputs(s->clauses++ ? ", \\\n     " : "plot ", s->f);
}

static void end_plot(struct script *s)
{
	fputc('\n', s->f);
	s->clauses = 0;
}

static void margins(struct script *s, enum plot_panel panel)
{
	const struct plot_box *b = &s->l->box[panel];

	fprintf(s->f, "\n# %s\nset lmargin at screen %.5f\nset rmargin at screen %.5f\n"
		"set tmargin at screen %.5f\nset bmargin at screen %.5f\n",
		panel == PLOT_PANEL_TITLE ? "title" : panel == PLOT_PANEL_LABELS ? "labels and events" :
		panel == PLOT_PANEL_MEMORY ? "memory" : panel == PLOT_PANEL_CPU ? "CPU" :
		panel == PLOT_PANEL_OFFCPU ? "off-CPU" : "faults",
		b->left, b->right, b->top, b->bottom);
	fprintf(s->f, "set xrange [%.10g:%.10g]\n", s->l->x_min_s, s->l->x_max_s);
}

static bool has_kind(const struct script *s, enum plot_text_kind k)
{
	return s->st->kinds & (1u << k);
}

static void title_panel(struct script *s)
{
	margins(s, PLOT_PANEL_TITLE);
	fputs("unset border\nunset tics\nunset key\nunset grid\nunset xlabel\nunset ylabel\n"
	      "unset y2label\nset yrange [0:1]\n", s->f);
	clause(s);
	fputs("labels_file", s->f);
	fputs(" using 1:($2==0 ? 0.5 : NaN):3 with labels center font ',13' noenhanced notitle", s->f);
	end_plot(s);
}

/* Every other phase (from the phase table) as a light band behind the curves,
 * the first, "(start)", unshaded; the table's rows are numbered by $0. */
static void phase_bands(struct script *s, double y_max)
{
	if (!s->l->phase_bands || !s->paths->phases)
		return;
	clause(s);
	fputs("phases_file", s->f);
	fprintf(s->f, " using (($1+$2)/2):(int($0)%%2 ? %.10g : NaN):(($2-$1)/2):(%.10g)"
		" with boxxyerror " PHASE_BAND_STYLE " notitle", y_max / 2, y_max / 2);
}

static void labels_panel(struct script *s)
{
	margins(s, PLOT_PANEL_LABELS);
	fputs("set border 15\nunset tics\nset xtics format ''\nset grid xtics lc rgb '#e0e0e0'\n"
	      "set yrange [0:1]\nset ylabel 'labels'\n", s->f);
	/* The event key goes in the right margin, clear of the label texts. */
	fprintf(s->f, "set key at screen 0.995,%.5f right top vertical samplen 1 font ',8'\n",
		s->l->box[PLOT_PANEL_LABELS].top);
	phase_bands(s, 1);
	if (has_kind(s, PLOT_TEXT_HIDDEN) && s->st->labels_hidden <= MAX_HIDDEN_LINES) {
		clause(s);
		fputs("labels_file", s->f);
		fputs(" using 1:($2==2 ? 0 : NaN):(0):(0.06) with vectors nohead lc rgb '#bbbbbb' notitle",
		      s->f);
	}
	if (has_kind(s, PLOT_TEXT_LABEL)) {
		clause(s);
		fputs("labels_file", s->f);
		fputs(" using 1:($2==1 ? 0 : NaN):(0):(1) with vectors nohead lc rgb '#999999' notitle",
		      s->f);
		clause(s);
		fputs("labels_file", s->f);
		fputs(" using 1:($2==1 ? 0.16 : NaN):3 with labels rotate by 90 left offset 0.9,0"
		      " font ',8' noenhanced notitle", s->f);
	}
	for (size_t i = 0; i < ARRAY_SIZE(marks); i++) {
		if (!has_kind(s, marks[i].kind))
			continue;
		clause(s);
		fputs("labels_file", s->f);
		fprintf(s->f, " using 1:($2==%d ? 0.07 : NaN) with points %s title '%s'",
			(int)marks[i].kind, marks[i].style, marks[i].title);
	}
	end_plot(s);
}

/* The y axis, tics and time axis of a data panel. */
static void data_axes(struct script *s, enum plot_panel panel, const char *ylabel,
		      const char *y2label, bool y2)
{
	margins(s, panel);
	fputs("set border 15\nset xtics\nset mxtics\nset grid xtics ytics lc rgb '#e0e0e0'\n"
	      "set key default\nset key inside top left horizontal font ',9' samplen 3\n", s->f);
	fprintf(s->f, "set ylabel '%s'\nset yrange [0:%.10g]\nset ytics %s\nset format y '%%g'\n",
		ylabel, s->l->y_max[panel], y2 ? "nomirror" : "mirror");
	if (y2)
		fprintf(s->f, "set y2label '%s'\nset y2range [0:%.10g]\nset y2tics\n",
			y2label, s->l->y2_max[panel]);
	else
		fputs("unset y2label\nunset y2tics\n", s->f);
	if (panel == s->l->bottom)
		fputs("set format x '%g'\nset xlabel 'time since the process started (s)'\n", s->f);
	else
		fputs("set format x ''\nunset xlabel\n", s->f);
	phase_bands(s, s->l->y_max[panel]);

	/* Each label with text as a faint line across the panel, behind the
	 * curves; the thinned ones would turn into a grey smear. */
	if (has_kind(s, PLOT_TEXT_LABEL)) {
		clause(s);
		fputs("labels_file", s->f);
		fprintf(s->f, " using 1:($2==1 ? 0 : NaN):(0):(%.10g) with vectors nohead dt 3"
			" lc rgb '#aaaaaa' notitle", s->l->y_max[panel]);
	}
}

static void data_panel(struct script *s, enum plot_panel panel, const char *ylabel,
		       const char *y2label, const struct curve *curves, size_t nr_curves)
{
	const struct plot_table *t = s->t;
	bool y2 = false;

	for (size_t i = 0; i < nr_curves; i++)
		y2 |= curves[i].y2 && (t->has & (1u << curves[i].col));
	data_axes(s, panel, ylabel, y2label, y2);
	for (size_t i = 0; i < nr_curves; i++) {
		if (!(t->has & (1u << curves[i].col)))
			continue;
		clause(s);
		fputs("dat_file", s->f);
		fprintf(s->f, " using 1:%d%s with lines %s title '%s'", (int)curves[i].col + 1,
			curves[i].y2 ? " axes x1y2" : "", curves[i].style, curves[i].title);
	}
	end_plot(s);
}

/* Off-CPU time as % of wall time, stacked: blocked, then sleeping, then
 * preempted on top, so the top edge is all the time off a CPU (summed over
 * threads: an idle thread adds 100 %). A value missing from a row counts 0. */
static void offcpu_panel(struct script *s)
{
	char below[128] = "0";

	data_axes(s, PLOT_PANEL_OFFCPU, "off-CPU (% of wall)", "", false);
	for (size_t i = 0; i < ARRAY_SIZE(offcpu_areas); i++) {
		char top[128];

		/* valid(), not a NaN test: gnuplot drops a point whose column is NaN
		 * before any function of it is evaluated. */
		snprintf(top, sizeof(top), "%s+(valid(%d)?column(%d):0)", below,
			 (int)offcpu_areas[i].col + 1, (int)offcpu_areas[i].col + 1);
		if (s->t->has & (1u << offcpu_areas[i].col)) {
			clause(s);
			fputs("dat_file", s->f);
			fprintf(s->f, " using 1:(%s):(%s) with filledcurves %s title '%s'", below, top,
				offcpu_areas[i].style, offcpu_areas[i].title);
		}
		memcpy(below, top, sizeof(below));
	}
	end_plot(s);
}

static void chart(struct script *s, const char *terminal, const char *output_var)
{
	fprintf(s->f, "\nset terminal %s size %d,%d noenhanced background rgb 'white'\n",
		terminal, s->l->width_px, s->l->height_px);
	fprintf(s->f, "set termoption noenhanced\nset output %s\nset multiplot\n", output_var);
	title_panel(s);
	if (s->l->panel_on[PLOT_PANEL_LABELS])
		labels_panel(s);
	if (s->l->panel_on[PLOT_PANEL_MEMORY])
		data_panel(s, PLOT_PANEL_MEMORY, "memory (MiB)", "VMS (MiB)", memory_curves,
			   ARRAY_SIZE(memory_curves));
	if (s->l->panel_on[PLOT_PANEL_CPU])
		data_panel(s, PLOT_PANEL_CPU, "CPU (%)", "", cpu_curves, ARRAY_SIZE(cpu_curves));
	if (s->l->panel_on[PLOT_PANEL_OFFCPU])
		offcpu_panel(s);
	if (s->l->panel_on[PLOT_PANEL_FAULTS])
		data_panel(s, PLOT_PANEL_FAULTS, "faults per second", "run-queue wait (%)",
			   fault_curves, ARRAY_SIZE(fault_curves));
	fputs("unset multiplot\nset output\n", s->f);
}

int plot_write_script(FILE *f, const struct plot_paths *paths, const struct plot_layout *l,
		      const struct plot_table *t, const struct plot_text_stats *st)
{
	struct script s = { .f = f, .paths = paths, .l = l, .t = t, .st = st };

	fputs("# procmon plot: run with `gnuplot -d FILE`.\n"
	      "# Text from the log (labels, command line) is only in the .labels.dat file.\n"
	      "reset\nset datafile separator \"\\t\"\n"
	      "set datafile commentschars '#'\nset style line 1 lw 1\n", f);
	/* The paths once, as variables: the plot commands only name them. */
	fputs("dat_file = ", f);
	path(&s, paths->dat);
	fputs("\nlabels_file = ", f);
	path(&s, paths->labels);
	fputs("\nsvg_file = ", f);
	path(&s, paths->svg);
	if (paths->phases) {
		fputs("\nphases_file = ", f);
		path(&s, paths->phases);
	}
	if (paths->png) {
		fputs("\npng_file = ", f);
		path(&s, paths->png);
	}
	fputc('\n', f);
	chart(&s, "svg", "svg_file");
	if (paths->png)
		chart(&s, "pngcairo", "png_file");
	if (!s.err && ferror(f))
		s.err = -EIO;
	return s.err;
}
