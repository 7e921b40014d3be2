// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The chart writer: the gnuplot script (.plt) of a chart's stacked panels on one
 * time axis. It holds only our own words, numbers and quoted paths, never log text. */
#include <errno.h>
#include <stdbool.h>

#include "chart.h"
#include "macros.h"
#include "text.h"

/* Above this many, labels without text get no tick in the label strip. */
#define MAX_HIDDEN_LINES 2000

#define PHASE_BAND_STYLE "fs solid 1.0 noborder lc rgb '#e6edf7'"

/* The events in the label strip, each as a marker with its key entry. */
static const struct {
	enum plot_text_kind kind;
	const char *title, *style;
} marks[] = {
	{ PLOT_TEXT_EXEC, "exec", "pt 9 ps 1.2 lc rgb '#2ca02c'" },
	{ PLOT_TEXT_FORK, "fork", "pt 5 ps 0.8 lc rgb '#1f77b4'" },
	{ PLOT_TEXT_EXIT, "exit", "pt 11 ps 1.2 lc rgb '#7f7f7f'" },
	{ PLOT_TEXT_OOM, "oom", "pt 7 ps 1.2 lc rgb '#d62728'" },
};

/* "name = 'path'": the paths once, as variables; the plot commands only name them. */
static void path_var(struct plot_chart *c, const char *name, const char *path)
{
	int err;

	if (!path)
		return;
	fprintf(c->f, "%s = ", name);
	err = plot_path_write_quoted(c->f, path);
	fputc('\n', c->f);
	if (err && !c->err)
		c->err = err;
}

void plot_chart_clause(struct plot_chart *c)
{
	fputs(c->clauses++ ? ", \\\n     " : "plot ", c->f);
}

static void end_plot(struct plot_chart *c)
{
	fputc('\n', c->f);
	c->clauses = 0;
}

static bool has_kind(const struct plot_chart *c, enum plot_text_kind k)
{
	return c->st->kinds & (1u << k);
}

static void margins(struct plot_chart *c, size_t panel)
{
	const struct plot_box *b = &c->l->box[panel];

	fprintf(c->f, "\n# %s\nset lmargin at screen %.5f\nset rmargin at screen %.5f\n"
		"set tmargin at screen %.5f\nset bmargin at screen %.5f\n"
		"set xrange [%.10g:%.10g]\n", c->desc->panels[panel].name, b->left, b->right,
		b->top, b->bottom, c->l->x_min_s, c->l->x_max_s);
}

static void title_panel(struct plot_chart *c)
{
	margins(c, PLOT_PANEL_TITLE);
	fputs("unset border\nunset tics\nunset key\nunset grid\nunset xlabel\nunset ylabel\n"
	      "unset y2label\nset yrange [0:1]\n", c->f);
	plot_chart_clause(c);
	fputs("labels_file using 1:($2==0 ? 0.5 : NaN):3 with labels center font ',13' "
	      "noenhanced notitle", c->f);
	end_plot(c);
}

/* Every other phase (from the phase table) as a light band behind the curves,
 * the first, "(start)", unshaded; the table's rows are numbered by $0. */
static void phase_bands(struct plot_chart *c, double y_max)
{
	if (!c->l->phase_bands || !c->paths->phases)
		return;
	plot_chart_clause(c);
	fprintf(c->f, "phases_file using (($1+$2)/2):(int($0)%%2 ? %.10g : NaN):(($2-$1)/2):"
		"(%.10g) with boxxyerror " PHASE_BAND_STYLE " notitle", y_max / 2, y_max / 2);
}

/* Labels with their text (from the labels file), hidden ones as short ticks,
 * events as markers; the key of the markers in the right margin, clear of the
 * label texts. */
static void strip_panel(struct plot_chart *c)
{
	margins(c, PLOT_PANEL_LABELS);
	/* A strip of event markers only is lower than its rotated y label. */
	fprintf(c->f, "set border 15\nunset tics\nset xtics format ''\n"
		"set grid xtics lc rgb '#e0e0e0'\nset yrange [0:1]\nset ylabel '%s'%s\n",
		c->desc->strip_ylabel, c->l->strip_px && c->l->strip_px < 80 ? " rotate by 0" : "");
	fprintf(c->f, "set key at screen 0.995,%.5f right top vertical samplen 1 font ',9'\n",
		c->l->box[PLOT_PANEL_LABELS].top);
	phase_bands(c, 1);
	if (has_kind(c, PLOT_TEXT_HIDDEN) && c->st->labels_hidden <= MAX_HIDDEN_LINES) {
		plot_chart_clause(c);
		fprintf(c->f, "labels_file using 1:($2==2 ? 0 : NaN):(0):(%.5f) with vectors nohead "
			"lc rgb '#bbbbbb' notitle", c->l->strip_text_y * 0.9);
	}
	if (has_kind(c, PLOT_TEXT_LABEL)) {
		plot_chart_clause(c);
		fputs("labels_file using 1:($2==1 ? 0 : NaN):(0):(1) with vectors nohead "
		      "lc rgb '#999999' notitle", c->f);
		plot_chart_clause(c);
		fprintf(c->f, "labels_file using 1:($2==1 ? %.5f : NaN):3 with labels rotate by 90 "
			"left offset 0.8,0 font ',10' noenhanced notitle", c->l->strip_text_y);
	}
	for (size_t i = 0; i < ARRAY_SIZE(marks); i++) {
		if (!has_kind(c, marks[i].kind))
			continue;
		plot_chart_clause(c);
		fprintf(c->f, "labels_file using 1:($2==%d ? %.5f : NaN) with points %s title '%s'",
			(int)marks[i].kind, c->l->strip_mark_y, marks[i].style, marks[i].title);
	}
	if (!c->clauses) {
		plot_chart_clause(c);
		fputs("NaN notitle", c->f);
	}
	end_plot(c);
}

/* A data panel: its axes, the phases and labels behind, then its curves. */
static void data_panel(struct plot_chart *c, size_t panel)
{
	const struct plot_panel *p = &c->desc->panels[panel];
	double y_max = c->l->y_max[panel], y2_max = c->l->y2_max[panel];

	margins(c, panel);
	fputs("set border 15\nset xtics\nset mxtics\nset grid xtics ytics lc rgb '#e0e0e0'\n"
	      "set key default\nset key inside top left horizontal font ',9' samplen 3\n", c->f);
	/* Double quotes: a y label (our own words) may have a "\n". */
	fprintf(c->f, "set ylabel \"%s\" rotate by 90\nset yrange [0:%.10g]\nset ytics %s\n"
		"set format y '%%g'\n",
		p->ylabel, y_max, y2_max > 0 ? "nomirror" : "mirror");
	if (y2_max > 0)
		fprintf(c->f, "set y2label '%s'\nset y2range [0:%.10g]\nset y2tics\n", p->y2label,
			y2_max);
	else
		fputs("unset y2label\nunset y2tics\n", c->f);
	if (panel == c->l->bottom)
		fprintf(c->f, "set format x '%%g'\nset xlabel '%s'\n", c->desc->time_label);
	else
		fputs("set format x ''\nunset xlabel\n", c->f);
	phase_bands(c, y_max);
	/* Each label with text as a faint line across the panel, behind the
	 * curves; the thinned ones would turn into a grey smear. */
	if (has_kind(c, PLOT_TEXT_LABEL)) {
		plot_chart_clause(c);
		fprintf(c->f, "labels_file using 1:($2==1 ? 0 : NaN):(0):(%.10g) with vectors "
			"nohead dt 3 lc rgb '#aaaaaa' notitle", y_max);
	}
	p->curves(c, p->arg);
	/* What "% of one CPU" adds up to on this machine. */
	if (c->l->cpu_line[panel] && c->l->cpu_count > 0) {
		plot_chart_clause(c);
		fprintf(c->f, "%d with lines dt 4 lw 1 lc rgb '#555555' title '%d CPU%s = %d %%'",
			c->l->cpu_count * 100, c->l->cpu_count, c->l->cpu_count == 1 ? "" : "s",
			c->l->cpu_count * 100);
	}
	end_plot(c);
}

static void draw(struct plot_chart *c, const char *terminal, const char *output_var)
{
	fprintf(c->f, "\nset terminal %s size %d,%d noenhanced background rgb 'white'\n",
		terminal, c->l->width_px, c->l->height_px);
	fprintf(c->f, "set termoption noenhanced\nset output %s\nset multiplot\n", output_var);
	for (size_t i = 0; i < c->desc->nr_panels; i++) {
		if (!c->l->panel_on[i])
			continue;
		if (i == PLOT_PANEL_TITLE)
			title_panel(c);
		else if (i == PLOT_PANEL_LABELS)
			strip_panel(c);
		else
			data_panel(c, i);
	}
	fputs("unset multiplot\nset output\n", c->f);
}

int plot_chart_write(FILE *f, const struct plot_chart_desc *d, const struct plot_paths *paths,
		     const struct plot_layout *l, const struct plot_text_stats *st,
		     const void *data)
{
	struct plot_chart c = { .f = f, .desc = d, .paths = paths, .l = l, .st = st,
				.data = data };

	fputs(d->about, f);
	fputs("reset\nset datafile separator \"\\t\"\nset datafile commentschars '#'\n", f);
	fputs(d->defs, f);
	path_var(&c, "dat_file", paths->dat);
	path_var(&c, "labels_file", paths->labels);
	path_var(&c, "svg_file", paths->svg);
	path_var(&c, "phases_file", paths->phases);
	path_var(&c, "threads_file", paths->threads);
	path_var(&c, "names_file", paths->names);
	path_var(&c, "png_file", paths->png);
	draw(&c, "svg", "svg_file");
	if (paths->png)
		draw(&c, "pngcairo", "png_file");
	if (!c.err && ferror(f))
		c.err = -EIO;
	return c.err;
}
