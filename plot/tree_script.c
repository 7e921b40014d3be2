// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The gnuplot script (.plt) of a process tree: stacked RSS, summed CPU, processes
 * alive. Like script.c's, it holds only our words, numbers and quoted paths. */
#include <errno.h>
#include <string.h>

#include "macros.h"
#include "text.h"
#include "tree_script.h"

#define WIDTH_PX	1200
#define LEFT_PX		90
#define RIGHT_PX	90
#define BOTTOM_PX	50
#define GAP_PX		10
#define LABEL_TEXT_PX	13	/* a rotated label is one line high */
#define MAX_HIDDEN_LINES 2000

enum tree_panel { TP_TITLE, TP_LABELS, TP_MEMORY, TP_CPU, TP_LIVE, TP_NR };

static const int panel_px[TP_NR] = { 40, 220, 260, 180, 130 };
static const char *const panel_names[TP_NR] = {
	"title", "labels and events", "memory", "CPU", "processes alive",
};

/* One colour per top process, bottom of the stack first; "others" last. */
static const char *const colours[PLOT_TREE_TOP + 1] = {
	"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
	"#8c564b", "#e377c2", "#17becf", "#c7c7c7",
};

static const struct {
	enum plot_text_kind kind;
	const char *title, *style;
} marks[] = {
	{ PLOT_TEXT_EXEC, "exec", "pt 9 ps 1.2 lc rgb '#2ca02c'" },
	{ PLOT_TEXT_FORK, "fork", "pt 5 ps 0.8 lc rgb '#1f77b4'" },
	{ PLOT_TEXT_EXIT, "exit", "pt 11 ps 1.2 lc rgb '#7f7f7f'" },
	{ PLOT_TEXT_OOM, "oom", "pt 7 ps 1.2 lc rgb '#d62728'" },
};


struct tree_script {
	FILE *f;
	const struct plot_tree *tree;
	const struct plot_layout *l;
	const struct plot_text_stats *st;
	bool on[TP_NR];
	struct plot_box box[TP_NR];
	int height_px;
	enum tree_panel bottom;
	int clauses;
	int err;
};

void plot_tree_layout(const struct plot_tree *tree, struct plot_layout *l)
{
	memset(l, 0, sizeof(*l));
	l->x_min_s = tree->t_min_s;
	l->x_max_s = tree->t_max_s;
	if (l->x_max_s - l->x_min_s < 1e-6) {
		l->x_min_s -= 0.5;
		l->x_max_s += 0.5;
	}
	l->width_px = WIDTH_PX;
	l->label_gap_s = (l->x_max_s - l->x_min_s) * LABEL_TEXT_PX /
			 (WIDTH_PX - LEFT_PX - RIGHT_PX);
}

static void place_panels(struct tree_script *s)
{
	int y_px;

	s->on[TP_TITLE] = s->on[TP_LABELS] = s->on[TP_LIVE] = true;
	s->on[TP_MEMORY] = s->tree->has_rss;
	s->on[TP_CPU] = s->tree->has_cpu;
	s->height_px = BOTTOM_PX;
	for (int i = 0; i < TP_NR; i++)
		if (s->on[i])
			s->height_px += panel_px[i] + GAP_PX;
	y_px = s->height_px;
	for (int i = 0; i < TP_NR; i++) {
		struct plot_box *b = &s->box[i];

		if (!s->on[i])
			continue;
		b->left = (double)LEFT_PX / WIDTH_PX;
		b->right = 1 - (double)RIGHT_PX / WIDTH_PX;
		b->top = (double)y_px / s->height_px;
		y_px -= panel_px[i];
		b->bottom = (double)y_px / s->height_px;
		y_px -= GAP_PX;
		s->bottom = (enum tree_panel)i;
	}
}

static void clause(struct tree_script *s)
{
	fputs(s->clauses++ ? ", \\\n     " : "plot ", s->f);
}

static void end_plot(struct tree_script *s)
{
	fputc('\n', s->f);
	s->clauses = 0;
}

static bool has_kind(const struct tree_script *s, enum plot_text_kind k)
{
	return s->st->kinds & (1u << k);
}

static void margins(struct tree_script *s, enum tree_panel panel)
{
	const struct plot_box *b = &s->box[panel];

	fprintf(s->f, "\n# %s\nset lmargin at screen %.5f\nset rmargin at screen %.5f\n"
		"set tmargin at screen %.5f\nset bmargin at screen %.5f\n"
		"set xrange [%.10g:%.10g]\n", panel_names[panel], b->left, b->right, b->top,
		b->bottom, s->l->x_min_s, s->l->x_max_s);
}

static void title_panel(struct tree_script *s)
{
	margins(s, TP_TITLE);
	fputs("unset border\nunset tics\nunset key\nunset grid\nunset xlabel\nunset ylabel\n"
	      "unset y2label\nset yrange [0:1]\n", s->f);
	clause(s);
	fputs("labels_file using 1:($2==0 ? 0.5 : NaN):3 with labels center font ',13' "
	      "noenhanced notitle", s->f);
	end_plot(s);
}

/* Process starts and labels with their text (from the labels file), events
 * as markers; the key of the markers in the right margin. */
static void labels_panel(struct tree_script *s)
{
	margins(s, TP_LABELS);
	fputs("set border 15\nunset tics\nset xtics format ''\nset grid xtics lc rgb '#e0e0e0'\n"
	      "set yrange [0:1]\nset ylabel 'processes, labels'\n", s->f);
	fprintf(s->f, "set key at screen 0.995,%.5f right top vertical samplen 1 font ',8'\n",
		s->box[TP_LABELS].top);
	if (has_kind(s, PLOT_TEXT_HIDDEN) && s->st->labels_hidden <= MAX_HIDDEN_LINES) {
		clause(s);
		fputs("labels_file using 1:($2==2 ? 0 : NaN):(0):(0.06) with vectors nohead "
		      "lc rgb '#bbbbbb' notitle", s->f);
	}
	if (has_kind(s, PLOT_TEXT_LABEL)) {
		clause(s);
		fputs("labels_file using 1:($2==1 ? 0 : NaN):(0):(1) with vectors nohead "
		      "lc rgb '#999999' notitle", s->f);
		clause(s);
		fputs("labels_file using 1:($2==1 ? 0.12 : NaN):3 with labels rotate by 90 left "
		      "offset 0.9,0 font ',8' noenhanced notitle", s->f);
	}
	for (size_t i = 0; i < ARRAY_SIZE(marks); i++) {
		if (!has_kind(s, marks[i].kind))
			continue;
		clause(s);
		fprintf(s->f, "labels_file using 1:($2==%d ? 0.07 : NaN) with points %s title '%s'",
			(int)marks[i].kind, marks[i].style, marks[i].title);
	}
	if (!s->clauses) {
		clause(s);
		fputs("NaN notitle", s->f);
	}
	end_plot(s);
}

static void data_axes(struct tree_script *s, enum tree_panel panel, const char *ylabel,
		      double y_max)
{
	margins(s, panel);
	/* The memory key lists the stack from the top: total, then the biggest. */

	fputs("set border 15\nset xtics\nset mxtics\nset grid xtics ytics lc rgb '#e0e0e0'\n"
	      "set key default\nset key inside top left horizontal font ',9' samplen 3\n"
	      "unset y2label\nunset y2tics\nset ytics mirror\nset format y '%g'\n", s->f);
	fprintf(s->f, "set ylabel '%s'\nset yrange [0:%.10g]\n", ylabel,
		y_max > 0 ? y_max * 1.25 : 1);
	if (panel == s->bottom)
		fputs("set format x '%g'\nset xlabel 'time since the root process started (s)'\n",
		      s->f);
	else
		fputs("set format x ''\nunset xlabel\n", s->f);
	if (has_kind(s, PLOT_TEXT_LABEL)) {
		clause(s);
		fprintf(s->f, "labels_file using 1:($2==1 ? 0 : NaN):(0):(%.10g) with vectors "
			"nohead dt 3 lc rgb '#aaaaaa' notitle", y_max > 0 ? y_max * 1.25 : 1);
	}
}

/*
 * RSS stacked: the top processes from the bottom up, "others" above them, so
 * the top edge is the tree's total. Each layer is drawn as the sum of itself
 * and all below it, biggest first, each painting over the one before; the key
 * comes after, from entries that draw nothing, biggest process first.
 */
static void memory_panel(struct tree_script *s)
{
	const struct plot_tree *tree = s->tree;
	size_t nr_others = tree->nr_members - tree->nr_top;

	data_axes(s, TP_MEMORY, "RSS (MiB)", tree->max[PLOT_TREE_COL_RSS_MIB]);
	if (nr_others) {
		clause(s);
		fprintf(s->f, "dat_file using 1:(col0(%d)) with fillsteps fs solid 1.0 noborder "
			"lc rgb '%s' notitle", PLOT_TREE_COL_RSS_MIB + 1, colours[PLOT_TREE_TOP]);
	}
	for (size_t i = tree->nr_top; i-- > 0;) {
		clause(s);
		fputs("dat_file using 1:(0", s->f);
		for (size_t k = 0; k <= i; k++)
			fprintf(s->f, "+col0(%d)", PLOT_TREE_COL_TOP_RSS_MIB + (int)k + 1);
		fprintf(s->f, ") with fillsteps fs solid 1.0 noborder lc rgb '%s' notitle",
			colours[i]);
	}
	clause(s);
	fprintf(s->f, "dat_file using 1:%d with steps lw 1.5 lc rgb '#000000' title 'total'",
		PLOT_TREE_COL_RSS_MIB + 1);
	for (size_t i = 0; i < tree->nr_top; i++) {
		clause(s);
		fprintf(s->f, "NaN with boxes fs solid 1.0 noborder lc rgb '%s' title 'pid %lld'",
			colours[i], tree->members[tree->top[i]].p->pid);
	}
	if (nr_others) {
		clause(s);
		fprintf(s->f, "NaN with boxes fs solid 1.0 noborder lc rgb '%s' "
			"title 'others (%zu process%s)'", colours[PLOT_TREE_TOP], nr_others,
			nr_others == 1 ? "" : "es");
	}
	end_plot(s);
}

static void cpu_panel(struct tree_script *s)
{
	data_axes(s, TP_CPU, "CPU (% of one CPU)", s->tree->max[PLOT_TREE_COL_CPU_PCT]);
	clause(s);
	fprintf(s->f, "dat_file using 1:%d with fsteps lw 1.5 lc rgb '#d62728' title '%s'",
		PLOT_TREE_COL_CPU_PCT + 1, s->tree->members[0].oncpu ?
		"CPU, all processes (on CPU, scheduler)" : "CPU, all processes (user + system)");
	end_plot(s);
}

static void live_panel(struct tree_script *s)
{
	data_axes(s, TP_LIVE, "processes", s->tree->max[PLOT_TREE_COL_LIVE]);
	clause(s);
	fprintf(s->f, "dat_file using 1:%d with fsteps lw 1.5 lc rgb '#2ca02c' "
		"title 'processes alive'", PLOT_TREE_COL_LIVE + 1);
	end_plot(s);
}

static void chart(struct tree_script *s, const char *terminal, const char *output_var)
{
	fprintf(s->f, "\nset terminal %s size %d,%d noenhanced background rgb 'white'\n",
		terminal, WIDTH_PX, s->height_px);
	fprintf(s->f, "set termoption noenhanced\nset output %s\nset multiplot\n", output_var);
	title_panel(s);
	labels_panel(s);
	if (s->on[TP_MEMORY])
		memory_panel(s);
	if (s->on[TP_CPU])
		cpu_panel(s);
	live_panel(s);
	fputs("unset multiplot\nset output\n", s->f);
}

static void path(struct tree_script *s, const char *name, const char *p)
{
	int err;

	fprintf(s->f, "%s = ", name);
	err = plot_path_write_quoted(s->f, p);
	fputc('\n', s->f);
	if (err && !s->err)
		s->err = err;
}

int plot_tree_write_script(FILE *f, const struct plot_tree_paths *paths,
			   const struct plot_tree *tree, const struct plot_layout *l,
			   const struct plot_text_stats *st)
{
	struct tree_script s = { .f = f, .tree = tree, .l = l, .st = st };

	place_panels(&s);
	fputs("# procmon plot of a process tree: run with `gnuplot -d FILE`.\n"
	      "# Text from the log (labels, command lines) is only in the .labels.dat file.\n"
	      "reset\nset datafile separator \"\\t\"\nset datafile commentschars '#'\n"
	      "# A column's value, 0 where it is NaN (a NaN column() would make the point undefined).\n"
	      "col0(c) = valid(c) ? column(c) : 0\n", f);
	path(&s, "dat_file", paths->dat);
	path(&s, "labels_file", paths->labels);
	path(&s, "svg_file", paths->svg);
	if (paths->png)
		path(&s, "png_file", paths->png);
	chart(&s, "svg", "svg_file");
	if (paths->png)
		chart(&s, "pngcairo", "png_file");
	if (!s.err && ferror(f))
		s.err = -EIO;
	return s.err;
}
