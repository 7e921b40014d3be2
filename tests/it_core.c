// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Integration tests of the tracer core: each starts build/procmon, which loads the
 * real BPF programs, and checks its log against the workloads' own getrusage. */
#include <dirent.h>
#include <pwd.h>
#include <regex.h>

#include "check.h"
#include "itest.h"

#define TIMEOUT_S 20.0

/* A workload's report: `minflt majflt utime_us stime_us extra`. */
struct rusage_report {
	long minflt, majflt;
	long long utime_us, stime_us;
	long extra;
};

static bool read_report(const char *path, struct rusage_report *r)
{
	FILE *f = fopen(path, "r");
	int n;

	if (!f)
		return false;
	n = fscanf(f, "%ld %ld %lld %lld %ld", &r->minflt, &r->majflt, &r->utime_us,
		   &r->stime_us, &r->extra);
	fclose(f);
	return n == 5;
}

/* Run procmon with @args (NULL-terminated, after "procmon") to the end, and load
 * the log @log_path. Checks the run exited @want_code and left a parseable log
 * with a START and a STOP line at least. */
static bool run_traced(const char *const *args, const char *log_path, int want_code,
		       struct it_log *log, struct it_proc *p)
{
	bool ok = it_run_traced(args, NULL, TIMEOUT_S, want_code, log_path, log, p);

	CHECK(log->n >= 2, "expected a START and a STOP line at least, got %d lines", log->n);
	return ok && log->n >= 2;
}

static void test_pfaults_match_getrusage(void)
{
	char dir[64], log_path[128], rep_path[128];
	const char *args[] = { "-q", "-i", "0.05", "-o", log_path, "--",
			       it_workload("touch_pages"), "64", "4", rep_path, NULL };
	struct rusage_report r;
	struct it_log log;
	struct it_proc p;
	json_object *last;
	double pfaults, truth, pages;

	if (!it_tmpdir(dir, sizeof(dir)))
		SKIP("no temporary directory");
	snprintf(log_path, sizeof(log_path), "%s/log", dir);
	snprintf(rep_path, sizeof(rep_path), "%s/rusage", dir);
	if (!run_traced(args, log_path, 0, &log, &p))
		goto out;
	REQUIRE_GOTO(read_report(rep_path, &r), out, "the workload wrote no rusage report");
	last = log.obj[log.n - 1];
	CHECK(log.mark[log.n - 1] == IT_MARK_STOP, "the last line is not a STOP line");
	pfaults = it_get_num(last, "memory_info.pfaults");
	truth = (double)(r.minflt + r.majflt);
	pages = (double)r.extra;
	printf("  pfaults: procmon %.0f, getrusage minflt+majflt %.0f (%+.3f%%), pages touched %.0f\n",
	       pfaults, truth, (pfaults - truth) / truth * 100, pages);
	CHECK_NEAR(pfaults, truth, truth * 0.01, "memory_info.pfaults vs the workload's minflt+majflt");
	CHECK(pfaults >= pages, "pfaults %.0f < %.0f pages touched", pfaults, pages);
	CHECK(it_get_num(last, "memory_info.pageins") <= (double)r.majflt + 1,
	      "pageins %.0f > majflt %ld: anonymous memory needs no I/O",
	      it_get_num(last, "memory_info.pageins"), r.majflt);
	/* Cumulative: never goes back from one line to the next. */
	for (int i = 1; i < log.n; i++)
		CHECK(it_get_num(log.obj[i], "memory_info.pfaults") >=
		      it_get_num(log.obj[i - 1], "memory_info.pfaults"),
		      "pfaults went back at line %d: %.0f -> %.0f", i + 1,
		      it_get_num(log.obj[i - 1], "memory_info.pfaults"),
		      it_get_num(log.obj[i], "memory_info.pfaults"));
out:
	it_log_free(&log);
	it_proc_free(&p);
	it_rmdir(dir);
}

/* One run of `spin SECONDS THREADS`: on-CPU time against utime+stime. */
static void check_oncpu(const char *seconds, const char *threads)
{
	char dir[64], log_path[128], rep_path[128];
	const char *args[] = { "-q", "-i", "0.1", "-o", log_path, "--",
			       it_workload("spin"), seconds, threads, rep_path, NULL };
	struct rusage_report r;
	struct it_log log;
	struct it_proc p;
	json_object *last;
	double oncpu_s, truth_s, ticks_s;

	if (!it_tmpdir(dir, sizeof(dir)))
		SKIP("no temporary directory");
	snprintf(log_path, sizeof(log_path), "%s/log", dir);
	snprintf(rep_path, sizeof(rep_path), "%s/rusage", dir);
	if (!run_traced(args, log_path, 0, &log, &p))
		goto out;
	REQUIRE_GOTO(read_report(rep_path, &r), out, "the workload wrote no rusage report");
	last = log.obj[log.n - 1];
	oncpu_s = it_get_num(last, "sched.oncpu_ns") / 1e9;
	truth_s = (double)(r.utime_us + r.stime_us) / 1e6;
	ticks_s = it_get_num(last, "cpu_times.user") + it_get_num(last, "cpu_times.system");
	printf("  %s thread(s) x %s s: oncpu %.4f s, getrusage utime+stime %.4f s (%+.2f%%), "
	       "cpu_times user+system %.2f s\n", threads, seconds, oncpu_s, truth_s,
	       (oncpu_s - truth_s) / truth_s * 100, ticks_s);
	CHECK_NEAR(oncpu_s, truth_s, fmax(truth_s * 0.02, 0.020),
		   "sched.oncpu_ns (s) vs the workload's utime+stime");
	/* The ticks of /proc/PID/stat, rounded to 10 ms twice. */
	CHECK_NEAR(ticks_s, truth_s, 0.03, "cpu_times.user+system vs utime+stime");
	CHECK(it_get_int(last, "num_threads", -1) >= 0, "num_threads missing on the last line");
	for (int i = 1; i < log.n; i++)
		CHECK(it_get_num(log.obj[i], "sched.oncpu_ns") >=
		      it_get_num(log.obj[i - 1], "sched.oncpu_ns"),
		      "oncpu_ns went back at line %d", i + 1);
out:
	it_log_free(&log);
	it_proc_free(&p);
	it_rmdir(dir);
}

static void test_oncpu_matches_rusage(void)
{
	check_oncpu("0.6", "1");
}

/* Threads are harvested one by one: their sum must still be the process's. */
static void test_oncpu_sums_threads(void)
{
	check_oncpu("0.4", "2");
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median10(const double *v)
{
	double sorted[10];

	memcpy(sorted, v, sizeof(sorted));
	qsort(sorted, 10, sizeof(*sorted), cmp_double);
	return (sorted[4] + sorted[5]) / 2;
}

static void test_interval_has_no_drift(void)
{
	char dir[64], log_path[128];
	const char *args[] = { "-q", "-i", "0.01", "-o", log_path, "--",
			       it_workload("exit_with"), "sleep", "1.3", NULL };
	const double interval = 0.01, tol = 0.010;	/* one wake-up late by up to an interval is jitter; drift is checked below */
	double first = NAN, last = NAN, worst = 0, e, dev, devs[1024], drift = NAN;
	int k = 0, worst_k = 0, missed = 0;
	struct it_log log;
	struct it_proc p;

	if (!it_tmpdir(dir, sizeof(dir)))
		SKIP("no temporary directory");
	snprintf(log_path, sizeof(log_path), "%s/log", dir);
	if (!run_traced(args, log_path, 0, &log, &p))
		goto out;
	for (int i = 0; i < log.n; i++) {
		if (log.mark[i] != IT_MARK_PLAIN)
			continue;	/* START and STOP are not on the schedule */
		e = it_get_num(log.obj[i], "elapsed_time");
		if (isnan(first))
			first = e;
		last = e;
		dev = (e - first) - k * interval;
		if (fabs(dev) > fabs(worst)) {
			worst = dev;
			worst_k = k;
		}
		if (k < 1024)
			devs[k] = dev;
		k++;
	}
	/* Drift, apart from wake-up jitter: the median deviation of the last ten
	 * samples against that of the first ten. */
	if (k >= 20 && k <= 1024)
		drift = median10(devs + k - 10) - median10(devs);
	/* Ticks with no line: the k-th line then sits a whole interval late. */
	missed = k ? (int)lround((last - first) / interval) + 1 - k : 0;
	printf("  -i 0.01: %d periodic lines, worst deviation %+.2f ms at k=%d, drift over the run "
	       "%+.3f ms, ticks without a line %d\n", k, worst * 1e3, worst_k, drift * 1e3, missed);
	CHECK(fabs(drift) <= 0.001, "drift (median of the last 10 deviations - of the first 10): "
	      "expected within ±1 ms, got %+.3f ms", drift * 1e3);
	CHECK(k >= 100, "expected >= 100 periodic lines in 1.3 s at -i 0.01, got %d", k);
	CHECK(fabs(worst) <= tol, "elapsed_time(k) - elapsed_time(0) - k*0.01: worst %+.2f ms at "
	      "k=%d, expected within ±%.0f ms", worst * 1e3, worst_k, tol * 1e3);
out:
	it_log_free(&log);
	it_proc_free(&p);
	it_rmdir(dir);
}

/* `exit_with how n` under procmon: its exit status, and what the STOP line says. */
static void check_exit(const char *how, const char *n, int want_code, const char *key,
		       int want_value)
{
	char dir[64], log_path[128];
	const char *args[] = { "-q", "-i", "1", "-o", log_path, "--", it_workload("exit_with"),
			       how, n, NULL };
	struct it_log log;
	struct it_proc p;
	json_object *last;

	if (!it_tmpdir(dir, sizeof(dir)))
		SKIP("no temporary directory");
	snprintf(log_path, sizeof(log_path), "%s/log", dir);
	if (!run_traced(args, log_path, want_code, &log, &p))
		goto out;
	last = log.obj[log.n - 1];
	CHECK(log.mark[log.n - 1] == IT_MARK_STOP, "%s %s: the last line is not a STOP line", how, n);
	CHECK_STR(it_get_str(last, "event"), "exit");
	CHECK(it_get_int(last, key, -1) == want_value, "%s %s: STOP line %s: expected %d, got %lld",
	      how, n, key, want_value, it_get_int(last, key, -1));
out:
	it_log_free(&log);
	it_proc_free(&p);
	it_rmdir(dir);
}

static void test_exit_status_passes_through(void)
{
	check_exit("code", "0", 0, "exit_code", 0);
	check_exit("code", "3", 3, "exit_code", 3);
	check_exit("signal", "9", 137, "signal", 9);
	check_exit("signal", "11", 139, "signal", 11);
}

/* procmon -- @cmd: exit status @want and exactly one `procmon: ` line on stderr. */
static void check_cannot_run(const char *cmd, int want)
{
	const char *argv[] = { it_procmon(), "-q", "--", cmd, "arg", NULL };
	struct it_proc p;
	char line[200];
	int code;

	it_run(&p, argv, NULL, TIMEOUT_S);
	code = it_exit_code(p.status);
	CHECK(code == want, "procmon -- %s: expected exit %d, got %d", cmd, want, code);
	CHECK(!strncmp(p.err, "procmon: ", 9) && it_count_lines(p.err) == 1,
	      "procmon -- %s: expected one 'procmon: ' line on stderr, got %d lines: %s", cmd,
	      it_count_lines(p.err), it_first_line(p.err, line, sizeof(line)));
	printf("  %s -> %d: %s\n", cmd, code, it_first_line(p.err, line, sizeof(line)));
	it_proc_free(&p);
}

static void test_command_not_found_is_127(void)
{
	check_cannot_run("procmon-no-such-command", 127);
	check_cannot_run("/nonexistent/procmon-no-such-command", 127);
}

static void test_not_executable_is_126(void)
{
	char dir[64], file[128];
	int fd;

	if (!it_tmpdir(dir, sizeof(dir)))
		SKIP("no temporary directory");
	snprintf(file, sizeof(file), "%s/not-executable", dir);
	fd = open(file, O_WRONLY | O_CREAT | O_EXCL, 0644);
	CHECK(fd >= 0 && write(fd, "#!/bin/sh\nexit 0\n", 17) == 17, "cannot write %s", file);
	if (fd >= 0)
		close(fd);
	check_cannot_run(file, 126);
	check_cannot_run(dir, 126);	/* a directory */
	it_rmdir(dir);
}

static bool alive(pid_t pid)
{
	int status;

	return waitpid(pid, &status, WNOHANG) == 0;
}

static void test_attach_with_pid(void)
{
	const char *sleeper3[] = { it_workload("exit_with"), "sleep", "3", NULL };
	const char *sleeper05[] = { it_workload("exit_with"), "sleep", "0.6", NULL };
	char dir[64], log_path[128], pid_arg[16];
	char pid_twice[40];
	const char *args[] = { "-q", "-i", "0.1", "-d", "0.5", "-o", log_path, "-p", pid_arg,
			       "-p", pid_twice, NULL };
	const char *args_exit[] = { "-q", "-i", "0.1", "-o", log_path, "-p", pid_arg, NULL };
	struct it_proc target, p;
	struct it_log log;
	int mine = 0;

	if (!it_tmpdir(dir, sizeof(dir)))
		SKIP("no temporary directory");
	snprintf(log_path, sizeof(log_path), "%s/log", dir);

	/* -d 0.5: about 5 samples of a process that lives on, and procmon leaves it be. */
	REQUIRE_GOTO(it_start(&target, sleeper3, NULL) == 0, out, "cannot start %s", sleeper3[0]);
	usleep(100000);
	snprintf(pid_arg, sizeof(pid_arg), "%d", (int)target.pid);
	/* Named twice: still one target, each line once. */
	snprintf(pid_twice, sizeof(pid_twice), "%d,%d", (int)target.pid, (int)target.pid);
	if (run_traced(args, log_path, 0, &log, &p)) {
		for (int i = 0; i < log.n; i++)
			mine += it_get_int(log.obj[i], "pid", -1) == target.pid;
		printf("  -p %d -d 0.5 -i 0.1: %d lines in %.2f s\n", (int)target.pid, log.n, p.secs);
		CHECK(mine == log.n, "%d of %d lines are of pid %d", mine, log.n, (int)target.pid);
		CHECK(log.n >= 5 && log.n <= 8, "expected 5..8 lines (START, ~4 samples, STOP), got %d",
		      log.n);
		CHECK(log.mark[0] == IT_MARK_START && log.mark[log.n - 1] == IT_MARK_STOP &&
		      it_log_count_mark(&log, IT_MARK_START) == 1 &&
		      it_log_count_mark(&log, IT_MARK_STOP) == 1,
		      "expected one START first and one STOP last, got %d START, %d STOP",
		      it_log_count_mark(&log, IT_MARK_START), it_log_count_mark(&log, IT_MARK_STOP));
		for (int i = 1; i < log.n; i++)
			CHECK(it_get_num(log.obj[i], "elapsed_time") > it_get_num(log.obj[i - 1], "elapsed_time"),
			      "line %d: elapsed_time %.6f not after %.6f", i + 1,
			      it_get_num(log.obj[i], "elapsed_time"), it_get_num(log.obj[i - 1], "elapsed_time"));
		CHECK(p.secs < 2.0, "-d 0.5 took %.2f s", p.secs);
		CHECK(alive(target.pid), "the attached process did not survive procmon");
		/* elapsed_time counts from the process's creation, ~0.1 s before procmon. */
		CHECK(it_get_num(log.obj[0], "elapsed_time") >= 0.05,
		      "START elapsed_time %.3f s: expected >= 0.05 (the target started 0.1 s earlier)",
		      it_get_num(log.obj[0], "elapsed_time"));
	}
	it_log_free(&log);
	it_proc_free(&p);
	kill(target.pid, SIGKILL);
	it_finish(&target, 5);
	it_proc_free(&target);

	/* A target that exits on its own: a STOP line, and procmon ends with it. */
	REQUIRE_GOTO(it_start(&target, sleeper05, NULL) == 0, out, "cannot start %s", sleeper05[0]);
	usleep(100000);
	snprintf(pid_arg, sizeof(pid_arg), "%d", (int)target.pid);
	if (run_traced(args_exit, log_path, 0, &log, &p)) {
		json_object *last = log.obj[log.n - 1];

		printf("  -p %d (exits after 0.6 s): %d lines, procmon ran %.2f s\n",
		       (int)target.pid, log.n, p.secs);
		CHECK(log.mark[log.n - 1] == IT_MARK_STOP, "the last line is not a STOP line");
		CHECK(it_get_int(last, "pid", -1) == target.pid, "STOP line of pid %lld, expected %d",
		      it_get_int(last, "pid", -1), (int)target.pid);
		CHECK(p.secs < 1.5, "procmon ran %.2f s after a target that lived 0.5 s more", p.secs);
		CHECK(it_get_str(last, "event") && !strcmp(it_get_str(last, "event"), "exit") &&
		      it_get_int(last, "exit_code", -1) == 0,
		      "STOP line: expected \"event\": \"exit\", \"exit_code\": 0, got %s",
		      json_object_to_json_string(last));
	}
	it_log_free(&log);
	it_proc_free(&p);
	it_finish(&target, 5);
	CHECK(it_exit_code(target.status) == 0, "the attached process exited %d",
	      it_exit_code(target.status));
	it_proc_free(&target);
out:
	it_rmdir(dir);
}

/* -d ends the tracing, not the command: procmon waits for it and passes its status on. */
static void test_duration_stops_tracing_not_the_command(void)
{
	char dir[64], log_path[128];
	const char *args[] = { "-q", "-i", "0.05", "-d", "0.2", "-o", log_path, "--", "sh", "-c",
			       "sleep 0.6; exit 4", NULL };
	struct it_log log;
	struct it_proc p;
	json_object *last;

	if (!it_tmpdir(dir, sizeof(dir)))
		SKIP("no temporary directory");
	snprintf(log_path, sizeof(log_path), "%s/log", dir);
	if (run_traced(args, log_path, 4, &log, &p)) {
		last = log.obj[log.n - 1];
		printf("  -d 0.2 on a 0.6 s command: %d lines, last elapsed_time %.3f s, procmon ran %.2f s\n",
		       log.n, it_get_num(last, "elapsed_time"), p.secs);
		CHECK(p.secs >= 0.55, "procmon returned after %.2f s, before its command ended", p.secs);
		CHECK(log.mark[log.n - 1] == IT_MARK_STOP, "the last line is not a STOP line");
		CHECK_NEAR(it_get_num(last, "elapsed_time"), 0.2, 0.05, "STOP line elapsed_time");
		CHECK(!it_get(last, "event"), "STOP line at -d says \"event\" though the command runs on");
	}
	it_log_free(&log);
	it_proc_free(&p);
	it_rmdir(dir);
}

/* --------------------------------------------------------- BPF leftovers */

#define MAX_IDS IT_MAX_IDS

static const char *const our_programs[] = { "on_switch", "snapshot", "on_fork", "on_exec",
					    "on_exit", "on_rss_stat" };

static void check_signal_cleanup(int sig)
{
	char dir[64], log_path[128];
	const char *argv[] = { it_procmon(), "-q", "-i", "0.05", "-o", log_path, "--",
			       it_workload("exit_with"), "sleep", "10", NULL };
	const char *names[MAX_IDS];
	json_object *progs, *links;
	struct it_bpf_ids ids;
	struct it_proc p;
	struct it_log log;
	int n_names = 0, progs_left = -1, links_left = -1, code;
	char line[200];

	if (!it_tmpdir(dir, sizeof(dir)))
		SKIP("no temporary directory");
	snprintf(log_path, sizeof(log_path), "%s/log", dir);
	/* Not started, p.pid would be 0: kill(0, sig) below would hit our own group. */
	REQUIRE_GOTO(it_start(&p, argv, NULL) == 0, out, "cannot start procmon");
	/* Until it samples: the BPF programs are attached by then. */
	it_wait_lines(log_path, 3);
	it_bpf_ids_of(p.pid, &ids);
	progs = it_bpftool_list("prog");
	CHECK(progs, "bpftool prog list -j failed");
	CHECK(it_count_listed(progs, ids.progs, ids.n_progs, names, &n_names) == ids.n_progs,
	      "bpftool lists fewer programs than procmon holds");
	for (size_t i = 0; i < sizeof(our_programs) / sizeof(*our_programs); i++) {
		bool seen = false;

		for (int j = 0; j < n_names; j++)
			seen |= names[j] && !strcmp(names[j], our_programs[i]);
		CHECK(seen, "program %s not loaded by procmon mid-run", our_programs[i]);
	}
	json_object_put(progs);	/* the names point into it */
	CHECK(ids.n_links >= 6, "procmon holds %d BPF links mid-run, expected >= 6", ids.n_links);

	kill(p.pid, sig);
	it_finish(&p, 5);
	code = it_exit_code(p.status);
	printf("  %s: procmon held %d programs, %d links; exited %d after the signal\n",
	       strsignal(sig), ids.n_progs, ids.n_links, code);
	CHECK(!p.timed_out, "procmon did not exit within 5 s of %s", strsignal(sig));
	CHECK(code == 128 + sig, "exit status after %s: expected %d, got %d (stderr: %s)",
	      strsignal(sig), 128 + sig, code, it_first_line(p.err, line, sizeof(line)));
	CHECK(it_log_load(log_path, &log) == 0, "no log");
	CHECK(log.bad == 0, "%d unparseable lines, first: %s", log.bad, log.first_bad);
	CHECK(log.n >= 3 && log.mark[log.n - 1] == IT_MARK_STOP,
	      "expected a STOP line last, got %d lines, last mark %d", log.n,
	      log.n ? (int)log.mark[log.n - 1] : -1);
	it_log_free(&log);

	/* Freed programs can linger an RCU grace period: give them a second. */
	for (int i = 0; i < 20; i++) {
		progs = it_bpftool_list("prog");
		links = it_bpftool_list("link");
		progs_left = it_count_listed(progs, ids.progs, ids.n_progs, NULL, NULL);
		links_left = it_count_listed(links, ids.links, ids.n_links, NULL, NULL);
		json_object_put(progs);
		json_object_put(links);
		if (!progs_left && !links_left)
			break;
		usleep(50000);
	}
	CHECK(progs_left == 0, "%d of procmon's %d BPF programs remain after %s", progs_left,
	      ids.n_progs, strsignal(sig));
	CHECK(links_left == 0, "%d of procmon's %d BPF links remain after %s", links_left,
	      ids.n_links, strsignal(sig));
out:
	it_proc_free(&p);
	it_rmdir(dir);
}

static void test_sigint_and_sigterm_leave_no_link(void)
{
	check_signal_cleanup(SIGINT);
	check_signal_cleanup(SIGTERM);
}

/* procmon with SUDO_UID/SUDO_GID of nobody: run @cmd, return its stdout. */
static char *run_under_sudo_env(const char *log_path, const char *user, const char *cmd,
				const char *arg, const char *arg2)
{
	static const char *const sudo_env[] = { "SUDO_UID=65534", "SUDO_GID=65534",
						"SUDO_USER=nobody", NULL };
	const struct it_spawn how = { .env_set = sudo_env, .cwd = "/" };
	const char *argv[12] = { it_procmon(), "-q", "-o", log_path };
	struct it_proc p;
	char *out, line[200];
	int i = 4;

	if (user) {
		argv[i++] = "-u";
		argv[i++] = user;
	}
	argv[i++] = "--";
	argv[i++] = cmd;
	argv[i++] = arg;
	argv[i++] = arg2;
	argv[i] = NULL;
	it_run(&p, argv, &how, TIMEOUT_S);
	CHECK(it_exit_code(p.status) == 0, "procmon %s%s -- %s: exit %d, stderr: %s",
	      user ? "-u " : "", user ? user : "", cmd, it_exit_code(p.status),
	      it_first_line(p.err, line, sizeof(line)));
	out = p.out;
	p.out = NULL;
	it_proc_free(&p);
	return out;
}

static void test_sudo_uid_runs_command_as_user(void)
{
	char dir[64], log_path[128], want[512], *out;
	struct passwd *pw = getpwuid(65534);
	gid_t groups[64];
	int n = 64, len = 0;
	struct stat st;

	if (!pw)
		SKIP("no passwd entry for uid 65534");
	if (!it_tmpdir(dir, sizeof(dir)))
		SKIP("no temporary directory");
	/* The log is created as the sudo user: in a directory of theirs. */
	REQUIRE_GOTO(chown(dir, 65534, 65534) == 0, done, "chown %s: %s", dir, strerror(errno));
	snprintf(log_path, sizeof(log_path), "%s/sudo.log", dir);

	out = run_under_sudo_env(log_path, NULL, "id", "-u", NULL);
	CHECK_STR(out, "65534\n");
	free(out);

	/* nobody's groups, as initgroups would make them (sorted as id prints them). */
	REQUIRE_GOTO(getgrouplist(pw->pw_name, pw->pw_gid, groups, &n) >= 0, done,
		     "nobody is in more than 64 groups (%d)", n);
	for (int i = 0; i < n; i++)
		len += snprintf(want + len, sizeof(want) - (size_t)len, "%s%d", i ? " " : "",
				(int)groups[i]);
	snprintf(want + len, sizeof(want) - (size_t)len, "\n");
	out = run_under_sudo_env(log_path, NULL, "id", "-G", NULL);
	CHECK_STR(out, want);
	free(out);

	snprintf(want, sizeof(want), "%s\n%s\n", pw->pw_dir, pw->pw_name);
	out = run_under_sudo_env(log_path, NULL, "printenv", "HOME", "USER");
	CHECK_STR(out, want);
	free(out);

	/* The fresh log file belongs to the sudo user. (-u root under sudo is
	 * refused: it_privilege.) */
	unlink(log_path);
	out = run_under_sudo_env(log_path, NULL, "true", NULL, NULL);
	free(out);
	REQUIRE_GOTO(lstat(log_path, &st) == 0, done, "no log file %s", log_path);
	CHECK(st.st_uid == 65534 && st.st_gid == 65534,
	      "log file owner: expected 65534:65534, got %d:%d", (int)st.st_uid, (int)st.st_gid);
done:
	it_rmdir(dir);
}

/* TotalDepth's reader: `^.+?ProcessLoggingThread-JSON(-START|-STOP)?\s*(.+)$`. POSIX
 * ERE has no lazy `.+?`; with one marker per line the greedy `(.+)` before it
 * matches the same prefix, so this is the same language. */
#define TD_RE "^(.+)ProcessLoggingThread-JSON(-START|-STOP)?[[:space:]]*(.+)$"
/* And the prefix procmon writes, field by field (Python logging's layout). */
#define TD_PREFIX_RE "^([0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}),([0-9]{3}) - procmon - " \
	"( {0,4}[0-9]{1,}) - \\(ProcMon   \\) - INFO     - ProcessLoggingThread-JSON"

static void check_totaldepth_lines(const char *text, pid_t procmon_pid)
{
	regex_t re, prefix;
	regmatch_t m[4];
	const char *line = text;
	int n = 0, bad = 0, bad_prefix = 0, ts_mismatch = 0;
	char buf[4096], first_bad[200] = "";

	REQUIRE(regcomp(&re, TD_RE, REG_EXTENDED) == 0, "regcomp TD_RE");
	REQUIRE(regcomp(&prefix, TD_PREFIX_RE, REG_EXTENDED) == 0, "regcomp TD_PREFIX_RE");
	while (*line) {
		size_t len = strcspn(line, "\n");
		json_object *o;

		snprintf(buf, sizeof(buf), "%.*s", (int)len, line);
		line += len + (line[len] == '\n');
		n++;
		if (regexec(&re, buf, 4, m, 0)) {
			if (!bad++)
				snprintf(first_bad, sizeof(first_bad), "%.150s", buf);
			continue;
		}
		o = json_tokener_parse(buf + m[3].rm_so);
		if (!o && !bad++)
			snprintf(first_bad, sizeof(first_bad), "%.150s", buf);
		if (regexec(&prefix, buf, 4, m, 0)) {
			if (!bad_prefix++ && !bad)
				snprintf(first_bad, sizeof(first_bad), "%.150s", buf);
		} else {
			const char *ts = it_get_str(o, "timestamp");
			char want[32];

			/* The prefix's date and milliseconds are the JSON timestamp's. */
			snprintf(want, sizeof(want), "%.*s.%.*s", (int)(m[1].rm_eo - m[1].rm_so),
				 buf + m[1].rm_so, 3, buf + m[2].rm_so);
			if (!ts || strncmp(ts, want, strlen(want)))
				ts_mismatch++;
			if (atoi(buf + m[3].rm_so) != procmon_pid || m[3].rm_eo - m[3].rm_so < 5)
				bad_prefix++;
		}
		json_object_put(o);
	}
	CHECK(n >= 3, "expected >= 3 lines, got %d", n);
	CHECK(bad == 0, "%d of %d lines do not match %s or hold no JSON, first: %s", bad, n, TD_RE,
	      first_bad);
	CHECK(bad_prefix == 0, "%d of %d lines have not the prefix layout (pid %d), first: %s",
	      bad_prefix, n, (int)procmon_pid, first_bad);
	CHECK(ts_mismatch == 0, "%d lines: prefix time differs from the JSON timestamp", ts_mismatch);
	regfree(&re);
	regfree(&prefix);
}

static void test_jsonl_and_totaldepth_formats(void)
{
	char dir[64], td_path[128], jl_path[128];
	const char *td[] = { it_procmon(), "-q", "-i", "0.05", "-o", td_path, "--",
			     it_workload("exit_with"), "sleep", "0.3", NULL };
	const char *jl[] = { it_procmon(), "-q", "-i", "0.05", "--format", "jsonl", "-o", jl_path,
			     "--", it_workload("exit_with"), "sleep", "0.3", NULL };
	const char *keys[] = { "timestamp", "elapsed_time", "pid", "ppid", "memory_info.rss",
			       "memory_info.vms", "memory_info.pfaults", "memory_info.pageins",
			       "memory_info.rss_peak", "cpu_times.user", "cpu_times.system",
			       "cpu_times.children_user", "cpu_times.children_system",
			       "sched.oncpu_ns", "sched.runq_wait_ns", "sched.voluntary",
			       "sched.involuntary", "num_threads" };
	struct it_proc p;
	struct it_log log = { 0 };
	char *text;

	if (!it_tmpdir(dir, sizeof(dir)))
		SKIP("no temporary directory");
	snprintf(td_path, sizeof(td_path), "%s/td.log", dir);
	snprintf(jl_path, sizeof(jl_path), "%s/jl.log", dir);

	it_run(&p, td, NULL, TIMEOUT_S);
	CHECK(it_exit_code(p.status) == 0, "totaldepth run exited %d", it_exit_code(p.status));
	text = it_read_file(td_path);
	if (text)
		check_totaldepth_lines(text, p.pid);
	CHECK(text && it_log_parse(text, &log) == 0 && log.bad == 0 && log.n >= 3,
	      "totaldepth log: %d lines, %d bad", log.n, log.bad);
	CHECK(log.n && log.mark[0] == IT_MARK_START && log.mark[log.n - 1] == IT_MARK_STOP &&
	      it_log_count_mark(&log, IT_MARK_START) == 1 && it_log_count_mark(&log, IT_MARK_STOP) == 1,
	      "expected one START first and one STOP last");
	CHECK(log.n && it_get_str(log.obj[0], "cmdline"), "the START line has no cmdline");
	for (int i = 0; i < log.n; i++)
		for (size_t k = 0; k < sizeof(keys) / sizeof(*keys); k++)
			CHECK(it_get(log.obj[i], keys[k]), "line %d has no %s", i + 1, keys[k]);
	free(text);
	it_log_free(&log);
	it_proc_free(&p);

	it_run(&p, jl, NULL, TIMEOUT_S);
	CHECK(it_exit_code(p.status) == 0, "jsonl run exited %d", it_exit_code(p.status));
	text = it_read_file(jl_path);
	CHECK(text && it_log_parse(text, &log) == 0 && log.bad == 0 && log.n >= 3,
	      "jsonl log: %d lines, %d bad: %s", log.n, log.bad, log.first_bad);
	CHECK(it_log_count_mark(&log, IT_MARK_NONE) == log.n, "jsonl lines with a marker");
	CHECK(text && !strstr(text, "ProcessLoggingThread"), "jsonl log holds TotalDepth markers");
	CHECK(log.n && it_get_str(log.obj[0], "cmdline"), "the first jsonl line has no cmdline");
	CHECK(log.n && it_get_str(log.obj[log.n - 1], "event") &&
	      !strcmp(it_get_str(log.obj[log.n - 1], "event"), "exit"),
	      "the last jsonl line has no \"event\": \"exit\"");
	for (int i = 0; i < log.n; i++)
		for (size_t k = 0; k < sizeof(keys) / sizeof(*keys); k++)
			CHECK(it_get(log.obj[i], keys[k]), "line %d has no %s", i + 1, keys[k]);
	free(text);
	it_log_free(&log);
	it_proc_free(&p);
	it_rmdir(dir);
}

/* A fresh boot may have no tracefs mounted: procmon mounts it (in a private mount
 * namespace here, so the machine's stays as it is) and traces as usual. */
static void test_tracefs_is_mounted_when_missing(void)
{
	char script[PATH_MAX + 256], line[200];
	const char *argv[] = { "unshare", "-m", "sh", "-c", script, NULL };
	struct it_proc p;

	if (access("/usr/bin/unshare", X_OK))
		SKIP("no unshare (util-linux)");
	snprintf(script, sizeof(script),
		 "umount /sys/kernel/debug/tracing 2>/dev/null; umount /sys/kernel/tracing || exit 99; "
		 "test -e /sys/kernel/tracing/events && exit 98; "
		 "'%s' -q -i 0.05 -o /dev/null -- true || exit $?; "
		 "test -e /sys/kernel/tracing/events/syscalls", it_procmon());
	it_run(&p, argv, NULL, 30);
	if (it_exit_code(p.status) == 99 || it_exit_code(p.status) == 98) {
		it_proc_free(&p);
		SKIP("cannot unmount tracefs in a private mount namespace here");
	}
	CHECK(it_exit_code(p.status) == 0, "procmon without tracefs: exit %d: %s",
	      it_exit_code(p.status), it_first_line(p.err, line, sizeof(line)));
	it_proc_free(&p);
}

int main(void)
{
	if (geteuid() != 0)
		check_skip_all("needs root to load BPF programs");
	RUN(test_pfaults_match_getrusage);
	RUN(test_oncpu_matches_rusage);
	RUN(test_oncpu_sums_threads);
	RUN(test_interval_has_no_drift);
	RUN(test_exit_status_passes_through);
	RUN(test_command_not_found_is_127);
	RUN(test_not_executable_is_126);
	RUN(test_attach_with_pid);
	RUN(test_duration_stops_tracing_not_the_command);
	RUN(test_sigint_and_sigterm_leave_no_link);
	RUN(test_sudo_uid_runs_command_as_user);
	RUN(test_jsonl_and_totaldepth_formats);
	RUN(test_tracefs_is_mounted_when_missing);
	return check_summary();
}
