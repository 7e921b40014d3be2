// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* A tree's summary: totals first, then the 10 largest and the 10 busiest
 * processes, then how many more there were (not a row per process). Processes
 * retired from the table count through their totals and top-10 lists. */
#include <stdlib.h>
#include <string.h>
#include "clock.h"
#include "safe_text.h"
#include "session.h"
#include "summary_tree.h"
#include "target_brief.h"
#include "targets.h"

#define TOP_N RETIRED_TOP
#define SHOWN_CHARS 70

void summary_tree_note_sample(struct session *s)
{
	unsigned long long sum = 0;

	for (int i = 0; i < s->n_targets; i++)
		if (!s->targets[i]->finished)
			sum += s->targets[i]->last.rss_bytes;	/* as the sample wrote it */
	if (sum > s->tree_rss_peak_bytes)
		s->tree_rss_peak_bytes = sum;
}

static int by_peak(const void *a, const void *b)
{
	unsigned long long x = ((const struct target_brief *)a)->peak_bytes;
	unsigned long long y = ((const struct target_brief *)b)->peak_bytes;

	return x < y ? 1 : x > y ? -1 : 0;
}

static int by_cpu(const void *a, const void *b)
{
	double x = ((const struct target_brief *)a)->cpu_s, y = ((const struct target_brief *)b)->cpu_s;

	return x < y ? 1 : x > y ? -1 : 0;
}

/* Print the first TOP_N of @sorted; add those @shown did not have yet to it. */
static void top(const struct target_brief *sorted, int n, const char *title,
	       struct target_brief *shown, int *n_shown, FILE *out)
{
	fprintf(out, "procmon: top %d by %s\n", n < TOP_N ? n : TOP_N, title);
	fprintf(out, "%8s %10s %10s %9s %7s  %s\n", "PID", "PEAK_KiB", "ONCPU_s", "WALL_s", "EXIT",
		"COMMAND");
	for (int i = 0; i < n && i < TOP_N; i++) {
		const struct target_brief *b = &sorted[i];
		double wall = (b->end_s ? b->end_s : mono_now_s()) - b->start_s;
		char status[16], *safe;
		bool seen = false;

		exit_status_text(b->have_exit_code, b->exit_code, status, sizeof(status));
		fprintf(out, "%8d %10llu %10.3f %9.3f %7s  ", (int)b->pid, b->peak_bytes / 1024,
			b->cpu_s, wall, status);
		safe = safe_text_fit(b->shown, SHOWN_CHARS, NULL);
		fputs(safe ? safe : "?", out);
		free(safe);
		fputc('\n', out);
		for (int j = 0; j < *n_shown && !seen; j++)
			seen = target_brief_same(&shown[j], b);
		if (!seen)
			shown[(*n_shown)++] = *b;
	}
}

/* The candidates: every process in the table, and the retired top-10s. */
static int candidates(const struct session *s, struct target_brief *c)
{
	const struct retired *r = &s->retired;
	int n = 0;

	for (int i = 0; i < s->n_targets; i++)
		target_brief_of(s->targets[i], &c[n++]);
	for (int i = 0; i < r->n_by_peak; i++)
		c[n++] = r->by_peak[i];
	for (int i = 0; i < r->n_by_cpu; i++) {
		bool dup = false;

		for (int j = 0; j < r->n_by_peak && !dup; j++)
			dup = target_brief_same(&r->by_peak[j], &r->by_cpu[i]);
		if (!dup)
			c[n++] = r->by_cpu[i];
	}
	return n;
}

void summary_tree_print(const struct session *s, FILE *out)
{
	const struct retired *r = &s->retired;
	struct target_brief *c = malloc(sizeof(*c) * ((size_t)s->n_targets + 2 * TOP_N));
	struct target_brief shown[2 * TOP_N];
	unsigned long long rss_peak = s->tree_rss_peak_bytes;
	double first = r->n ? r->first_start_s : 0, last = r->last_end_s, cpu = r->cpu_s;
	unsigned long total = r->n + (unsigned long)s->n_targets, failed = r->failed;
	bool have_first = r->n > 0;
	int n, n_shown = 0;

	if (!c)
		return;
	n = candidates(s, c);
	for (int i = 0; i < s->n_targets; i++) {
		const struct target_brief *b = &c[i];
		double end = b->end_s ? b->end_s : mono_now_s();

		if (!have_first || b->start_s < first)
			first = b->start_s;
		have_first = true;
		if (end > last)
			last = end;
		cpu += b->cpu_s;
		failed += b->have_exit_code && b->exit_code != 0;
	}
	/* Samples may miss a tree that lived between them: at least its largest. */
	if (r->peak_bytes > rss_peak)
		rss_peak = r->peak_bytes;
	for (int i = 0; i < s->n_targets; i++)
		if (c[i].peak_bytes > rss_peak)
			rss_peak = c[i].peak_bytes;
	fprintf(out, "procmon: tree of %lu processes: wall %.3f s, CPU %.3f s, peak summed RSS "
		"%llu KiB (at samples), %lu exited non-zero\n", total, last - first, cpu,
		rss_peak / 1024, failed);
	/* Each process counts once as shown, in either table. */
	qsort(c, (size_t)n, sizeof(*c), by_peak);
	top(c, n, "peak RSS", shown, &n_shown, out);
	qsort(c, (size_t)n, sizeof(*c), by_cpu);
	top(c, n, "CPU", shown, &n_shown, out);
	if (total > (unsigned long)n_shown)
		fprintf(out, "procmon: and %lu more processes (every one is in the log)\n",
			total - (unsigned long)n_shown);
	free(c);
}
