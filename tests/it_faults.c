// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Integration tests of procmon under faults: a target that dies, execs or has its
 * PID reused; procmon itself hung up on, killed, out of disk or out of reader; and
 * loads that are large (1,000 threads, 200 children, a label flood). */
#include <linux/sched.h>
#include <sys/mount.h>

#include "check.h"
#include "reltest.h"

#define TIMEOUT_S 30.0
/* procmon's own peak RSS (VmHWM) under the large loads: ~14 MiB seen; generous. */
#define RSS_BOUND_KB (64 * 1024)

/* Run procmon with @args (after "procmon") to the end, load the log at @log_path
 * (it_traced_log; the exit status is each test's to check). */
static bool run_to_end(const char *const *args, const char *log_path, struct rel_run *r,
		       struct it_log *log)
{
	const char *argv[64];

	memset(log, 0, sizeof(*log));
	if (rel_start(r, it_procmon_argv(argv, 64, args), NULL, -1)) {
		CHECK(0, "cannot start procmon");
		return false;
	}
	rel_finish(r, TIMEOUT_S, true);
	return it_traced_log(&r->p, TIMEOUT_S, -1, log_path, log);
}

static void run_free(struct rel_run *r)
{
	it_proc_free(&r->p);
}

/* The lines of @log for @pid, in order, into @idx (at most @max); their count. */
static int lines_of(const struct it_log *log, long long pid, int *idx, int max)
{
	int n = 0;

	for (int i = 0; i < log->n; i++)
		if (it_get_int(log->obj[i], "pid", -1) == pid && !it_get(log->obj[i], "thread") &&
		    n < max)
			idx[n++] = i;
	return n;
}

/* A target's lines: one START first, one STOP last, none after it, counters that
 * never go back. Returns the index of the STOP line or -1. */
static int check_life(const struct it_log *log, long long pid, const char *what)
{
	static int idx[100000];
	int n = lines_of(log, pid, idx, 100000), starts = 0, stops = 0;

	CHECK(n >= 2, "%s (pid %lld): %d lines, expected a START and a STOP", what, pid, n);
	if (n < 2)
		return -1;
	for (int i = 0; i < n; i++) {
		starts += log->mark[idx[i]] == IT_MARK_START;
		stops += log->mark[idx[i]] == IT_MARK_STOP;
	}
	CHECK(starts == 1 && log->mark[idx[0]] == IT_MARK_START,
	      "%s (pid %lld): %d START lines, the first line's mark %d", what, pid, starts,
	      (int)log->mark[idx[0]]);
	CHECK(stops == 1 && log->mark[idx[n - 1]] == IT_MARK_STOP,
	      "%s (pid %lld): %d STOP lines, the last line's mark %d", what, pid, stops,
	      (int)log->mark[idx[n - 1]]);
	for (int i = 1; i < n; i++) {
		static const char *const cumulative[] = { "memory_info.pfaults", "sched.oncpu_ns",
							  "elapsed_time" };

		for (int k = 0; k < 3; k++) {
			double a = it_get_num(log->obj[idx[i - 1]], cumulative[k]);
			double b = it_get_num(log->obj[idx[i]], cumulative[k]);

			CHECK(!(b < a), "%s (pid %lld): %s went back from %.6g to %.6g at line %d",
			      what, pid, cumulative[k], a, b, idx[i] + 1);
		}
	}
	return stops == 1 ? idx[n - 1] : -1;
}

/* ------------------------------------------------------- the target's end */

/* The target exits 0.3 s into a 1 s interval: its STOP line comes then, not at the
 * next tick, and says so in elapsed_time. */
static void test_target_exiting_mid_interval_gets_its_last_line_at_exit(void)
{
	char dir[64], log_path[128];
	const char *args[] = { "-q", "-i", "1", "-o", log_path, "--", it_workload("exit_with"),
			       "sleep", "0.3", NULL };
	struct rel_run r;
	struct it_log log;
	int stop;

	if (!it_tmpdir(dir, sizeof(dir)))
		SKIP("no temporary directory");
	snprintf(log_path, sizeof(log_path), "%s/log", dir);
	if (!run_to_end(args, log_path, &r, &log))
		goto out;
	CHECK(it_exit_code(r.p.status) == 0, "exit status %d", it_exit_code(r.p.status));
	CHECK(log.n == 2, "expected START and STOP only (no tick within the 0.3 s), got %d lines",
	      log.n);
	stop = log.n ? check_life(&log, it_get_int(log.obj[0], "pid", -1), "exit_with") : -1;
	if (stop >= 0) {
		double at = it_get_num(log.obj[stop], "elapsed_time");

		printf("  STOP line at elapsed_time %.3f s (the target slept 0.3 s, interval 1 s)\n",
		       at);
		CHECK(at >= 0.3 && at < 0.5, "STOP elapsed_time %.3f, expected 0.3-0.5 s", at);
		CHECK(it_get_int(log.obj[stop], "exit_code", -1) == 0, "no exit_code 0 on STOP");
	}
out:
	it_log_free(&log);
	run_free(&r);
	it_rmdir(dir);
}

/* The target is SIGKILLed from outside mid-run: STOP says signal 9, procmon 137. */
static void test_target_killed_by_sigkill_gets_signal_on_last_line(void)
{
	char dir[64], log_path[128];
	const char *argv[] = { it_procmon(), "-q", "-i", "0.05", "-o", log_path, "--",
			       it_workload("exit_with"), "sleep", "20", NULL };
	struct rel_run r;
	struct it_log log = { 0 };
	long long pid = -1;
	int stop;

	if (!it_tmpdir(dir, sizeof(dir)))
		SKIP("no temporary directory");
	snprintf(log_path, sizeof(log_path), "%s/log", dir);
	REQUIRE_GOTO(rel_start(&r, argv, NULL, -1) == 0, out_dir, "cannot start procmon");
	CHECK(rel_wait_lines(log_path, 3, 10), "procmon wrote no samples");
	if (it_log_load(log_path, &log) == 0 && log.n)
		pid = it_get_int(log.obj[0], "pid", -1);
	it_log_free(&log);
	CHECK(pid > 0, "no pid on the START line");
	if (pid > 0)
		kill((pid_t)pid, SIGKILL);
	rel_finish(&r, 5, true);
	CHECK(!r.p.timed_out, "procmon did not exit within 5 s of its target's SIGKILL");
	CHECK(it_exit_code(r.p.status) == 137, "exit status: expected 137, got %d",
	      it_exit_code(r.p.status));
	CHECK(it_log_load(log_path, &log) == 0 && log.bad == 0, "log unreadable or bad lines");
	stop = check_life(&log, pid, "exit_with sleep");
	if (stop >= 0) {
		CHECK(stop == log.n - 1, "the STOP line is not the last line");
		CHECK(it_get_int(log.obj[stop], "signal", -1) == 9, "STOP line signal: expected 9, got %lld",
		      it_get_int(log.obj[stop], "signal", -1));
		CHECK(!it_get(log.obj[stop], "exit_code"), "a STOP line with both signal and exit_code");
	}
	it_log_free(&log);
	run_free(&r);
out_dir:
	it_rmdir(dir);
}

/* The target execs another program: same pid, an exec line with the new command
 * line, labels of the new program, and the new program's status at the end. */
static void test_target_exec_keeps_pid_and_reports_new_program(void)
{
	char dir[64], log_path[128], script[512];
	const char *args[] = { "-q", "-i", "0.05", "-o", log_path, "--", "/bin/sh", "-c", script,
			       NULL };
	struct rel_run r;
	struct it_log log;
	long long pid;
	int stop, execs = 0, labels = 0, others = 0;

	if (!it_tmpdir(dir, sizeof(dir)))
		SKIP("no temporary directory");
	snprintf(log_path, sizeof(log_path), "%s/log", dir);
	snprintf(script, sizeof(script), "'%s' sleep 0.2; exec '%s' 'after exec'",
		 it_workload("exit_with"), it_workload("labels_own"));
	if (!run_to_end(args, log_path, &r, &log))
		goto out;
	CHECK(it_exit_code(r.p.status) == 0, "exit status %d", it_exit_code(r.p.status));
	pid = log.n ? it_get_int(log.obj[0], "pid", -1) : -1;
	stop = check_life(&log, pid, "sh -c '...; exec labels_own'");
	for (int i = 0; i < log.n; i++) {
		const char *ev = it_get_str(log.obj[i], "event");
		const char *label = it_get_str(log.obj[i], "label");

		if (it_get_int(log.obj[i], "pid", -1) != pid) {
			others++;	/* the shell's untraced child must not appear */
			continue;
		}
		if (ev && !strcmp(ev, "exec")) {
			const char *cmd = it_get_str(log.obj[i], "cmdline");

			execs++;
			CHECK(cmd && strstr(cmd, "labels_own after exec"),
			      "exec line cmdline: got \"%s\"", cmd ? cmd : "(none)");
		}
		if (label) {
			labels++;
			CHECK_STR(label, "after exec");
		}
	}
	CHECK(others == 0, "%d lines for a process that is not the target (no -c)", others);
	CHECK(execs == 1, "expected one exec line, got %d", execs);
	CHECK(labels == 1, "expected the exec'd program's one label, got %d", labels);
	if (stop >= 0)
		CHECK(it_get_int(log.obj[stop], "exit_code", -1) == 0, "STOP exit_code: got %lld",
		      it_get_int(log.obj[stop], "exit_code", -1));
out:
	it_log_free(&log);
	run_free(&r);
	it_rmdir(dir);
}

/* -d ends tracing as the command starts: BPF may just have held the command at
 * its exec (SIGSTOP until its code is probed). It must be let go, and procmon
 * return its status, every time (20 tries: the window is narrow). */
static void test_duration_ending_at_exec_never_leaves_the_command_stopped(void)
{
	char dir[64], log_path[128], line[200];
	const char *argv[] = { it_procmon(), "-q", "-o", log_path, "-d", "0.000000001", "--",
			       it_workload("exit_with"), "code", "3", NULL };
	int hung = 0, wrong = 0;

	if (!it_tmpdir(dir, sizeof(dir)))
		SKIP("no temporary directory");
	snprintf(log_path, sizeof(log_path), "%s/log", dir);
	for (int i = 0; i < 20; i++) {
		struct rel_run r;

		unlink(log_path);
		rel_start(&r, argv, NULL, -1);
		rel_finish(&r, 5, true);
		hung += r.p.timed_out;
		if (!r.p.timed_out && it_exit_code(r.p.status) != 3 && wrong++ == 0)
			printf("  exit %d: %s\n", it_exit_code(r.p.status),
			       it_first_line(r.p.err, line, sizeof(line)));
		run_free(&r);
	}
	printf("  20 runs of -d 1 ns: %d hung (command left stopped), %d wrong status\n", hung, wrong);
	CHECK(hung == 0, "%d of 20 runs hung: the command stayed SIGSTOPped after tracing ended", hung);
	CHECK(wrong == 0, "%d of 20 runs did not return the command's status 3", wrong);
	it_rmdir(dir);
}

/* Fork a process with pid @pid (clone3 with set_tid) that execs @argv. Its pid, or
 * -errno. */
static pid_t spawn_with_pid(pid_t pid, const char *const *argv)
{
	struct clone_args ca = { .exit_signal = SIGCHLD };
	pid_t want = pid, got;

	ca.set_tid = (__u64)(uintptr_t)&want;
	ca.set_tid_size = 1;
	fflush(NULL);
	got = (pid_t)syscall(SYS_clone3, &ca, sizeof(ca));
	if (got < 0)
		return -errno;
	if (got == 0) {
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	return got;
}

/* A traced process (attached with -p) dies, is reaped, and its PID is given at once
 * to a new process that faults 100,000 pages: procmon ends its target with one STOP
 * line and writes nothing about the newcomer (pidfd + /proc/PID/stat kept open). */
static void test_reused_pid_gets_no_line(void)
{
	char dir[64], log_path[128], pid_s[16];
	const char *argv[] = { it_procmon(), "-q", "-i", "0.02", "-o", log_path, "-p", pid_s, NULL };
	const char *newcomer[] = { it_workload("touch_pages"), "128", "3", "/dev/null", NULL };
	struct rel_run r;
	struct it_log log = { 0 };
	pid_t a, b = -1;
	int stop, status, idx[4096], n;

	if (!it_tmpdir(dir, sizeof(dir)))
		SKIP("no temporary directory");
	snprintf(log_path, sizeof(log_path), "%s/log", dir);
	a = fork();
	/* -1 would make the kill(a, SIGKILL) below one to every process. */
	REQUIRE_GOTO(a >= 0, out_dir, "fork: %s", strerror(errno));
	if (a == 0) {
		execl(it_workload("exit_with"), "exit_with", "sleep", "30", (char *)NULL);
		_exit(127);
	}
	usleep(50000);		/* exec'd: procmon sees exit_with, not the test binary */
	snprintf(pid_s, sizeof(pid_s), "%d", (int)a);
	if (rel_start(&r, argv, NULL, -1)) {
		kill(a, SIGKILL);
		waitpid(a, &status, 0);
		goto out_dir;
	}
	CHECK(rel_wait_lines(log_path, 4, 10), "procmon wrote no samples of pid %d", (int)a);
	kill(a, SIGKILL);
	waitpid(a, &status, 0);
	b = spawn_with_pid(a, newcomer);
	rel_finish(&r, 10, true);
	if (b == -EPERM || b == -ENOSYS || b == -EINVAL) {
		it_log_free(&log);
		run_free(&r);
		it_rmdir(dir);
		SKIP("clone3 with set_tid is not available here: %s", strerror(-b));
	}
	CHECK(b == a, "the newcomer did not get pid %d: clone3 gave %d (%s)", (int)a, (int)b,
	      b < 0 ? strerror(-b) : "another pid");
	if (b > 0)
		waitpid(b, &status, 0);
	CHECK(!r.p.timed_out && it_exit_code(r.p.status) == 0,
	      "procmon -p: exit %d after its target died (timed out: %d)", it_exit_code(r.p.status),
	      r.p.timed_out);
	CHECK(it_log_load(log_path, &log) == 0 && log.bad == 0, "log unreadable or bad lines");
	stop = check_life(&log, a, "the attached target");
	n = lines_of(&log, a, idx, 4096);
	for (int i = 0; i < n; i++) {
		json_object *o = log.obj[idx[i]];

		CHECK(it_get_num(o, "memory_info.pfaults") < 10000 &&
		      !(it_get_num(o, "memory_info.vms") > 64.0 * 1048576),
		      "line %d for pid %d has the newcomer's numbers: pfaults %.0f, vms %.0f",
		      idx[i] + 1, (int)a, it_get_num(o, "memory_info.pfaults"),
		      it_get_num(o, "memory_info.vms"));
		CHECK(!it_get_str(o, "cmdline") || !strstr(it_get_str(o, "cmdline"), "touch_pages"),
		      "line %d names the newcomer's command", idx[i] + 1);
	}
	printf("  pid %d: %d lines, the last one STOP (%s), newcomer pid %d\n", (int)a, n,
	       stop >= 0 ? "ok" : "missing", (int)b);
	it_log_free(&log);
	run_free(&r);
out_dir:
	it_rmdir(dir);
}

/* ------------------------------------------------------ procmon's own end */

/* on_label is not loaded here: it is loaded at a target's first label site. */
static const char *const our_programs[] = { "on_switch", "snapshot", "on_rss_stat",
					    "on_fork", "on_exec", "on_exit", "on_oom_victim",
					    "on_mmap", "on_free" };

/* Start procmon on a sleeping command, take its BPF ids once it samples, check they
 * are ours, then send @sig. Leaves the log at @log_path and the run in @r; false
 * (recorded) if procmon could not be started. */
static bool signal_mid_run(int sig, const char *log_path, struct rel_run *r, struct rel_bpf_ids *ids)
{
	const char *argv[] = { it_procmon(), "-q", "-i", "0.05", "-o", log_path, "--",
			       it_workload("exit_with"), "sleep", "20", NULL };
	const char *names[REL_MAX_IDS];
	json_object *progs;
	int n_names = 0;

	if (rel_start(r, argv, NULL, -1))
		return false;	/* and no kill(0, sig): that is our own process group */
	CHECK(rel_wait_lines(log_path, 3, 10), "procmon wrote no samples");
	rel_bpf_ids_of(r->p.pid, ids);
	progs = rel_bpftool_list("prog");
	CHECK(progs, "bpftool prog list -j failed");
	rel_count_listed(progs, ids->progs, ids->n_progs, names, &n_names);
	for (size_t i = 0; i < sizeof(our_programs) / sizeof(*our_programs); i++) {
		bool seen = false;

		for (int j = 0; j < n_names; j++)
			seen |= names[j] && !strcmp(names[j], our_programs[i]);
		CHECK(seen, "program %s is not among the %d procmon holds mid-run", our_programs[i],
		      ids->n_progs);
	}
	CHECK(ids->n_links >= 6, "procmon holds %d links mid-run, expected >= 6", ids->n_links);
	json_object_put(progs);
	kill(r->p.pid, sig);
	rel_finish(r, 5, true);
	return true;
}

static void check_detached(const struct rel_bpf_ids *ids, const char *after)
{
	int progs_left, links_left;

	rel_wait_bpf_gone(ids, 2, &progs_left, &links_left);
	printf("  after %s: %d of %d programs and %d of %d links still listed by bpftool\n", after,
	       progs_left, ids->n_progs, links_left, ids->n_links);
	CHECK(progs_left == 0, "%d of procmon's %d programs remain after %s", progs_left,
	      ids->n_progs, after);
	CHECK(links_left == 0, "%d of procmon's %d links remain after %s", links_left,
	      ids->n_links, after);
}

/* SIGHUP (a closed terminal) ends a run as SIGINT does: STOP line flushed, 129,
 * every program and link gone. */
static void test_sighup_flushes_last_line_and_detaches(void)
{
	char dir[64], log_path[128], line[200];
	struct rel_bpf_ids ids;
	struct rel_run r;
	struct it_log log;

	if (!it_tmpdir(dir, sizeof(dir)))
		SKIP("no temporary directory");
	snprintf(log_path, sizeof(log_path), "%s/log", dir);
	REQUIRE_GOTO(signal_mid_run(SIGHUP, log_path, &r, &ids), out, "procmon did not run");
	CHECK(!r.p.timed_out, "procmon did not exit within 5 s of SIGHUP");
	CHECK(it_exit_code(r.p.status) == 128 + SIGHUP, "exit status: expected %d, got %d (%s)",
	      128 + SIGHUP, it_exit_code(r.p.status), it_first_line(r.p.err, line, sizeof(line)));
	CHECK(it_log_load(log_path, &log) == 0 && log.bad == 0, "log unreadable or bad lines");
	CHECK(log.n >= 3 && log.mark[log.n - 1] == IT_MARK_STOP, "the last line is not a STOP line");
	check_detached(&ids, "SIGHUP");
	it_log_free(&log);
	run_free(&r);
out:
	it_rmdir(dir);
}

/* SIGKILL gives procmon no chance to clean up: the kernel must, as the programs
 * and links belong to its file descriptors. The lines written so far stay whole. */
static void test_sigkill_of_procmon_leaves_nothing_attached(void)
{
	char dir[64], log_path[128];
	struct rel_bpf_ids ids;
	struct rel_run r;
	struct it_log log;

	if (!it_tmpdir(dir, sizeof(dir)))
		SKIP("no temporary directory");
	snprintf(log_path, sizeof(log_path), "%s/log", dir);
	REQUIRE_GOTO(signal_mid_run(SIGKILL, log_path, &r, &ids), out, "procmon did not run");
	CHECK(WIFSIGNALED(r.p.status) && WTERMSIG(r.p.status) == SIGKILL, "procmon did not die of SIGKILL");
	CHECK(it_log_load(log_path, &log) == 0 && log.bad == 0 && log.n >= 3,
	      "the log before SIGKILL: %d lines, %d bad", log.n, log.bad);
	check_detached(&ids, "SIGKILL");
	it_log_free(&log);
	run_free(&r);
out:
	it_rmdir(dir);
}

/* --------------------------------------------------------- output failures */

/* A 64 KiB tmpfs fills up: one error line, 125, and a log of whole lines only. */
static void test_full_disk_gives_one_error_and_an_intact_log(void)
{
	char dir[64], mnt[96], log_path[128], line[300];
	const char *args[] = { "-q", "-i", "0.002", "-o", log_path, "--", it_workload("exit_with"),
			       "sleep", "1", NULL };
	struct rel_run r = { 0 };
	struct it_log log = { 0 };
	char *text = NULL;
	struct stat st = { 0 };

	if (!it_tmpdir(dir, sizeof(dir)))
		SKIP("no temporary directory");
	snprintf(mnt, sizeof(mnt), "%s/small", dir);
	snprintf(log_path, sizeof(log_path), "%s/log", mnt);
	if (mkdir(mnt, 0755) || mount("tmpfs", mnt, "tmpfs", 0, "size=64k")) {
		it_rmdir(dir);
		SKIP("cannot mount a small tmpfs: %s", strerror(errno));
	}
	run_to_end(args, log_path, &r, &log);
	printf("  stderr: %s", r.p.err);
	CHECK(it_exit_code(r.p.status) == 125, "exit status: expected 125, got %d",
	      it_exit_code(r.p.status));
	CHECK(it_count_lines(r.p.err) == 1 && !strncmp(r.p.err, "procmon: cannot write the log", 29) &&
	      strstr(r.p.err, "No space left on device"),
	      "expected one 'procmon: cannot write the log: No space left on device' line, got %d: %s",
	      it_count_lines(r.p.err), it_first_line(r.p.err, line, sizeof(line)));
	text = it_read_file(log_path);
	CHECK(text && *text && text[strlen(text) - 1] == '\n', "the log does not end with a whole line");
	CHECK(stat(log_path, &st) == 0 && st.st_size > 32 * 1024,
	      "the log holds %lld bytes: it did not fill the disk", (long long)st.st_size);
	CHECK(log.n >= 20 && log.bad == 0, "the log: %d good lines, %d bad", log.n, log.bad);
	printf("  %d whole lines, %lld bytes, before the disk was full\n", log.n, (long long)st.st_size);
	free(text);
	it_log_free(&log);
	run_free(&r);
	umount2(mnt, MNT_DETACH);
	it_rmdir(dir);
}

/* `procmon -o - -- CMD | head -1`: the reader takes one line and closes the pipe.
 * procmon says so once and exits 125 at once, without waiting for a command that
 * would run for 20 s more, and its programs and links are gone. */
static void test_reader_closing_the_pipe_gets_a_clean_exit(void)
{
	const char *argv[] = { it_procmon(), "-q", "-i", "0.02", "-o", "-", "--",
			       it_workload("exit_with"), "sleep", "20", NULL };
	char buf[4096], line[300];
	struct rel_bpf_ids ids;
	struct rel_run r;
	int pipefd[2], status;
	ssize_t n;
	double t0;

	if (pipe2(pipefd, O_CLOEXEC))
		SKIP("no pipe");
	rel_start(&r, argv, NULL, pipefd[1]);
	close(pipefd[1]);
	n = read(pipefd[0], buf, sizeof(buf));	/* head -1: a line, or a bit more */
	CHECK(n > 0 && memchr(buf, '\n', (size_t)n), "no line came through the pipe");
	rel_bpf_ids_of(r.p.pid, &ids);
	CHECK(ids.n_progs > 0 && ids.n_links > 0, "procmon holds no BPF program or link");
	t0 = it_now_s();
	close(pipefd[0]);
	status = rel_finish(&r, 8, true);
	check_detached(&ids, "the broken pipe");
	printf("  exited %d %.2f s after the reader closed; stderr: %s", it_exit_code(status),
	       it_now_s() - t0, r.p.err);
	CHECK(!r.p.timed_out, "procmon hung: still running 8 s after the reader went away");
	CHECK(it_now_s() - t0 < 3, "procmon took %.1f s to exit after the reader went away",
	      it_now_s() - t0);
	CHECK(it_exit_code(status) == 125, "exit status: expected 125, got %d", it_exit_code(status));
	CHECK(it_count_lines(r.p.err) == 1 && strstr(r.p.err, "procmon: cannot write the log") == r.p.err &&
	      strstr(r.p.err, "Broken pipe"),
	      "expected one 'procmon: cannot write the log: Broken pipe' line, got %d: %s",
	      it_count_lines(r.p.err), it_first_line(r.p.err, line, sizeof(line)));
	run_free(&r);
}

/* ---------------------------------------------------------------- scale */

static void report_rss(const char *what, const struct rel_run *r)
{
	printf("  %s: procmon's peak RSS (VmHWM) %ld KiB; wait4 ru_maxrss %ld KiB "
	       "(procmon or the command it reaped, the larger)\n", what, r->vmhwm_kb, r->maxrss_kb);
	CHECK(r->vmhwm_kb > 0 && r->vmhwm_kb < RSS_BOUND_KB,
	      "%s: procmon's VmHWM %ld KiB, bound %d KiB", what, r->vmhwm_kb, RSS_BOUND_KB);
	CHECK(r->maxrss_kb > 0 && r->maxrss_kb < 4 * RSS_BOUND_KB,
	      "%s: ru_maxrss %ld KiB, bound %d KiB", what, r->maxrss_kb, 4 * RSS_BOUND_KB);
}

/* 1,000 threads alive at once: every one counted (num_threads 1001), faults and
 * on-CPU time against the workload's own getrusage, procmon's memory bounded. */
static void test_thousand_threads_counted_and_memory_bounded(void)
{
	char dir[64], log_path[128], rep_path[128];
	const char *args[] = { "-q", "-i", "0.05", "-o", log_path, "--", it_workload("rel_threads"),
			       "1000", "400", rep_path, NULL };
	long created = 0, minflt = 0, majflt = 0;
	long long utime_us = 0, stime_us = 0, max_threads = 0;
	struct rel_run r;
	struct it_log log;
	FILE *f;
	int stop;

	if (!it_tmpdir(dir, sizeof(dir)))
		SKIP("no temporary directory");
	snprintf(log_path, sizeof(log_path), "%s/log", dir);
	snprintf(rep_path, sizeof(rep_path), "%s/report", dir);
	if (!run_to_end(args, log_path, &r, &log))
		goto out;
	CHECK(it_exit_code(r.p.status) == 0, "exit status %d: %s", it_exit_code(r.p.status), r.p.err);
	f = fopen(rep_path, "r");
	CHECK(f && fscanf(f, "%ld %ld %ld %lld %lld", &created, &minflt, &majflt, &utime_us,
			  &stime_us) == 5, "the workload wrote no report");
	if (f)
		fclose(f);
	CHECK(created == 1000, "the workload created %ld threads", created);
	for (int i = 0; i < log.n; i++)
		if (it_get_int(log.obj[i], "num_threads", 0) > max_threads)
			max_threads = it_get_int(log.obj[i], "num_threads", 0);
	CHECK(max_threads == 1001, "the most threads a sample saw: expected 1001, got %lld", max_threads);
	stop = log.n ? check_life(&log, it_get_int(log.obj[0], "pid", -1), "rel_threads") : -1;
	if (stop >= 0) {
		double pf = it_get_num(log.obj[stop], "memory_info.pfaults");
		double oncpu_s = it_get_num(log.obj[stop], "sched.oncpu_ns") / 1e9;
		double truth_pf = (double)(minflt + majflt), truth_s = (double)(utime_us + stime_us) / 1e6;

		printf("  1000 threads: pfaults %.0f vs getrusage %.0f; on-CPU %.4f s vs %.4f s; "
		       "max num_threads %lld\n", pf, truth_pf, oncpu_s, truth_s, max_threads);
		CHECK_NEAR(pf, truth_pf, truth_pf * 0.01 + 5, "pfaults vs minflt+majflt");
		CHECK_NEAR(oncpu_s, truth_s, fmax(truth_s * 0.05, 0.02), "oncpu (s) vs utime+stime");
	}
	report_rss("1000 threads", &r);
out:
	it_log_free(&log);
	run_free(&r);
	it_rmdir(dir);
}

/* 200 children with -c: each has its START and STOP, and its STOP says the exit
 * status its parent reaped, or procmon reports the children it lost. */
static void test_two_hundred_children_each_with_its_exit_status(void)
{
	char dir[64], log_path[128], rep_path[128];
	const char *args[] = { "-c", "-i", "0.05", "-o", log_path, "--", it_workload("rel_forker"),
			       "200", rep_path, NULL };
	int children = 0, complete = 0, wrong = 0, no_code = 0;
	struct rel_run r;
	struct it_log log;
	FILE *f;

	if (!it_tmpdir(dir, sizeof(dir)))
		SKIP("no temporary directory");
	snprintf(log_path, sizeof(log_path), "%s/log", dir);
	snprintf(rep_path, sizeof(rep_path), "%s/report", dir);
	if (!run_to_end(args, log_path, &r, &log))
		goto out;
	CHECK(it_exit_code(r.p.status) == 0, "exit status %d", it_exit_code(r.p.status));
	f = fopen(rep_path, "r");
	CHECK(f, "the workload wrote no report");
	for (int pid, code; f && fscanf(f, "%d %d", &pid, &code) == 2; children++) {
		int stop = -1, idx[64], n = lines_of(&log, pid, idx, 64);

		if (n >= 2 && log.mark[idx[0]] == IT_MARK_START && log.mark[idx[n - 1]] == IT_MARK_STOP)
			stop = idx[n - 1];
		if (stop < 0)
			continue;
		complete++;
		if (!it_get(log.obj[stop], "exit_code")) {
			if (no_code++ < 3)
				printf("  child %d: its STOP line has no exit_code (event %s)\n", pid,
				       it_get_str(log.obj[stop], "event"));
		} else if (it_get_int(log.obj[stop], "exit_code", -1) != code && wrong++ < 3) {
			printf("  child %d: STOP exit_code %lld, its parent reaped %d\n", pid,
			       it_get_int(log.obj[stop], "exit_code", -1), code);
		}
	}
	if (f)
		fclose(f);
	printf("  %d children: %d with START and STOP, %d without exit_code, %d with a wrong one\n",
	       children, complete, no_code, wrong);
	CHECK(children == 200, "the workload reaped %d children, expected 200", children);
	CHECK(complete == children || strstr(r.p.err, "lost"),
	      "%d of %d children have no START/STOP pair, and procmon reported no loss",
	      children - complete, children);
	CHECK(wrong == 0, "%d children with a wrong exit_code", wrong);
	CHECK(no_code == 0, "%d children whose STOP line has no exit_code: the status is lost "
	      "silently", no_code);
	report_rss("200 children", &r);
out:
	it_log_free(&log);
	run_free(&r);
	it_rmdir(dir);
}

/* 50,000 labels as fast as the uprobe allows: each is a line or counted in
 * labels_lost, and procmon's memory does not grow with them. */
static void test_label_flood_counted_and_memory_bounded(void)
{
	char dir[64], log_path[128];
	const char *args[] = { "-q", "-i", "0.05", "-o", log_path, "--", it_workload("label_flood"),
			       "50000", NULL };
	long long lost = 0;
	int lines = 0;
	struct rel_run r;
	struct it_log log;

	if (!it_tmpdir(dir, sizeof(dir)))
		SKIP("no temporary directory");
	snprintf(log_path, sizeof(log_path), "%s/log", dir);
	if (!run_to_end(args, log_path, &r, &log))
		goto out;
	CHECK(it_exit_code(r.p.status) == 0, "exit status %d", it_exit_code(r.p.status));
	for (int i = 0; i < log.n; i++)
		lines += it_get_str(log.obj[i], "label") != NULL;
	if (log.n)
		lost = it_get_int(log.obj[log.n - 1], "labels_lost", 0);
	printf("  50000 labels: %d lines + %lld lost\n", lines, lost);
	CHECK(lines + lost == 50000, "label lines %d + labels_lost %lld != 50000 calls", lines, lost);
	report_rss("label flood", &r);
out:
	it_log_free(&log);
	run_free(&r);
	it_rmdir(dir);
}

int main(void)
{
	if (geteuid() != 0)
		check_skip_all("needs root to load BPF programs");
	RUN(test_target_exiting_mid_interval_gets_its_last_line_at_exit);
	RUN(test_target_killed_by_sigkill_gets_signal_on_last_line);
	RUN(test_target_exec_keeps_pid_and_reports_new_program);
	RUN(test_duration_ending_at_exec_never_leaves_the_command_stopped);
	RUN(test_reused_pid_gets_no_line);
	RUN(test_sighup_flushes_last_line_and_detaches);
	RUN(test_sigkill_of_procmon_leaves_nothing_attached);
	RUN(test_full_disk_gives_one_error_and_an_intact_log);
	RUN(test_reader_closing_the_pipe_gets_a_clean_exit);
	RUN(test_thousand_threads_counted_and_memory_bounded);
	RUN(test_two_hundred_children_each_with_its_exit_status);
	RUN(test_label_flood_counted_and_memory_bounded);
	return check_summary();
}
