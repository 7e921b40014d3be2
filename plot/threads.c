// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The threads of one process (procmon -t): the busiest by CPU, each as a series of
 * its CPU rate, written as blocks of .threads.dat for the chart's threads panel. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "threads.h"

/* CPU seconds the thread used over its lines (0 when unknown). */
static double used_s(const struct plot_thread *th)
{
	double first = NAN, last = NAN;

	for (size_t i = 0; i < th->nr_samples; i++) {
		if (!isfinite(th->samples[i].cpu_s))
			continue;
		if (!isfinite(first))
			first = th->samples[i].cpu_s;
		last = th->samples[i].cpu_s;
	}
	return isfinite(first) && last > first ? last - first : 0;
}

/* The rate of row r (samples [r*stride, ...]) in % of one CPU, from the sample
 * before the row; NaN for the first row or a gap. */
static double row_pct(const struct plot_thread *th, size_t stride, size_t r, double *t_s)
{
	size_t last = (r + 1) * stride - 1, prev = r * stride - 1;
	double dt, d;

	if (last >= th->nr_samples)
		last = th->nr_samples - 1;
	*t_s = th->samples[last].t_s;
	if (r == 0)
		return NAN;
	dt = th->samples[last].t_s - th->samples[prev].t_s;
	d = th->samples[last].cpu_s - th->samples[prev].cpu_s;
	return dt > 0 && d >= 0 ? d / dt * 100 : NAN;
}

void plot_threads_build(const struct plot_proc *p, size_t max_rows, struct plot_thread_table *t)
{
	size_t most = 0;

	memset(t, 0, sizeof(*t));
	t->nr_threads = p->nr_threads;
	for (size_t i = 0; i < p->nr_threads; i++) {
		const struct plot_thread *th = p->threads[i];
		size_t at = t->nr_shown;

		if (th->nr_samples < 2)
			continue;
		/* Insertion into the top list, busiest first. */
		while (at > 0 && used_s(t->shown[at - 1]) < used_s(th))
			at--;
		if (at >= PLOT_THREADS_SHOWN)
			continue;
		if (t->nr_shown < PLOT_THREADS_SHOWN)
			t->nr_shown++;
		memmove(&t->shown[at + 1], &t->shown[at], (t->nr_shown - 1 - at) * sizeof(t->shown[0]));
		t->shown[at] = th;
	}
	for (size_t i = 0; i < t->nr_shown; i++)
		if (t->shown[i]->nr_samples > most)
			most = t->shown[i]->nr_samples;
	t->stride = max_rows && most > max_rows ? (most + max_rows - 1) / max_rows : 1;
	for (size_t i = 0; i < t->nr_shown; i++) {
		const struct plot_thread *th = t->shown[i];
		size_t rows = (th->nr_samples + t->stride - 1) / t->stride;

		for (size_t r = 1; r < rows; r++) {
			double t_s, pct = row_pct(th, t->stride, r, &t_s);

			if (pct > t->max_pct)
				t->max_pct = pct;
		}
	}
}

/* The legend of a thread: "comm tid". */
static int write_header(FILE *f, const struct plot_thread *th)
{
	const char *comm = th->comm ? th->comm : "thread";
	char *cut = plot_text_clean(comm, strlen(comm), 40), name[256];
	int err;

	snprintf(name, sizeof(name), "%s %lld", cut ? cut : "thread", th->tid);
	free(cut);
	fputs("time_s\t", f);
	err = plot_text_write_header(f, name);
	return err || fputc('\n', f) == EOF ? -EIO : 0;
}

int plot_write_threads(FILE *f, const struct plot_proc *p, const struct plot_thread_table *t)
{
	fprintf(f, "# procmon threads of pid %lld: the %zu busiest of %zu threads by CPU; "
		"cpu_pct: %% of one CPU over the interval ending at time_s%s\n", p->pid,
		t->nr_shown, t->nr_threads, t->stride > 1 ? " (thinned: longer intervals)" : "");
	for (size_t i = 0; i < t->nr_shown; i++) {
		const struct plot_thread *th = t->shown[i];
		size_t rows = (th->nr_samples + t->stride - 1) / t->stride;

		if (i)
			fputs("\n\n", f);
		if (write_header(f, th))
			return -EIO;
		for (size_t r = 0; r < rows; r++) {
			double t_s, pct = row_pct(th, t->stride, r, &t_s);

			if (isfinite(pct))
				fprintf(f, "%.10g\t%.10g\n", t_s, pct);
			else
				fprintf(f, "%.10g\tNaN\n", t_s);
		}
	}
	return ferror(f) ? -EIO : 0;
}
