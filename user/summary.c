// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The exit summary on stderr: time(1) -v style for one process, a table with a
 * row per process when several were traced (-c, several -p). */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include "clock.h"
#include "safe_text.h"
#include "session.h"
#include "summary.h"
#include "target_brief.h"
#include "summary_tree.h"
#include "children_scan.h"

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

/* The name of a stop signal procmon passes on. */
static const char *stop_name(int sig)
{
	return sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : sig == SIGHUP ? "SIGHUP" :
	       "stop signal";
}

/* What each line counts from: the kernel's totals since the process started,
 * or procmon's since it began tracing. They differ for an attached process,
 * whose lines then say which (launched ones read as time -v does). */
enum { ALL, START, ATTACH };

static const struct {
	const char *what[3];		/* traced from its start; attached: since start / attach */
} lines[] = {
#define WHAT(all, start, attach) { { all, start, attach } }
	WHAT("Elapsed (wall clock) time (s):", "Elapsed since start (s):", NULL),
	WHAT("User time (s):", "User time since start (s):", NULL),
	WHAT("System time (s):", "System time since start (s):", NULL),
	WHAT("On-CPU time, BPF (s):", NULL, "On-CPU since attach, BPF (s):"),
	WHAT("Run-queue wait (s):", NULL, "Run-queue wait since attach (s):"),
	WHAT("Peak resident set size (kbytes):", NULL, "Peak RSS since attach (kbytes):"),
	WHAT("Page faults (minor + major):", NULL, "Page faults since attach:"),
	WHAT("Major (requiring I/O) page faults:", NULL, "Major page faults since attach:"),
	WHAT("Voluntary context switches:", NULL, "Voluntary switches since attach:"),
	WHAT("Involuntary context switches:", NULL, "Involuntary switches since attach:"),
	WHAT("I/O from / to storage (bytes):", "Storage I/O since start (bytes):", NULL),
	WHAT("I/O by read / write calls (bytes):", "Call I/O since start (bytes):", NULL),
#undef WHAT
};

enum { L_WALL, L_USER, L_SYS, L_ONCPU, L_RUNQ, L_PEAK, L_FAULTS, L_MAJ, L_VOL, L_INVOL,
       L_IO_STORAGE, L_IO_CALLS };

static const char *what(int l, bool attached)
{
	if (!attached)
		return lines[l].what[ALL];
	return lines[l].what[START] ? lines[l].what[START] : lines[l].what[ATTACH];
}

/* How the command ended, when procmon's own stop signal was passed to it. */
static void stopped_by_procmon(const struct session *s, const struct target *t, FILE *out)
{
	if (!t->launched || !s->forwarded_signal)
		return;
	if (t->have_exit_code)
		fprintf(out, "\tCommand terminated by procmon's %s\n", stop_name(s->forwarded_signal));
	else
		fprintf(out, "\tCommand still running after procmon's %s: it gets SIGTERM as "
			"procmon exits\n", stop_name(s->forwarded_signal));
}

static void one_target(const struct session *s, const struct target *t, FILE *out)
{
	const struct procmon_counters *c = &t->counters;
	double ticks = (double)s->ticks_per_s;
	bool at = t->traced_since_s > 0;	/* attached: counting began after its start */

	fprintf(out, "procmon: pid %d (", (int)t->pid);
	put_cut(out, command_of(t), SUMMARY_COMMAND_CHARS);
	fputs(")\n", out);
	if (at)
		fprintf(out, "\tAttached %.3f s after it started: times since its start, "
			"BPF counters since the attach\n", t->traced_since_s);
	line(out, what(L_WALL, at), "%.3f", wall_s(t));
	line(out, what(L_USER, at), "%.2f", (double)t->stat.utime / ticks);
	line(out, what(L_SYS, at), "%.2f", (double)t->stat.stime / ticks);
	line(out, what(L_ONCPU, at), "%.6f", (double)t->oncpu_ns / 1e9);
	line(out, what(L_RUNQ, at), "%.6f", (double)c->runq_wait_ns / 1e9);
	line(out, what(L_PEAK, at), "%.0f", (double)peak_kib(t));
	line(out, what(L_FAULTS, at), "%.0f", (double)c->faults);
	line(out, what(L_MAJ, at), "%.0f", (double)c->maj_flt);
	line(out, what(L_VOL, at), "%.0f", (double)c->nvcsw);
	line(out, what(L_INVOL, at), "%.0f", (double)c->nivcsw);
	if (t->have_io) {
		/* /proc/PID/io, as psutil's io_counters: storage, then the calls. */
		fprintf(out, "\t%-36s%llu / %llu\n", what(L_IO_STORAGE, at), t->io.read_bytes,
			t->io.write_bytes);
		fprintf(out, "\t%-36s%llu / %llu\n", what(L_IO_CALLS, at), t->io.rchar, t->io.wchar);
	}
	line(out, "Labels seen:", "%.0f", (double)c->labels);
	line(out, "Labels lost:", "%.0f", (double)c->labels_lost);
	stopped_by_procmon(s, t, out);
	if (t->have_exit_code) {
		/* A signal's death is also the 128 + N procmon exits with, as a shell says. */
		if (WIFSIGNALED(t->exit_code))
			line(out, "Killed by signal:", "%.0f", WTERMSIG(t->exit_code));
		line(out, "Exit status:", "%.0f", WIFSIGNALED(t->exit_code) ?
		     128 + WTERMSIG(t->exit_code) : WEXITSTATUS(t->exit_code));
	}
}

void summary_print(const struct session *s, FILE *out)
{
	unsigned long long faults = 0, labels = 0, lost = 0;
	double oncpu = 0;
	char status[16];
	int i;

	if (s->n_targets == 1 && !s->retired.n) {
		one_target(s, s->targets[0], out);
		phases_print(&s->targets[0]->phases, out);
		return;
	}
	/* A tree (a build, a test suite): totals and the top ones, not a row each. */
	if ((unsigned long)s->n_targets + s->retired.n > TARGETS_SUMMARY_ROWS) {
		summary_tree_print(s, out);
		goto lost;
	}
	fprintf(out, "procmon: %d processes\n", s->n_targets);
	fprintf(out, "%8s %8s %9s %10s %10s %10s %9s %7s %7s  %s\n", "PID", "PPID", "WALL_s",
		"ONCPU_s", "RUNQ_s", "PEAK_KiB", "FAULTS", "LABELS", "EXIT", "COMMAND");
	for (i = 0; i < s->n_targets; i++) {
		const struct target *t = s->targets[i];

		exit_status_text(t->have_exit_code, t->exit_code, status, sizeof(status));
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
		if (s->targets[i]->traced_since_s > 0) {
			fprintf(out, "procmon: WALL_s since each process started; ONCPU_s, "
				"RUNQ_s, PEAK_KiB, FAULTS since procmon attached\n");
			break;
		}
	}
	for (i = 0; i < s->n_targets; i++)
		if (s->targets[i]->launched && s->forwarded_signal)
			fprintf(out, "procmon: command %s by procmon's %s\n",
				s->targets[i]->have_exit_code ? "terminated" : "still running after",
				stop_name(s->forwarded_signal));
	for (i = 0; i < s->n_targets; i++) {
		if (!s->targets[i]->phases.n_rows)
			continue;
		fprintf(out, "procmon: pid %d\n", (int)s->targets[i]->pid);
		phases_print(&s->targets[i]->phases, out);
	}
lost:
	if (children_missed(s))
		fprintf(out, "procmon: %llu child processes were not traced: their fork events were "
			"lost (log reader too slow) and they exited before a scan of /proc\n",
			children_missed(s));
	if (s->children_found_by_scan)
		fprintf(out, "procmon: %llu child processes were found by scanning /proc (fork "
			"events lost); their first samples are late\n", s->children_found_by_scan);
	if (s->forks_recovered)
		fprintf(out, "procmon: %llu child processes were found by ptrace only (their fork "
			"events were lost): all traced\n", s->forks_recovered);
	if (s->children_lost)
		fprintf(out, "procmon: %llu child processes were not traced: more than %d at once\n",
			s->children_lost, PROCMON_MAX_TARGETS);
}
