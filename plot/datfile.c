// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The data files gnuplot reads: the sample table or the tree's table (.dat), and
 * the text table (.labels.dat) that holds every untrusted string a chart shows. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "datfile.h"
#include "text.h"

/* One row of n numbers, tab-separated, "NaN" for unknown ones. */
static void write_values(FILE *f, const double *v, int n)
{
	for (int c = 0; c < n; c++) {
		if (c)
			fputc('\t', f);
		/* %.10g keeps integer byte counts and microsecond times exact enough. */
		if (isfinite(v[c]))
			fprintf(f, "%.10g", v[c]);
		else
			fputs("NaN", f);
	}
	fputc('\n', f);
}

int plot_write_dat(FILE *f, const struct plot_proc *p, const struct plot_table *t)
{
	if (p->has_pid)
		fprintf(f, "# procmon plot data, pid %lld", p->pid);
	else
		fputs("# procmon plot data, process without pid", f);
	fprintf(f, ": %zu samples", p->nr_samples);
	if (t->stride > 1)
		fprintf(f, " in %zu rows of %zu (sizes: maximum of the row, rates: its mean)",
			t->nr_rows, t->stride);
	fputs("\n# columns (tab-separated; NaN: not in the log or no previous sample):\n#", f);
	for (int c = 0; c < PLOT_NR_COLUMNS; c++)
		fprintf(f, "%s%s", c ? "\t" : " ", plot_column_name(c));
	fputc('\n', f);
	for (size_t r = 0; r < t->nr_rows; r++)
		write_values(f, t->rows[r].v, PLOT_NR_COLUMNS);
	return ferror(f) ? -EIO : 0;
}

int plot_write_tree_dat(FILE *f, const struct plot_tree *tree)
{
	fprintf(f, "# procmon plot data, process tree of pid %lld: %zu processes, %zu rows%s\n",
		tree->root->pid, tree->nr_members, tree->nr_rows,
		tree->thinned ? " on an even grid (RSS: the largest of each interval)" : "");
	fputs("# time_s: since the root started; a row stands for the time since the row "
	      "before; rss: each process's highest (sampled or rss_peak) in the row, summed; "
	      "cpu_pct: % of one CPU, summed", f);
	if (tree->root->cpu_count > 0)
		fprintf(f, ", at most %d CPUs x 100 %% (%zu rows cut to it)", tree->root->cpu_count,
			tree->cpu_capped);
	fputc('\n', f);
	for (size_t i = 0; i < tree->nr_top; i++)
		fprintf(f, "# rss_top%zu_mib: pid %lld\n", i + 1,
			tree->members[tree->top[i]].p->pid);
	fputs("# columns (tab-separated; NaN: unknown or not alive):\n#", f);
	for (int c = 0; c < PLOT_TREE_NR_COLUMNS; c++)
		fprintf(f, "%s%s", c ? "\t" : " ", plot_tree_column_name(c));
	fputc('\n', f);
	for (size_t j = 0; j < tree->nr_rows; j++)
		write_values(f, &tree->v[j * PLOT_TREE_NR_COLUMNS], PLOT_TREE_NR_COLUMNS);
	return ferror(f) ? -EIO : 0;
}

static int write_row(FILE *f, double t_s, enum plot_text_kind kind, const char *text)
{
	fprintf(f, "%.10g\t%d\t", t_s, (int)kind);
	if (plot_text_write_field(f, text))
		return -EIO;
	return fputc('\n', f) == EOF ? -EIO : 0;
}

/* Each group of labels (plot_strip_group_end()): its first with the text drawn
 * for the group, the folded ones as ticks without text. */
static int write_labels(FILE *f, const struct plot_strip *s, double gap_s,
			struct plot_text_stats *st)
{
	for (size_t i = 0, end; i < s->nr_labels; i = end) {
		char *text;
		int err;

		end = plot_strip_group_end(s, i, gap_s);
		text = plot_strip_shown_text(s, i, end);
		if (!text)
			return -ENOMEM;
		err = write_row(f, s->labels[i].t_s, PLOT_TEXT_LABEL, text);
		free(text);
		st->labels_shown++;
		for (size_t k = i + 1; !err && k < end; k++) {
			err = write_row(f, s->labels[k].t_s, PLOT_TEXT_HIDDEN, "");
			st->labels_hidden++;
		}
		if (err)
			return err;
	}
	if (st->labels_shown)
		st->kinds |= 1u << PLOT_TEXT_LABEL;
	if (st->labels_hidden)
		st->kinds |= 1u << PLOT_TEXT_HIDDEN;
	return 0;
}

int plot_write_labels(FILE *f, const struct plot_strip *s, const struct plot_layout *l,
		      const char *title, struct plot_text_stats *st)
{
	static const char *const event_names[] = { "", "exec", "fork", "exit", "oom" };
	int err;

	memset(st, 0, sizeof(*st));
	fputs("# procmon plot text: time_s, kind, text (tab-separated)\n"
	      "# kind: 0 title, 1 label, 2 label without text (too close to the one "
	      "before), 3 exec, 4 fork, 5 exit, 6 oom\n", f);
	err = write_row(f, (l->x_min_s + l->x_max_s) / 2, PLOT_TEXT_TITLE, title);
	if (err)
		return err;
	st->kinds |= 1u << PLOT_TEXT_TITLE;
	err = write_labels(f, s, l->label_gap_s, st);
	if (err)
		return err;
	for (size_t i = 0; i < s->nr_marks; i++) {
		enum plot_text_kind kind = PLOT_TEXT_EXEC - 1 + s->marks[i].event;

		err = write_row(f, s->marks[i].t_s, kind, event_names[s->marks[i].event]);
		if (err)
			return err;
		st->kinds |= 1u << kind;
	}
	return ferror(f) ? -EIO : 0;
}
