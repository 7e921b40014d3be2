// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Integration tests of the label and --mark uprobes: they are the targets' own
 * (an untraced process running the same code does not trap), a forked child has
 * its own before its first instruction, exited processes' links do not pile up,
 * and a probe that cannot go in is reported once. */
#include "itest.h"
#include "link_reaper.h"

#define TIMEOUT_S 60.0

/* The CPU time malloc_loop @n said its loop took (a trap is the caller's CPU time,
 * a wait for a CPU on a busy machine is not); NAN on failure. */
static double loop_s(long n)
{
	char count[32];
	const char *argv[] = { it_workload("malloc_loop"), count, NULL };
	struct it_proc p;
	double s = NAN;

	snprintf(count, sizeof(count), "%ld", n);
	it_run(&p, argv, NULL, TIMEOUT_S);
	if (it_exit_code(p.status) == 0)
		sscanf(p.out, "loop_s %*f cpu_s %lf", &s);
	it_proc_free(&p);
	return s;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Three runs of malloc_loop @n: their median, and the fastest in *@fastest. */
static double median3(long n, double *fastest)
{
	double s[3] = { loop_s(n), loop_s(n), loop_s(n) };

	qsort(s, 3, sizeof(*s), cmp_double);
	*fastest = s[0];
	return s[1];
}

/* Lines of @log whose label is @text. */
static int count_labels(const struct it_log *log, const char *text)
{
	int n = 0;

	for (int i = 0; i < log->n; i++) {
		const char *l = it_get_str(log->obj[i], "label");

		n += l && !strcmp(l, text);
	}
	return n;
}

/* R2: with pid -1 every process running malloc (or the workload's count_me)
 * trapped: 3 million untraced calls took ~60x longer beside a --mark malloc run.
 * Per-process uprobes leave them alone; the traced process's count stays exact. */
static void test_untraced_loop_beside_mark_runs_at_full_speed(void)
{
	enum { TRACED_CALLS = 1000, UNTRACED_CALLS = 3000000 };
	char dir[64], log_path[128], calls[16];
	const char *args[] = { "-q", "--buffer", "16M", "--mark", "count_me", "--mark", "malloc",
			       "-o", log_path, "--", it_workload("malloc_loop"), calls, "20000", NULL };
	struct it_log log = { 0 };
	struct it_proc p = { 0 };
	double alone, alone_s[2], beside, start, fast[3];
	bool ready = false;

	if (!it_tmpdir(dir, sizeof(dir)))
		SKIP("no temporary directory");
	snprintf(log_path, sizeof(log_path), "%s/log", dir);
	snprintf(calls, sizeof(calls), "%d", TRACED_CALLS);
	loop_s(UNTRACED_CALLS);		/* warm-up: page cache, CPU frequency */
	alone_s[0] = median3(UNTRACED_CALLS, &fast[0]);
	REQUIRE_GOTO(it_start_traced(&p, args, NULL), out, "cannot start procmon");
	/* Its marks are in (count_me's calls logged): libc's malloc probe too. */
	for (start = it_now_s(); !ready && it_now_s() - start < 20; usleep(20000)) {
		char *text = it_read_file(log_path);
		int n = 0;

		for (const char *at = text; at && (at = strstr(at, "\"label\": \"count_me\"")); at++)
			n++;
		ready = n >= TRACED_CALLS;
		free(text);
	}
	REQUIRE_GOTO(ready, stop, "the traced loop's marks did not arrive");
	beside = median3(UNTRACED_CALLS, &fast[2]);
	/* Alone again, after: the mean of both sides of the run beside. */
	kill(p.pid, SIGINT);
	it_finish(&p, TIMEOUT_S);
	alone_s[1] = median3(UNTRACED_CALLS, &fast[1]);
	alone = (alone_s[0] + alone_s[1]) / 2;
	if (fast[1] < fast[0])
		fast[0] = fast[1];
	printf("  3M untraced malloc calls, CPU s (median of 3): alone %.4f before, %.4f after; "
	       "beside --mark malloc %.4f (%.2fx; fastest %.2fx)\n", alone_s[0], alone_s[1], beside,
	       beside / alone, fast[2] / fast[0]);
	/* A uprobe for every process made it ~60x; this VM's noise is up to ~1.3x
	 * between two medians, so the fastest runs may settle it. */
	CHECK(beside <= 1.5 * alone || fast[2] <= 1.5 * fast[0],
	      "untraced loop beside --mark: %.4f s, alone %.4f s (> 1.5x), fastest %.4f vs %.4f",
	      beside, alone, fast[2], fast[0]);
stop:
	if (!p.out) {
		kill(p.pid, SIGINT);
		it_finish(&p, TIMEOUT_S);
	}
	CHECK(it_log_load(log_path, &log) == 0, "no log");
	CHECK(count_labels(&log, "count_me") == TRACED_CALLS, "count_me marks: want %d, got %d",
	      TRACED_CALLS, count_labels(&log, "count_me"));
	it_log_free(&log);
	it_proc_free(&p);
out:
	it_rmdir(dir);
}

/* Descriptors procmon @pid has open now. */
static int fds_of(pid_t pid)
{
	char path[64];
	struct dirent *de;
	int n = 0;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	d = opendir(path);
	if (!d)
		return -1;
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

/* -c: each forked child labels at once, before any exec: its uprobes must be its
 * own before its first instruction; every label arrives. The links of exited
 * children are destroyed: procmon's descriptors stay bounded. */
static void test_forked_children_label_at_once_and_links_stay_bounded(void)
{
	enum { CHILDREN = 80 };
	char dir[64], log_path[128], go[128], count[16];
	const char *args[] = { "-q", "-c", "-o", log_path, "--", it_workload("fork_labels"), count,
			       go, NULL };
	struct it_log log = { 0 };
	struct it_proc p;
	int fds = -1, base;
	double start;
	char buf[16];

	if (!it_tmpdir(dir, sizeof(dir)))
		SKIP("no temporary directory");
	snprintf(log_path, sizeof(log_path), "%s/log", dir);
	snprintf(go, sizeof(go), "%s/go", dir);
	snprintf(count, sizeof(count), "%d", CHILDREN);
	REQUIRE_GOTO(it_start_traced(&p, args, NULL), out, "cannot start procmon");
	for (start = it_now_s(); it_now_s() - start < TIMEOUT_S; usleep(20000)) {
		ssize_t n = pread(p.out_fd, buf, sizeof(buf) - 1, 0);

		if (n > 0 && (buf[n] = '\0', strstr(buf, "done"))) {
			fds = fds_of(p.pid);
			break;
		}
	}
	close(open(go, O_WRONLY | O_CREAT, 0600));
	it_finish(&p, TIMEOUT_S);
	REQUIRE_GOTO(it_traced_log(&p, TIMEOUT_S, 0, log_path, &log), done, "no log");
	CHECK(count_labels(&log, "child") == CHILDREN, "child labels: want %d, got %d", CHILDREN,
	      count_labels(&log, "child"));
	CHECK(count_labels(&log, "parent") == 1 && count_labels(&log, "end") == 1,
	      "the parent's labels: parent %d, end %d", count_labels(&log, "parent"),
	      count_labels(&log, "end"));
	/* Its own: a few dozen (programs, maps, links, pidfds); the links of
	 * exited children (two descriptors each) wait for the reaper, at most
	 * 2 * LINK_REAPER_HIGH of them: a leak would be 2 per child. */
	base = 64;
	printf("  %d children: procmon had %d descriptors after them; %.1f s in all\n", CHILDREN,
	       fds, p.secs);
	CHECK(fds > 0 && fds <= base + 2 * 2 * LINK_REAPER_HIGH,
	      "procmon's descriptors after %d children: %d (bound %d)", CHILDREN, fds,
	      base + 2 * 2 * LINK_REAPER_HIGH);
done:
	it_log_free(&log);
	it_proc_free(&p);
out:
	it_rmdir(dir);
}

/* The warning lines of @err that start with @prefix. */
static int count_lines_starting(const char *err, const char *prefix)
{
	int n = 0;

	for (const char *l = err; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		n += !strncmp(l, prefix, strlen(prefix));
	return n;
}

/* A procmon_label that is an IFUNC (and a --mark of one): no uprobe can go in;
 * one warning line per file, without -v, however many processes map it. */
static void test_ifunc_label_and_mark_warn_once_per_file(void)
{
	char dir[64], log_path[128], want[PATH_MAX + 64];
	const char *args[] = { "-q", "-c", "--mark", "strlen", "-o", log_path, "--",
			       it_workload("label_ifunc"), "3", NULL };
	const char *argv[16];
	struct it_proc p;

	if (!it_tmpdir(dir, sizeof(dir)))
		SKIP("no temporary directory");
	snprintf(log_path, sizeof(log_path), "%s/log", dir);
	it_run(&p, it_procmon_argv(argv, 16, args), NULL, TIMEOUT_S);
	CHECK(it_exit_code(p.status) == 0, "exit %d: %s", it_exit_code(p.status), p.err);
	snprintf(want, sizeof(want), "procmon: warning: cannot attach the label probe in '%s': ",
		 it_workload("label_ifunc"));
	CHECK(count_lines_starting(p.err, want) == 1, "want one line '%s...', got %d in: %s", want,
	      count_lines_starting(p.err, want), p.err);
	CHECK(strstr(p.err, "IFUNC") && strstr(p.err, "; labels from it will be missing\n"),
	      "the warning says neither why nor what follows: %s", p.err);
	CHECK(count_lines_starting(p.err, "procmon: warning: cannot attach --mark 'strlen' in '") == 1,
	      "want one warning for --mark strlen (an IFUNC in libc): %s", p.err);
	it_proc_free(&p);
	it_rmdir(dir);
}

int main(void)
{
	RUN(test_untraced_loop_beside_mark_runs_at_full_speed);
	RUN(test_forked_children_label_at_once_and_links_stay_bounded);
	RUN(test_ifunc_label_and_mark_warn_once_per_file);
	return check_summary();
}
