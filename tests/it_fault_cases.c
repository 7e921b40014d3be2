// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Integration tests of the faults found beside issue 12: a process whose main
 * thread exited (its memory, -p, its labels), out of descriptors, a -p target
 * that exits during the attach, and command lines past 4 KiB. */
#include "itest.h"

#define TIMEOUT_S 30.0

/* Wait (up to 10 s) for @p's captured stdout to hold @text. */
static bool wait_output(const struct it_proc *p, const char *text)
{
	char buf[256];

	for (double start = it_now_s(); it_now_s() - start < 10; usleep(10000)) {
		ssize_t n = pread(p->out_fd, buf, sizeof(buf) - 1, 0);

		if (n > 0 && (buf[n] = '\0', strstr(buf, text)))
			return true;
	}
	return false;
}

/* The largest memory_info.rss in @log's samples of @pid after its first label. */
static double rss_after_main_exit(const struct it_log *log, int *labels)
{
	double best = 0;
	bool after = false;

	*labels = 0;
	for (int i = 0; i < log->n; i++) {
		const char *l = it_get_str(log->obj[i], "label");

		if (l && !strncmp(l, "alive ", 6)) {
			after = true;
			(*labels)++;
		}
		if (after && !l && it_get_num(log->obj[i], "memory_info.rss") > best)
			best = it_get_num(log->obj[i], "memory_info.rss");
	}
	return best;
}

/* pthread_exit in main with 200 MB resident: launched, the samples show them
 * (not rss 0, vms 0), and the labels of the thread left go on arriving. */
static void test_main_thread_exit_launched_keeps_memory_and_labels(void)
{
	char dir[64], log_path[128];
	const char *args[] = { "-q", "-i", "0.05", "-o", log_path, "--", it_workload("main_exit"),
			       "200", "1000", NULL };
	struct it_log log = { 0 };
	struct it_proc p;
	int labels;
	double rss;

	if (!it_tmpdir(dir, sizeof(dir)))
		SKIP("no temporary directory");
	snprintf(log_path, sizeof(log_path), "%s/log", dir);
	if (it_run_traced(args, NULL, TIMEOUT_S, 0, log_path, &log, &p)) {
		rss = rss_after_main_exit(&log, &labels);
		printf("  after the main thread's exit: rss up to %.0f MiB, %d labels of 20\n",
		       rss / 1048576, labels);
		CHECK(rss >= 190.0 * 1048576, "rss after the main thread exited: %.0f bytes", rss);
		/* The first may fall before the uprobe has moved to a live thread. */
		CHECK(labels >= 19, "labels from the thread left: %d of 20", labels);
	}
	it_log_free(&log);
	it_proc_free(&p);
	it_rmdir(dir);
}

/* -p of such a process: not refused as a zombie; its memory is there. */
static void test_main_thread_exit_attached_by_pid(void)
{
	char dir[64], log_path[128], pid_text[16];
	const char *wl[] = { it_workload("main_exit"), "200", "3000", NULL };
	const char *args[] = { "-q", "-i", "0.05", "-d", "0.5", "-o", log_path, "-p", pid_text, NULL };
	struct it_log log = { 0 };
	struct it_proc w, p;
	double rss = 0;

	if (!it_tmpdir(dir, sizeof(dir)))
		SKIP("no temporary directory");
	snprintf(log_path, sizeof(log_path), "%s/log", dir);
	REQUIRE_GOTO(it_start(&w, wl, NULL) == 0, out, "cannot start main_exit");
	REQUIRE_GOTO(wait_output(&w, "ready"), stop, "main_exit never said ready");
	usleep(50000);
	snprintf(pid_text, sizeof(pid_text), "%d", (int)w.pid);
	if (it_run_traced(args, NULL, TIMEOUT_S, 0, log_path, &log, &p)) {
		for (int i = 0; i < log.n; i++)
			if (it_get_num(log.obj[i], "memory_info.rss") > rss)
				rss = it_get_num(log.obj[i], "memory_info.rss");
		CHECK(rss >= 190.0 * 1048576, "-p: rss %.0f bytes, want the 200 MiB resident", rss);
		CHECK(it_get_int(log.obj[0], "pid", -1) == w.pid, "the log is not of PID %d",
		      (int)w.pid);
	} else {
		printf("  procmon -p said: %s\n", p.err);
	}
	it_log_free(&log);
	it_proc_free(&p);
stop:
	it_finish(&w, TIMEOUT_S);
	it_proc_free(&w);
out:
	it_rmdir(dir);
}

/* ulimit -n 10: out of descriptors, and it says so (not "Invalid argument"). */
static void test_out_of_descriptors_says_so(void)
{
	char cmd[PATH_MAX + 64];
	const char *argv[] = { "sh", "-c", cmd, NULL };
	const char *limits[] = { "10", "20", "30" };
	struct it_proc p;

	for (size_t i = 0; i < sizeof(limits) / sizeof(*limits); i++) {
		snprintf(cmd, sizeof(cmd), "ulimit -n %s && exec '%s' -q -o /dev/null -- true",
			 limits[i], it_procmon());
		it_run(&p, argv, NULL, TIMEOUT_S);
		CHECK(it_exit_code(p.status) == 125, "ulimit -n %s: exit %d", limits[i],
		      it_exit_code(p.status));
		CHECK(!strcmp(p.err, "procmon: cannot load BPF programs: too many open files "
			      "(raise ulimit -n)\n"), "ulimit -n %s: stderr: %s", limits[i], p.err);
		it_proc_free(&p);
	}
}

/* -p of processes that exit while procmon attaches (loading BPF takes tens of
 * ms): "no such process", and no log left behind, empty or not. */
static void test_pid_gone_during_attach_leaves_no_log(void)
{
	const char *delays[] = { "0.01", "0.03", "0.05", "0.08" };
	char dir[64], log_path[128], pid_text[16];

	if (!it_tmpdir(dir, sizeof(dir)))
		SKIP("no temporary directory");
	snprintf(log_path, sizeof(log_path), "%s/log", dir);
	for (size_t i = 0; i < sizeof(delays) / sizeof(*delays); i++) {
		const char *sl[] = { "sleep", delays[i], NULL };
		const char *args[] = { "-q", "-o", log_path, "-p", pid_text, NULL };
		const char *argv[16];
		struct it_proc s, p;
		int code;

		unlink(log_path);
		if (it_start(&s, sl, NULL))
			continue;
		snprintf(pid_text, sizeof(pid_text), "%d", (int)s.pid);
		it_run(&p, it_procmon_argv(argv, 16, args), NULL, TIMEOUT_S);
		it_finish(&s, TIMEOUT_S);
		code = it_exit_code(p.status);
		if (code == 0) {	/* attached in time: a log of its whole life */
			struct it_log log = { 0 };

			CHECK(it_log_load(log_path, &log) == 0 && log.n >= 2,
			      "sleep %s: attached, but the log has %d lines", delays[i], log.n);
			it_log_free(&log);
		} else {
			/* Gone (or a zombie not yet reaped by its parent, us). */
			CHECK(code == 125 && (strstr(p.err, ": no such process") ||
					      strstr(p.err, ": it has already exited")) &&
			      !strstr(p.err, "No such file"), "sleep %s: exit %d, stderr: %s",
			      delays[i], code, p.err);
			CHECK(access(log_path, F_OK) != 0, "sleep %s: a log was left behind", delays[i]);
		}
		it_proc_free(&s);
		it_proc_free(&p);
	}
	it_rmdir(dir);
}

/* A command line of 10,000 bytes is logged whole; one past 128 KiB is cut there
 * with cmdline_truncated: true (never set otherwise). */
static void test_long_command_lines_whole_or_marked_cut(void)
{
	char dir[64], log_path[128], *arg = malloc(50001);
	const char *args[16] = { "-q", "-o", log_path, "--", "/bin/true" };
	struct it_log log = { 0 };
	struct it_proc p;
	const char *cmd;

	REQUIRE(arg, "out of memory");
	if (!it_tmpdir(dir, sizeof(dir))) {
		free(arg);
		SKIP("no temporary directory");
	}
	snprintf(log_path, sizeof(log_path), "%s/log", dir);
	memset(arg, 'a', 10000);
	arg[10000] = '\0';
	args[5] = arg;
	if (it_run_traced(args, NULL, TIMEOUT_S, 0, log_path, &log, &p)) {
		cmd = it_get_str(log.obj[0], "cmdline");
		CHECK(cmd && strlen(cmd) == 10 + 10000, "a 10000-byte argument: cmdline of %zu bytes",
		      cmd ? strlen(cmd) : 0);
		CHECK(!it_get(log.obj[0], "cmdline_truncated"), "cmdline_truncated on a whole line");
	}
	it_log_free(&log);
	it_proc_free(&p);
	memset(arg, 'b', 50000);
	arg[50000] = '\0';
	for (int i = 5; i < 9; i++)
		args[i] = arg;		/* 4 x 50,000: past 128 KiB */
	if (it_run_traced(args, NULL, TIMEOUT_S, 0, log_path, &log, &p)) {
		json_object *cut = it_get(log.obj[0], "cmdline_truncated");

		cmd = it_get_str(log.obj[0], "cmdline");
		CHECK(cmd && strlen(cmd) == 128 * 1024, "200 KB of arguments: cmdline of %zu bytes",
		      cmd ? strlen(cmd) : 0);
		CHECK(cut && json_object_get_boolean(cut), "no cmdline_truncated: true on a cut line");
	}
	it_log_free(&log);
	it_proc_free(&p);
	free(arg);
	it_rmdir(dir);
}

int main(void)
{
	RUN(test_main_thread_exit_launched_keeps_memory_and_labels);
	RUN(test_main_thread_exit_attached_by_pid);
	RUN(test_out_of_descriptors_says_so);
	RUN(test_pid_gone_during_attach_leaves_no_log);
	RUN(test_long_command_lines_whole_or_marked_cut);
	return check_summary();
}
