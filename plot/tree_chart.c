// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The chart of a process tree: its panels (stacked RSS, summed CPU, processes
 * alive) and their curves, where they go, and its title; chart.c writes its script. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "macros.h"
#include "strip.h"
#include "names.h"
#include "text.h"
#include "tree_chart.h"

enum { MEMORY = PLOT_PANEL_DATA, CPU, LIVE, NR_PANELS };

/* One colour per top process, bottom of the stack first; "others" last. */
static const char *const colours[PLOT_TREE_TOP + 1] = {
	"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
	"#8c564b", "#e377c2", "#17becf", "#c7c7c7",
};

/*
 * RSS stacked: the top processes from the bottom up, "others" above them, so
 * the top edge is the tree's total. Each layer is drawn as the sum of itself
 * and all below it, biggest first, each painting over the one before; the key
 * comes after, from entries that draw nothing: the stack from the top, total,
 * then the biggest process first.
 */
static void memory_curves(struct plot_chart *c, const void *arg)
{
	const struct plot_tree *tree = c->data;
	size_t nr_others = tree->nr_members - tree->nr_top;

	(void)arg;
	if (nr_others) {
		plot_chart_clause(c);
		fprintf(c->f, "dat_file using 1:(col0(%d)) with fillsteps fs solid 1.0 noborder "
			"lc rgb '%s' notitle", PLOT_TREE_COL_RSS_MIB + 1, colours[PLOT_TREE_TOP]);
	}
	for (size_t i = tree->nr_top; i-- > 0;) {
		plot_chart_clause(c);
		fputs("dat_file using 1:(0", c->f);
		for (size_t k = 0; k <= i; k++)
			fprintf(c->f, "+col0(%d)", PLOT_TREE_COL_TOP_RSS_MIB + (int)k + 1);
		fprintf(c->f, ") with fillsteps fs solid 1.0 noborder lc rgb '%s' notitle",
			colours[i]);
	}
	plot_chart_clause(c);
	fprintf(c->f, "dat_file using 1:%d with steps lw 1.5 lc rgb '#000000' title 'total'",
		PLOT_TREE_COL_RSS_MIB + 1);
	/* The top processes by name and pid, from the names file's header (log
	 * text stays out of the script). */
	if (tree->nr_top) {
		plot_chart_clause(c);
		fprintf(c->f, "for [i=1:%zu] names_file using (NaN):(NaN) with boxes fs solid 1.0 "
			"noborder lc rgb word(top_colours, i) title columnheader(i)", tree->nr_top);
	}
	if (nr_others) {
		plot_chart_clause(c);
		fprintf(c->f, "NaN with boxes fs solid 1.0 noborder lc rgb '%s' "
			"title 'others (%zu process%s)'", colours[PLOT_TREE_TOP], nr_others,
			nr_others == 1 ? "" : "es");
	}
}

static void cpu_curves(struct plot_chart *c, const void *arg)
{
	const struct plot_tree *tree = c->data;

	(void)arg;
	plot_chart_clause(c);
	fprintf(c->f, "dat_file using 1:%d with fsteps lw 1.5 lc rgb '#d62728' title '%s'",
		PLOT_TREE_COL_CPU_PCT + 1, tree->members[0].oncpu ?
		"CPU, all processes (on CPU, scheduler)" : "CPU, all processes (user + system)");
}

static void live_curves(struct plot_chart *c, const void *arg)
{
	(void)arg;
	plot_chart_clause(c);
	fprintf(c->f, "dat_file using 1:%d with fsteps lw 1.5 lc rgb '#2ca02c' "
		"title 'processes alive'", PLOT_TREE_COL_LIVE + 1);
}

static const struct plot_panel panels[NR_PANELS] = {
	[PLOT_PANEL_TITLE] = { "title", 40, NULL, NULL, NULL, NULL },
	[PLOT_PANEL_LABELS] = { "labels and events", 220, NULL, NULL, NULL, NULL },
	[MEMORY] = { "memory", 260, "RSS (MiB)\\nwith peaks between samples", NULL, memory_curves,
		     NULL },
	[CPU] = { "CPU", 180, "CPU (% of one CPU)\\nprocesses summed", NULL, cpu_curves, NULL },
	[LIVE] = { "processes alive", 130, "processes", NULL, live_curves, NULL },
};
_Static_assert(NR_PANELS <= PLOT_MAX_PANELS, "room for the panels");

const struct plot_chart_desc plot_tree_chart = {
	.about = "# procmon plot of a process tree: run with `gnuplot -d FILE`.\n"
		 "# Text from the log (labels, command lines) is only in the .labels.dat file.\n",
	.defs = "# A column's value, 0 where it is NaN (a NaN column() would make the point "
		"undefined).\ncol0(c) = valid(c) ? column(c) : 0\n"
		"top_colours = \"#1f77b4 #ff7f0e #2ca02c #d62728 #9467bd #8c564b #e377c2 #17becf\"\n",
	.strip_ylabel = "processes, labels",
	.time_label = "time since the root process started (s)",
	.panels = panels,
	.nr_panels = NR_PANELS,
};

/* Room above the stack for its key: the total, each top process and "others",
 * three to a row of about 14 px in the memory panel. */
static double memory_headroom(const struct plot_tree *tree)
{
	size_t entries = 1 + tree->nr_top + (tree->nr_members > tree->nr_top);
	double key_px = 14.0 * (double)((entries + 2) / 3) + 12;

	return 1.05 / (1 - key_px / panels[MEMORY].height_px);
}

void plot_tree_layout(struct plot_layout *l, const struct plot_tree *tree,
		      const struct plot_strip *strip)
{
	memset(l, 0, sizeof(*l));
	plot_layout_time(l, tree->t_min_s, tree->t_max_s);
	plot_layout_strip(l, strip);
	l->panel_on[PLOT_PANEL_TITLE] = l->panel_on[PLOT_PANEL_LABELS] = l->panel_on[LIVE] = true;
	l->panel_on[MEMORY] = tree->has_rss;
	l->panel_on[CPU] = tree->has_cpu;
	l->y_max[MEMORY] = plot_layout_axis_top(tree->max[PLOT_TREE_COL_RSS_MIB],
						memory_headroom(tree));
	l->y_max[CPU] = plot_layout_axis_top(tree->max[PLOT_TREE_COL_CPU_PCT], 1.25);
	l->y_max[LIVE] = plot_layout_axis_top(tree->max[PLOT_TREE_COL_LIVE], 1.25);
	l->cpu_count = tree->root->cpu_count;
	l->cpu_line[CPU] = l->cpu_count > 0;
	if (l->cpu_count > 0 && l->y_max[CPU] > 60.0 * l->cpu_count)
		l->y_max[CPU] = fmax(l->y_max[CPU], 130.0 * l->cpu_count);
	plot_layout_stack(l, panels, NR_PANELS);
}

char *plot_tree_title(const struct plot_tree *tree)
{
	const struct plot_proc *r = tree->root;
	char *name = plot_proc_name(r), *head = NULL, *title;

	if (!name)
		return NULL;
	if (tree->cgroup) {
		char tail[160];

		/* The cgroup's path cut, never the count and date (main's title). */
		snprintf(tail, sizeof(tail), ": %zu process%s, log from %.19s", tree->nr_members,
			 tree->nr_members == 1 ? "" : "es", r->first_timestamp);
		free(name);
		if (asprintf(&head, "cgroup %s", tree->cgroup) < 0)
			return NULL;
		title = plot_title(head, tail);
		free(head);
		return title;
	}
	if (asprintf(&head, "%s (pid %lld) and %zu descendant%s, log from %.19s", name, r->pid,
		     tree->nr_members - 1, tree->nr_members == 2 ? "" : "s", r->first_timestamp) < 0)
		head = NULL;
	free(name);
	title = head ? plot_title_then(head, plot_proc_command(r, "")) : NULL;
	free(head);
	return title;
}

int plot_write_tree_names(FILE *f, const struct plot_tree *tree)
{
	fputs("# procmon plot: the names of the processes of the tree's own colours, as "
	      "column headers\n", f);
	for (size_t i = 0; i < tree->nr_top; i++) {
		const struct plot_proc *p = tree->members[tree->top[i]].p;
		char *name = plot_proc_name(p), *text = NULL;
		int err;

		if (!name || asprintf(&text, "%s %lld", name, p->pid) < 0)
			text = NULL;
		free(name);
		if (!text)
			return -ENOMEM;
		if (i)
			fputc('\t', f);
		err = plot_text_write_header(f, text);
		free(text);
		if (err)
			return err;
	}
	fputc('\n', f);
	for (size_t i = 0; i < tree->nr_top; i++)
		fputs(i ? "\tNaN" : "NaN", f);
	fputc('\n', f);
	return ferror(f) ? -EIO : 0;
}
