// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* OUTDIR/compare.svg: the main process of each of several runs on one time axis
 * (RSS, CPU, faults), phases aligned by label name when the runs share labels. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "compare.h"
#include "datfile.h"
#include "hover.h"
#include "macros.h"
#include "outdir.h"
#include "render.h"
#include "table.h"
#include "text.h"

#define MAX_ROWS 4000

/* A run on the common axis: its main process's table, and how its time maps
 * onto the first run's (anchors: pairs of times, its own and the first's). */
struct series {
	const char *name;
	const struct plot_proc *p;
	struct plot_table t;
	double *own, *ref;		/* nr_anchors each, increasing */
	size_t nr_anchors;
};

struct compare {
	struct series *s;
	size_t nr;
	size_t shared;			/* labels the runs are aligned at */
	struct plot_strip strip;
	struct plot_layout l;
};

/* The run's main process: the first with two samples (the launched command
 * comes first in a log), else the first with one. */
static const struct plot_proc *main_proc(const struct plot_log *log)
{
	const struct plot_proc *one = NULL;

	for (size_t i = 0; i < log->nr_procs; i++) {
		if (log->procs[i]->nr_samples >= 2)
			return log->procs[i];
		if (!one && log->procs[i]->nr_samples)
			one = log->procs[i];
	}
	return one;
}

/* The time of p's only label named name; NaN when it has none or several. */
static double only_label(const struct plot_proc *p, const char *name)
{
	double t = NAN;
	int n = 0;

	for (size_t i = 0; i < p->nr_labels; i++)
		if (!strcmp(p->labels[i].text, name) && n++ == 0)
			t = p->labels[i].t_s;
	return n == 1 ? t : NAN;
}

/* The anchors: the first run's labels that every run has once, kept while
 * every run's times keep increasing. 0 or -ENOMEM. */
static int align(struct compare *c)
{
	const struct plot_proc *ref = c->s[0].p;

	for (size_t r = 0; r < c->nr; r++) {
		c->s[r].own = calloc(ref->nr_labels + 1, sizeof(double));
		c->s[r].ref = calloc(ref->nr_labels + 1, sizeof(double));
		if (!c->s[r].own || !c->s[r].ref)
			return -ENOMEM;
	}
	for (size_t i = 0; i < ref->nr_labels && c->nr > 1; i++) {
		const char *name = ref->labels[i].text;
		bool keep = true;

		for (size_t r = 0; r < c->nr && keep; r++) {
			const struct series *s = &c->s[r];
			double t = only_label(s->p, name);

			keep = isfinite(t) && (!s->nr_anchors || t > s->own[s->nr_anchors - 1]);
		}
		if (!keep)
			continue;
		for (size_t r = 0; r < c->nr; r++) {
			struct series *s = &c->s[r];

			s->own[s->nr_anchors] = only_label(s->p, name);
			s->ref[s->nr_anchors++] = ref->labels[i].t_s;
		}
		c->shared++;
	}
	return 0;
}

/* A run's time t on the common axis: stretched between the shared labels,
 * shifted (its own pace) before the first and after the last; its own time
 * when no label is shared. */
static double warp(const struct compare *c, const struct series *s, double t)
{
	size_t k = 0;

	if (!c->shared)
		return t;
	if (t <= s->own[0])
		return t - s->own[0] + s->ref[0];
	while (k + 1 < s->nr_anchors && s->own[k + 1] < t)
		k++;
	if (k + 1 == s->nr_anchors)
		return t - s->own[k] + s->ref[k];
	return s->ref[k] + (s->ref[k + 1] - s->ref[k]) * (t - s->own[k]) /
	       (s->own[k + 1] - s->own[k]);
}

/* A row's CPU: on-CPU from the scheduler where the log has it. */
static double cpu_pct(const struct plot_table *t, const double *v)
{
	if (t->has & (1u << PLOT_COL_ONCPU_PCT))
		return v[PLOT_COL_ONCPU_PCT];
	return v[PLOT_COL_CPU_USER_PCT] + v[PLOT_COL_CPU_SYSTEM_PCT];
}

enum { COL_T = 1, COL_RSS, COL_CPU, COL_FAULTS };

static void write_value(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, "\t%.10g", v);
	else
		fputs("\tNaN", f);
}

/* One block per run (gnuplot's index), its name as the header of its columns. */
static int write_dat(FILE *f, const struct compare *c)
{
	fprintf(f, "# procmon plot: %zu runs compared, each run's main process; %s\n"
		"# columns: time_s, rss_mib, cpu_pct (%% of one CPU), faults_per_s; one block "
		"per run, its name as the header\n", c->nr, c->shared ?
		"time: the first run's, the others stretched to meet it at their shared labels" :
		"time: since each process started");
	for (size_t r = 0; r < c->nr; r++) {
		const struct series *s = &c->s[r];

		if (r)
			fputs("\n\n", f);
		fputs("time_s", f);
		for (int col = COL_RSS; col <= COL_FAULTS; col++) {
			fputc('\t', f);
			if (plot_text_write_header(f, s->name))
				return -EIO;
		}
		fputc('\n', f);
		for (size_t j = 0; j < s->t.nr_rows; j++) {
			const double *v = s->t.rows[j].v;

			fprintf(f, "%.10g", warp(c, s, v[PLOT_COL_TIME_S]));
			write_value(f, v[PLOT_COL_RSS_MIB]);
			write_value(f, cpu_pct(&s->t, v));
			write_value(f, v[PLOT_COL_FAULTS_PER_S]);
			fputc('\n', f);
		}
	}
	return ferror(f) ? -EIO : 0;
}

/* The runs' lines in a panel: column @arg of every block, named by its header. */
static void run_lines(struct plot_chart *ch, const void *arg)
{
	const struct compare *c = ch->data;

	plot_chart_clause(ch);
	fprintf(ch->f, "for [i=0:%zu] dat_file index i using 1:%d with lines lw 2 lc i+1 "
		"title columnheader(2)", c->nr - 1, *(const int *)arg);
}

static const int rss_col = COL_RSS, cpu_col = COL_CPU, faults_col = COL_FAULTS;
enum { MEMORY = PLOT_PANEL_DATA, CPU, FAULTS, NR_PANELS };

static const struct plot_panel panels[NR_PANELS] = {
	[PLOT_PANEL_TITLE] = { "title", 40, NULL, NULL, NULL, NULL },
	[PLOT_PANEL_LABELS] = { "labels", 200, NULL, NULL, NULL, NULL },
	[MEMORY] = { "memory", 220, "RSS (MiB)", NULL, run_lines, &rss_col },
	[CPU] = { "CPU", 200, "CPU (% of one CPU)\\nthreads summed", NULL, run_lines, &cpu_col },
	[FAULTS] = { "faults", 180, "page faults/s", NULL, run_lines, &faults_col },
};

static const struct plot_chart_desc desc_own_time = {
	.about = "# procmon plot: runs compared; run with `gnuplot -d FILE`.\n",
	.defs = "",
	.strip_ylabel = "labels",
	.time_label = "time since each process started (s)",
	.panels = panels,
	.nr_panels = NR_PANELS,
};

static const struct plot_chart_desc desc_aligned = {
	.about = "# procmon plot: runs compared; run with `gnuplot -d FILE`.\n",
	.defs = "",
	.strip_ylabel = "labels",
	.time_label = "time of the first run (s); the others stretched to meet it at the labels "
		      "they share",
	.panels = panels,
	.nr_panels = NR_PANELS,
};

/* Every run's labels as "NAME: label" at their time on the common axis. */
static int make_strip(struct compare *c)
{
	size_t n = 0;

	for (size_t r = 0; r < c->nr; r++)
		n += c->s[r].p->nr_labels;
	c->strip.labels = calloc(n + 1, sizeof(*c->strip.labels));
	if (!c->strip.labels)
		return -ENOMEM;
	for (size_t r = 0; r < c->nr; r++) {
		const struct series *s = &c->s[r];

		for (size_t i = 0; i < s->p->nr_labels; i++) {
			struct plot_label *l = &c->strip.labels[c->strip.nr_labels];
			char *raw;

			if (asprintf(&raw, "%s: %s", s->name, s->p->labels[i].text) < 0)
				return -ENOMEM;
			l->text = plot_text_clean(raw, strlen(raw), PLOT_LABEL_MAX_CHARS);
			free(raw);
			if (!l->text)
				return -ENOMEM;
			l->t_s = warp(c, s, s->p->labels[i].t_s);
			c->strip.nr_labels++;
		}
	}
	qsort(c->strip.labels, c->strip.nr_labels, sizeof(*c->strip.labels), plot_cmp_time);
	return 0;
}

static void layout(struct compare *c)
{
	double lo = INFINITY, hi = -INFINITY, max[NR_PANELS] = { 0 };
	struct plot_layout *l = &c->l;

	for (size_t r = 0; r < c->nr; r++) {
		const struct series *s = &c->s[r];

		for (size_t j = 0; j < s->t.nr_rows; j++) {
			const double *v = s->t.rows[j].v;
			double t = warp(c, s, v[PLOT_COL_TIME_S]), cpu = cpu_pct(&s->t, v);

			lo = fmin(lo, t);
			hi = fmax(hi, t);
			max[MEMORY] = fmax(max[MEMORY], isfinite(v[PLOT_COL_RSS_MIB]) ?
					   v[PLOT_COL_RSS_MIB] : 0);
			max[CPU] = fmax(max[CPU], isfinite(cpu) ? cpu : 0);
			max[FAULTS] = fmax(max[FAULTS], isfinite(v[PLOT_COL_FAULTS_PER_S]) ?
					   v[PLOT_COL_FAULTS_PER_S] : 0);
		}
	}
	memset(l, 0, sizeof(*l));
	plot_layout_time(l, lo, hi);
	plot_layout_strip(l, &c->strip);
	l->panel_on[PLOT_PANEL_TITLE] = true;
	l->panel_on[PLOT_PANEL_LABELS] = c->strip.nr_labels > 0;
	for (int p = MEMORY; p < NR_PANELS; p++) {
		l->panel_on[p] = true;
		l->y_max[p] = plot_layout_axis_top(max[p], 1.3);
	}
	l->cpu_count = c->s[0].p->cpu_count;
	l->cpu_line[CPU] = l->cpu_count > 0;
	plot_layout_stack(l, panels, NR_PANELS);
}

/* The chart's title: the runs by name and pid (log text: the labels file only). */
static char *title(const struct compare *c)
{
	char *t = NULL, *more;

	if (asprintf(&t, "%zu runs, each one's main process%s", c->nr,
		     c->shared ? "" : " (no label shared: each on its own time)") < 0)
		return NULL;
	for (size_t r = 0; r < c->nr && t; r++) {
		if (asprintf(&more, "%s%s %s (pid %lld)", t, r ? "," : ":", c->s[r].name,
			     c->s[r].p->pid) < 0)
			more = NULL;
		free(t);
		t = more;
	}
	if (t && c->shared) {
		if (asprintf(&more, "%s; aligned at %zu shared label%s", t, c->shared,
			     c->shared == 1 ? "" : "s") < 0)
			more = NULL;
		free(t);
		t = more;
	}
	more = t ? plot_text_clean(t, strlen(t), 0) : NULL;
	free(t);
	return more;
}

/* Writes the three input files and the script. 0 or -errno, said. */
static int write_files(struct compare *c, char *const *paths, const struct plot_paths *pp)
{
	struct plot_text_stats st;
	char *t = title(c);
	int err = t ? 0 : -ENOMEM;

	for (int i = 0; i < 3 && !err; i++) {
		FILE *f = plot_create_file(paths[i]);

		if (!f) {
			err = -errno;
			break;
		}
		if (i == 0)
			err = write_dat(f, c);
		else if (i == 1)
			err = plot_write_labels(f, &c->strip, &c->l, t, &st);
		else
			err = plot_chart_write(f, c->shared ? &desc_aligned : &desc_own_time, pp,
					       &c->l, &st, c);
		if (fclose(f) && !err)
			err = -errno;
		if (err)
			fprintf(stderr, "procmon: plot: cannot write '%s': %s\n",
				PLOT_SHOWN(paths[i]), strerror(-err));
	}
	free(t);
	return err;
}

static void free_compare(struct compare *c)
{
	for (size_t r = 0; c->s && r < c->nr; r++) {
		plot_table_free(&c->s[r].t);
		free(c->s[r].own);
		free(c->s[r].ref);
	}
	free(c->s);
	plot_strip_free(&c->strip);
}

int plot_compare(const struct plot_compare_run *runs, size_t nr, const char *dir, bool png,
		 double timeout_s)
{
	static const char *const ext[] = { ".dat", ".labels.dat", ".plt", ".svg", ".png" };
	struct compare c = { .nr = 0 };
	char *paths[ARRAY_SIZE(ext)] = { 0 };
	int err = 0;

	c.s = calloc(nr, sizeof(*c.s));
	for (size_t i = 0; i < ARRAY_SIZE(ext) && c.s; i++)
		if (asprintf(&paths[i], "%s/compare%s", dir, ext[i]) < 0)
			paths[i] = NULL;
	for (size_t i = 0; c.s && i < ARRAY_SIZE(ext); i++)
		err = paths[i] ? err : -ENOMEM;
	for (size_t r = 0; c.s && !err && r < nr; r++) {
		const struct plot_proc *p = main_proc(runs[r].log);

		if (!p)
			continue;
		c.s[c.nr].name = runs[r].name;
		c.s[c.nr].p = p;
		err = plot_table_build(p, MAX_ROWS, &c.s[c.nr++].t);
	}
	if (!c.s)
		err = -ENOMEM;
	if (!err && c.nr < 2) {
		fprintf(stderr, "procmon: plot: fewer than two runs with samples: no compare.svg\n");
		err = -ENODATA;
	}
	if (!err)
		err = align(&c);
	if (!err)
		err = make_strip(&c);
	if (err == -ENOMEM)
		fprintf(stderr, "procmon: plot: cannot compare the runs: %s\n", strerror(ENOMEM));
	if (!err) {
		struct plot_paths pp = { .dat = paths[0], .labels = paths[1], .svg = paths[3],
					 .png = png ? paths[4] : NULL };

		layout(&c);
		err = write_files(&c, paths, &pp);
		if (!err)
			err = plot_run_gnuplot(paths[2], paths[3], pp.png, timeout_s);
		if (!err && (err = plot_svg_add_hover(paths[3], &c.strip, &c.l)))
			fprintf(stderr, "procmon: plot: cannot add the label texts to '%s': %s\n",
				PLOT_SHOWN(paths[3]), strerror(-err));
	}
	for (size_t i = 0; i < ARRAY_SIZE(ext); i++)
		free(paths[i]);
	free_compare(&c);
	return err;
}
