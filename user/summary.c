// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The exit summary on stderr: time(1) -v style for one process, a table with a
 * row per process when several were traced (-c, several -p). */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include "clock.h"
#include "safe_text.h"
#include "session.h"
#include "summary.h"

/* The command line in the header of a one-process summary: whole, unless huge. */
#define SUMMARY_COMMAND_CHARS 1024

static double wall_s(const struct target *t)
{
	return (t->end_mono_s ? t->end_mono_s : mono_now_s()) - t->start_mono_s;
}

static unsigned long long peak_kib(const struct target *t)
{
	unsigned long long peak = t->counters.rss_max_bytes;

	if (t->stat.rss_bytes > peak)
		peak = t->stat.rss_bytes;
	return peak / 1024;
}

/* What a process is called: its command line, else its name (both the target's
 * own bytes: shown escaped by the callers). */
static const char *command_of(const struct target *t)
{
	return t->cmdline && *t->cmdline ? t->cmdline : t->stat.comm;
}

/* @s escaped, at most @width characters, no padding: a last column or the end
 * of a line. */
static void put_cut(FILE *out, const char *s, size_t width)
{
	char *safe = safe_text_fit(s, width, NULL);

	if (safe)
		fputs(safe, out);
	free(safe);
}

static void line(FILE *out, const char *what, const char *fmt, double v)
{
	fprintf(out, "\t%-36s", what);
	fprintf(out, fmt, v);
	fputc('\n', out);
}

static void one_target(const struct session *s, const struct target *t, FILE *out)
{
	const struct procmon_counters *c = &t->counters;
	double ticks = (double)s->ticks_per_s;

	fprintf(out, "procmon: pid %d (", (int)t->pid);
	put_cut(out, command_of(t), SUMMARY_COMMAND_CHARS);
	fputs(")\n", out);
	line(out, "Elapsed (wall clock) time (s):", "%.3f", wall_s(t));
	line(out, "User time (s):", "%.2f", (double)t->stat.utime / ticks);
	line(out, "System time (s):", "%.2f", (double)t->stat.stime / ticks);
	line(out, "On-CPU time, BPF (s):", "%.6f", (double)t->oncpu_ns / 1e9);
	line(out, "Run-queue wait (s):", "%.6f", (double)c->runq_wait_ns / 1e9);
	line(out, "Peak resident set size (kbytes):", "%.0f", (double)peak_kib(t));
	line(out, "Page faults (minor + major):", "%.0f", (double)c->faults);
	line(out, "Major (requiring I/O) page faults:", "%.0f", (double)c->maj_flt);
	line(out, "Voluntary context switches:", "%.0f", (double)c->nvcsw);
	line(out, "Involuntary context switches:", "%.0f", (double)c->nivcsw);
	if (t->have_io) {
		/* /proc/PID/io, as psutil's io_counters: storage, then the calls. */
		fprintf(out, "\t%-36s%llu / %llu\n", "I/O from / to storage (bytes):",
			t->io.read_bytes, t->io.write_bytes);
		fprintf(out, "\t%-36s%llu / %llu\n", "I/O by read / write calls (bytes):",
			t->io.rchar, t->io.wchar);
	}
	line(out, "Labels seen:", "%.0f", (double)c->labels);
	line(out, "Labels lost:", "%.0f", (double)c->labels_lost);
	if (t->have_exit_code) {
		if (WIFSIGNALED(t->exit_code))
			line(out, "Killed by signal:", "%.0f", WTERMSIG(t->exit_code));
		else
			line(out, "Exit status:", "%.0f", WEXITSTATUS(t->exit_code));
	}
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

void summary_print(const struct session *s, FILE *out)
{
	unsigned long long faults = 0, labels = 0, lost = 0;
	double oncpu = 0;
	char status[16];
	int i;

	if (s->n_targets == 1) {
		one_target(s, s->targets[0], out);
		phases_print(&s->targets[0]->phases, out);
		return;
	}
	fprintf(out, "procmon: %d processes\n", s->n_targets);
	fprintf(out, "%8s %8s %9s %10s %10s %10s %9s %7s %7s  %s\n", "PID", "PPID", "WALL_s",
		"ONCPU_s", "RUNQ_s", "PEAK_KiB", "FAULTS", "LABELS", "EXIT", "COMMAND");
	for (i = 0; i < s->n_targets; i++) {
		const struct target *t = s->targets[i];

		exit_text(t, status, sizeof(status));
		fprintf(out, "%8d %8d %9.3f %10.6f %10.6f %10llu %9llu %7llu %7s  ",
			(int)t->pid, (int)t->ppid, wall_s(t), (double)t->oncpu_ns / 1e9,
			(double)t->counters.runq_wait_ns / 1e9, peak_kib(t),
			(unsigned long long)t->counters.faults,
			(unsigned long long)t->counters.labels, status);
		put_cut(out, command_of(t), 60);
		fputc('\n', out);
		faults += t->counters.faults;
		labels += t->counters.labels;
		lost += t->counters.labels_lost;
		oncpu += (double)t->oncpu_ns / 1e9;
	}
	fprintf(out, "procmon: total on-CPU %.6f s, page faults %llu, labels %llu (lost %llu)\n",
		oncpu, faults, labels, lost);
	for (i = 0; i < s->n_targets; i++) {
		if (!s->targets[i]->phases.n_rows)
			continue;
		fprintf(out, "procmon: pid %d\n", (int)s->targets[i]->pid);
		phases_print(&s->targets[i]->phases, out);
	}
	if (s->children_lost)
		fprintf(out, "procmon: %llu child processes were not traced: more than %d at once\n",
			s->children_lost, PROCMON_MAX_TARGETS);
}
