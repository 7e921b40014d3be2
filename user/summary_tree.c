// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* A tree's summary: totals first, then the 10 largest and the 10 busiest
 * processes, then how many more there were (not a row per process). */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include "clock.h"
#include "safe_text.h"
#include "session.h"
#include "summary_tree.h"

#define TOP_N 10
#define SHOWN_CHARS 70

void summary_tree_note_sample(struct session *s)
{
	unsigned long long sum = 0;

	for (int i = 0; i < s->n_targets; i++)
		if (!s->targets[i]->finished)
			sum += s->targets[i]->stat.rss_bytes;
	if (sum > s->tree_rss_peak_bytes)
		s->tree_rss_peak_bytes = sum;
}

static unsigned long long peak_of(const struct target *t)
{
	return t->counters.rss_max_bytes > t->stat.rss_bytes ? t->counters.rss_max_bytes :
							      t->stat.rss_bytes;
}

/* Source-like arguments: for a compiler or an interpreter, what it works on. */
static bool looks_like_input(const char *w, size_t n)
{
	static const char *const exts[] = { ".c", ".cc", ".cpp", ".cxx", ".h", ".s", ".S", ".py",
					    ".rs", ".go", ".java", ".js", ".ts", ".rb", ".pl", ".sh",
					    ".o", ".f90", ".m", ".swift" };

	if (!n || w[0] == '-')
		return false;
	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		size_t e = strlen(exts[i]);

		if (n > e && !memcmp(w + n - e, exts[i], e))
			return true;
	}
	return false;
}

/* "name input" (cc1 foo.c, python3 test_x.py), else the command line as it is. */
static void shown_command(const struct target *t, char *buf, size_t size)
{
	const char *cmd = t->cmdline && *t->cmdline ? t->cmdline : t->stat.comm;
	const char *end = strchr(cmd, ' '), *name = cmd, *w, *input = NULL;
	size_t name_len = end ? (size_t)(end - cmd) : strlen(cmd), input_len = 0;

	for (w = cmd; w < cmd + name_len; w++)
		if (*w == '/')
			name = w + 1;
	for (w = end; w && *w && !input; ) {
		const char *e;
		bool output = w > cmd + 2 && !memcmp(w - 2, "-o", 2);	/* the word after -o */

		while (*w == ' ')
			w++;
		e = strchr(w, ' ');
		if (!e)
			e = w + strlen(w);
		/* The first input: `cc1 -quiet x.c ... -o /tmp/ccX.s` is about x.c. */
		if (!output && looks_like_input(w, (size_t)(e - w))) {
			input = w;
			input_len = (size_t)(e - w);
		}
		w = e;
	}
	if (input)
		snprintf(buf, size, "%.*s %.*s", (int)(cmd + name_len - name), name, (int)input_len,
			 input);
	else
		snprintf(buf, size, "%s", cmd);
}

static double cpu_of(const struct target *t)
{
	return (double)t->oncpu_ns / 1e9;
}

static int by_peak(const void *a, const void *b)
{
	unsigned long long x = peak_of(*(struct target *const *)a), y = peak_of(*(struct target *const *)b);

	return x < y ? 1 : x > y ? -1 : 0;
}

static int by_cpu(const void *a, const void *b)
{
	double x = cpu_of(*(struct target *const *)a), y = cpu_of(*(struct target *const *)b);

	return x < y ? 1 : x > y ? -1 : 0;
}

static void exit_text(const struct target *t, char *buf, size_t size)
{
	if (!t->have_exit_code)
		snprintf(buf, size, "-");
	else if (WIFSIGNALED(t->exit_code))
		snprintf(buf, size, "sig %d", WTERMSIG(t->exit_code));
	else
		snprintf(buf, size, "%d", WEXITSTATUS(t->exit_code));
}

static void top(const struct session *s, struct target **sorted, int n, const char *title, FILE *out)
{
	char shown[512], status[16];

	fprintf(out, "procmon: top %d by %s\n", n < TOP_N ? n : TOP_N, title);
	fprintf(out, "%8s %10s %10s %9s %7s  %s\n", "PID", "PEAK_KiB", "ONCPU_s", "WALL_s", "EXIT",
		"COMMAND");
	for (int i = 0; i < n && i < TOP_N; i++) {
		const struct target *t = sorted[i];
		double wall = (t->end_mono_s ? t->end_mono_s : mono_now_s()) - t->start_mono_s;
		char *safe;

		shown_command(t, shown, sizeof(shown));
		exit_text(t, status, sizeof(status));
		fprintf(out, "%8d %10llu %10.3f %9.3f %7s  ", (int)t->pid, peak_of(t) / 1024,
			cpu_of(t), wall, status);
		safe = safe_text_fit(shown, SHOWN_CHARS, NULL);
		fputs(safe ? safe : "?", out);
		free(safe);
		fputc('\n', out);
	}
	(void)s;
}

void summary_tree_print(const struct session *s, FILE *out)
{
	struct target **sorted = malloc(sizeof(*sorted) * (size_t)s->n_targets);
	unsigned long long rss_peak = s->tree_rss_peak_bytes;
	double first = 0, last = 0, cpu = 0;
	int n = s->n_targets, failed = 0, shown = 0;

	if (!sorted)
		return;
	for (int i = 0; i < n; i++) {
		const struct target *t = s->targets[i];
		double end = t->end_mono_s ? t->end_mono_s : mono_now_s();

		sorted[i] = s->targets[i];
		if (!i || t->start_mono_s < first)
			first = t->start_mono_s;
		if (end > last)
			last = end;
		cpu += cpu_of(t);
		failed += t->have_exit_code && t->exit_code != 0;
		/* Samples may miss a tree that lived between them: at least its largest. */
		if (peak_of(t) > rss_peak)
			rss_peak = peak_of(t);
	}
	fprintf(out, "procmon: tree of %d processes: wall %.3f s, CPU %.3f s, peak summed RSS "
		"%llu KiB (at samples), %d exited non-zero\n", n, last - first, cpu,
		rss_peak / 1024, failed);
	qsort(sorted, (size_t)n, sizeof(*sorted), by_peak);
	top(s, sorted, n, "peak RSS", out);
	/* Count each process shown once, in either table. */
	for (int i = 0; i < n; i++)
		sorted[i]->summary_shown = i < TOP_N;
	qsort(sorted, (size_t)n, sizeof(*sorted), by_cpu);
	top(s, sorted, n, "CPU", out);
	for (int i = 0; i < n; i++) {
		sorted[i]->summary_shown |= i < TOP_N;
		shown += sorted[i]->summary_shown;
	}
	if (n > shown)
		fprintf(out, "procmon: and %d more processes (every one is in the log)\n", n - shown);
	free(sorted);
}
