// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Integration tests of --cgroup with --prometheus: a fresh cgroup v2 directory,
 * workloads moved into it and forked inside, a real Prometheus scraping procmon,
 * numbers against the workloads' own getrusage, churn, and sudo's rules. */
#include <mntent.h>
#include <sys/statfs.h>
#include <linux/magic.h>

#include "metrics.h"
#include "promtest.h"

#define CG_ROOT "/sys/fs/cgroup/unified"
#define TIMEOUT_S 60.0
#define HOLD_S 2.0

/* ------------------------------------------------------------ cgroups */

struct cg {
	char path[PATH_MAX];		/* CG_ROOT/procmon-it-PID-NAME */
	char rel[256];			/* /procmon-it-PID-NAME: as procmon labels it */
};

static bool cg_make(struct cg *c, const char *name)
{
	snprintf(c->rel, sizeof(c->rel), "/procmon-it-%d-%s", (int)getpid(), name);
	snprintf(c->path, sizeof(c->path), "%s%s", CG_ROOT, c->rel);
	if (mkdir(c->path, 0755) && errno != EEXIST) {
		CHECK(0, "mkdir %s: %s", c->path, strerror(errno));
		return false;
	}
	return true;
}

static void cg_move(const char *dir, pid_t pid)
{
	char path[PATH_MAX + 16];
	FILE *f;

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	f = fopen(path, "we");
	CHECK(f && fprintf(f, "%d\n", (int)pid) > 0 && fclose(f) == 0, "cannot move %d into %s: %s",
	      (int)pid, dir, strerror(errno));
}

/* Kill what is left in @dir (and a sub-cgroup @sub), then remove both. */
static void cg_remove(const struct cg *c, const char *sub)
{
	char path[PATH_MAX + 32];
	const char *dirs[] = { sub, c->path };

	for (int i = 0; i < 2; i++) {
		char *text;

		if (!dirs[i])
			continue;
		snprintf(path, sizeof(path), "%s/cgroup.kill", dirs[i]);
		text = it_read_file(path);
		free(text);
		{
			FILE *f = fopen(path, "we");

			if (f) {
				fputs("1\n", f);
				fclose(f);
			}
		}
		for (int tries = 0; tries < 100 && rmdir(dirs[i]) && errno == EBUSY; tries++)
			usleep(20000);
	}
}

/* Fork a child that waits until it is in @dir, then execs @argv (stdout and
 * stderr to /dev/null) as @uid (if not root): its whole life is in the cgroup
 * but a few stack pages. */
static pid_t spawn_in_cgroup_as(const char *dir, const char *const *argv, uid_t uid)
{
	int go[2];
	pid_t pid;
	char c;

	if (pipe2(go, O_CLOEXEC))
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(124);
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		if (uid && (setgroups(1, &(gid_t){ uid }) || setresgid(uid, uid, uid) ||
			    setresuid(uid, uid, uid)))
			_exit(124);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(go[0]);
	if (pid > 0)
		cg_move(dir, pid);
	if (write(go[1], "g", 1) != 1)
		CHECK(0, "cannot release the child");
	close(go[1]);
	return pid;
}

static pid_t spawn_in_cgroup(const char *dir, const char *const *argv)
{
	return spawn_in_cgroup_as(dir, argv, 0);
}

static int wait_exit(pid_t pid, double timeout_s)
{
	double deadline = it_now_s() + timeout_s;
	int status;

	while (it_now_s() < deadline) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			return it_exit_code(status);
		usleep(10000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	CHECK(0, "PID %d still ran after %.0f s", (int)pid, timeout_s);
	return -1;
}

/* What procmon has written on stderr so far (pread: its offset is procmon's). */
static char *stderr_so_far(const struct it_proc *p)
{
	static char buf[65536];
	ssize_t n = pread(p->err_fd, buf, sizeof(buf) - 1, 0);

	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static bool wait_stderr(const struct it_proc *p, const char *what, double timeout_s)
{
	double deadline = it_now_s() + timeout_s;

	while (it_now_s() < deadline) {
		if (strstr(stderr_so_far(p), what))
			return true;
		usleep(20000);
	}
	CHECK(0, "procmon never said \"%s\"; stderr: %s", what, stderr_so_far(p));
	return false;
}

static int count_of(const char *text, const char *what)
{
	int n = 0;

	for (const char *at = text; (at = strstr(at, what)); at += strlen(what))
		n++;
	return n;
}

/* Ground truth a workload wrote: `minflt majflt utime_us stime_us N`. */
static bool read_truth(const char *path, double *faults, double *cpu_s)
{
	long long minflt, majflt, utime, stime;
	char *text = it_read_file(path);
	bool ok = text && sscanf(text, "%lld %lld %lld %lld", &minflt, &majflt, &utime, &stime) == 4;

	CHECK(ok, "cannot read the workload's getrusage in %s", path);
	if (ok) {
		*faults = (double)(minflt + majflt);
		*cpu_s = (double)(utime + stime) / 1e6;
	}
	free(text);
	return ok;
}

/* Distinct pid="..." among the procmon_page_faults_total series of one scrape;
 * -1 when the scrape failed. */
static int series_pids(unsigned int port)
{
	struct reply r;
	int n = 0;

	if (http(port, "GET", "/metrics", NULL, &r, 5) || r.status != 200) {
		free(r.body);
		return -1;
	}
	for (char *line = r.body; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
		n += !strncmp(line, "procmon_page_faults_total{pid=", 30);
	free(r.body);
	return n;
}

/* The value of the unlabelled (or first) sample of @name in one scrape, NAN if none. */
static double scraped(unsigned int port, const char *name)
{
	struct reply r;
	double v = NAN;
	size_t len = strlen(name);

	if (http(port, "GET", "/metrics", NULL, &r, 5) == 0 && r.status == 200)
		for (char *line = r.body; line && *line;
		     line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
			if (!strncmp(line, name, len) && (line[len] == ' ' || line[len] == '{')) {
				v = strtod(strchr(line, ' ') + 1, NULL);
				break;
			}
	free(r.body);
	return v;
}

#define EMPTY_SAID "has no processes yet"

/* procmon @args started with its stderr captured; its /metrics port up (if
 * @port), and tracing: it has said @ready on stderr (if not NULL). */
static bool start_procmon(struct it_proc *p, const char *const *args, unsigned int port,
			  const char *ready)
{
	double deadline = it_now_s() + 10;

	if (!it_start_traced(p, args, NULL) || (ready && !wait_stderr(p, ready, 10)))
		return false;
	while (port && it_now_s() < deadline) {
		struct reply r;

		if (http(port, "GET", "/metrics", NULL, &r, 1) == 0 && r.status == 200) {
			free(r.body);
			return true;
		}
		free(r.body);
		usleep(20000);
	}
	CHECK(!port, "procmon never served /metrics on port %u; stderr: %s", port, stderr_so_far(p));
	return !port;
}

static void stop_procmon(struct it_proc *p)
{
	if (p->pid > 0)
		kill(p->pid, SIGINT);
	it_finish(p, 15);
}

/* ------------------------------------------------------------ tests */

static void expect_one_line(const char *const *args, const char *want)
{
	struct it_proc p;
	const char *argv[16];
	char line[400];

	it_run(&p, it_procmon_argv(argv, 16, args), NULL, 10);
	CHECK(it_exit_code(p.status) == 125, "%s: exit %d, want 125", args[1], it_exit_code(p.status));
	CHECK(it_count_lines(p.err) == 1 && strstr(p.err, want),
	      "%s: want one line with \"%s\", got: %s", args[1], want, it_first_line(p.err, line, sizeof(line)));
	it_proc_free(&p);
}

static void test_wrong_directories_get_one_line_and_125(void)
{
	struct mntent *e;
	FILE *mounts = setmntent("/proc/self/mounts", "re");
	char v1[PATH_MAX] = "";

	while (mounts && (e = getmntent(mounts)))
		if (!strcmp(e->mnt_type, "cgroup") && !v1[0])
			snprintf(v1, sizeof(v1), "%s", e->mnt_dir);
	if (mounts)
		endmntent(mounts);
	/* Hybrid hosts have v1 hierarchies; a pure v2 host has none to give. */
	if (v1[0])
		expect_one_line((const char *[]){ "--cgroup", v1, "-d", "1", NULL },
				"is a cgroup v1 directory");
	expect_one_line((const char *[]){ "--cgroup", CG_ROOT "/procmon-it-missing", "-d", "1", NULL },
			"cannot trace cgroup '" CG_ROOT "/procmon-it-missing': No such file or directory");
	expect_one_line((const char *[]){ "--cgroup", "/tmp", "-d", "1", NULL },
			"cannot trace cgroup '/tmp': not a cgroup directory");
	expect_one_line((const char *[]){ "--cgroup", CG_ROOT "/cgroup.procs", "-d", "1", NULL },
			"Not a directory");
	if (access("/run/systemd/system", F_OK))
		expect_one_line((const char *[]){ "--unit", "nginx.service", "-d", "1", NULL },
				"cannot find the cgroup of unit 'nginx.service': systemd is not running");
	expect_one_line((const char *[]){ "--cgroup", CG_ROOT, "--unit", "x.service", NULL },
			"give only one of COMMAND, -p PID, --cgroup DIR and --unit NAME");
}

/* `procmon plot` draws the cgroup's @n processes as one tree chart. */
static void check_tree_chart(const char *dir, const char *log_path, const char *rel, int n)
{
	char out_dir[128], svg[192], want[PATH_MAX + 64], *text;
	const char *args[] = { it_procmon(), "plot", log_path, out_dir, NULL };
	struct it_proc p;

	snprintf(out_dir, sizeof(out_dir), "%s/plots", dir);
	snprintf(svg, sizeof(svg), "%s/log_tree.svg", out_dir);
	it_run(&p, args, NULL, 60);
	CHECK(it_exit_code(p.status) == 0, "procmon plot: exit %d: %s", it_exit_code(p.status), p.err);
	text = it_read_file(svg);
	snprintf(want, sizeof(want), "cgroup %s: %d processes", rel, n);
	CHECK(text && strstr(text, want), "%s: no \"%s\" in its title", svg, want);
	free(text);
	it_proc_free(&p);
}

/* Present at the start, moved in (into a sub-cgroup), forked inside, moved out. */
static void test_members_come_and_go_and_are_summed_by_cgroup(void)
{
	struct cg c;
	char sub[PATH_MAX + 8], log_path[128], dir[64] = "", want[PATH_MAX + 64];
	const char *sleeper[] = { "/bin/sleep", "30", NULL };
	const char *forker[] = { "/bin/sh", "-c", "sleep 0.3; /bin/true; sleep 30", NULL };
	const char *args[] = { "--cgroup", c.path, "-i", "0.2", "-o", log_path, NULL };
	struct it_proc p = { .pid = -1 };
	pid_t before = -1, later = -1;
	struct it_log log = { 0 };
	int starts = 0, leaves = 0, in_sub = 0;

	if (!cg_make(&c, "members") || !it_tmpdir(dir, sizeof(dir)))
		goto out;
	snprintf(sub, sizeof(sub), "%s/sub", c.path);
	mkdir(sub, 0755);
	snprintf(log_path, sizeof(log_path), "%s/log", dir);
	before = spawn_in_cgroup(c.path, sleeper);
	usleep(100000);
	if (!start_procmon(&p, args, 0, NULL))
		goto out;
	/* Tracing once the process there at the start has its first line. */
	for (double end = it_now_s() + 10; it_now_s() < end; usleep(20000)) {
		char *text = it_read_file(log_path);
		bool started = text && strstr(text, "-START");

		free(text);
		if (started)
			break;
	}
	later = spawn_in_cgroup(sub, forker);
	usleep(900000);
	cg_move(CG_ROOT, before);	/* out: its last line says so */
	usleep(500000);
	stop_procmon(&p);
	REQUIRE_GOTO(it_traced_log(&p, 15, 0, log_path, &log), out, "the run failed");
	for (int i = 0; i < log.n; i++) {
		const char *cgroup = it_get_str(log.obj[i], "cgroup");
		const char *event = it_get_str(log.obj[i], "event");

		CHECK(cgroup && !strncmp(cgroup, c.rel, strlen(c.rel)), "a line without the cgroup key");
		starts += log.mark[i] == IT_MARK_START;
		in_sub += log.mark[i] == IT_MARK_START && cgroup && strstr(cgroup, "/sub");
		if (event && !strcmp(event, "cgroup_leave")) {
			leaves++;
			CHECK(it_get_int(log.obj[i], "pid", -1) == before && log.mark[i] == IT_MARK_STOP,
			      "cgroup_leave on pid %lld", it_get_int(log.obj[i], "pid", -1));
		}
	}
	/* sleep 30 (there before), sh (moved in), sleep 0.3, true, sleep 30 (forked inside). */
	CHECK(starts == 5, "%d START lines, want 5", starts);
	CHECK(in_sub == 4, "%d processes started in %s/sub, want 4", in_sub, c.rel);
	CHECK(leaves == 1, "%d cgroup_leave events, want 1", leaves);
	snprintf(want, sizeof(want), "procmon: cgroup %s: 5 processes traced (1 entered, 1 left)", c.rel);
	CHECK(strstr(p.err, want), "summary: want \"%s\" in: %s", want, p.err);
	snprintf(want, sizeof(want), "  %s/sub\n", c.rel);
	CHECK(strstr(p.err, want), "summary: no row for the sub-cgroup in: %s", p.err);
	CHECK(!strstr(p.err, EMPTY_SAID), "said empty with a process in it: %s", p.err);
	check_tree_chart(dir, log_path, c.rel, 5);
out:
	if (p.pid > 0)
		it_proc_free(&p);
	it_log_free(&log);
	cg_remove(&c, sub);
	if (before > 0)
		kill(before, SIGKILL), waitpid(before, NULL, 0);
	if (later > 0)
		waitpid(later, NULL, 0);
	if (dir[0])
		it_rmdir(dir);
}

static void test_empty_cgroup_waits_and_says_so_once(void)
{
	struct cg c;
	char log_path[128], dir[64] = "", script[512];
	/* A labelled program forked inside: held at its exec until probed, as with -c. */
	const char *sleeper[] = { "/bin/sh", "-c", script, NULL };
	const char *args[] = { "--cgroup", c.path, "-i", "0.2", "-d", "2.5", "-o", log_path, NULL };
	struct it_proc p = { .pid = -1 };
	struct it_log log = { 0 };
	pid_t pid = -1;

	if (!cg_make(&c, "empty") || !it_tmpdir(dir, sizeof(dir)))
		goto out;
	snprintf(log_path, sizeof(log_path), "%s/log", dir);
	snprintf(script, sizeof(script), "%s %s/truth sleep:200 spin:100", it_workload("ph_steps"), dir);
	if (!start_procmon(&p, args, 0, EMPTY_SAID))
		goto out;
	pid = spawn_in_cgroup(c.path, sleeper);
	wait_exit(pid, 5);
	it_finish(&p, 10);
	REQUIRE_GOTO(it_traced_log(&p, 10, 0, log_path, &log), out, "the run failed");
	CHECK(count_of(p.err, EMPTY_SAID) == 1, "said empty %d times: %s",
	      count_of(p.err, EMPTY_SAID), p.err);
	CHECK(it_log_last(&log, pid) && it_log_count_mark(&log, IT_MARK_STOP) == 2,
	      "the processes that came later have no lines (%d lines, %d STOP)", log.n,
	      it_log_count_mark(&log, IT_MARK_STOP));
	{
		const char *want[] = { "sleep:200", "spin:100", "done" };
		int found = 0;

		for (int i = 0; i < log.n; i++) {
			const char *label = it_get_str(log.obj[i], "label");

			if (label && found < 3 && !strcmp(label, want[found]))
				found++;
		}
		CHECK(found == 3, "%d of the 3 labels, in order, in the log", found);
	}
	CHECK(p.secs >= 2.4, "the run ended after %.2f s, before -d 2.5 (the cgroup emptied)", p.secs);
out:
	if (p.pid > 0)
		it_proc_free(&p);
	it_log_free(&log);
	cg_remove(&c, NULL);
	if (dir[0])
		it_rmdir(dir);
}

/* Prometheus's answer to @q as one number (NAN when no single result). */
static double prom_value(unsigned int prom_port, const char *q)
{
	double v = NAN;

	return prom_query(prom_port, q, &v, NULL) == 1 ? v : NAN;
}

/* Wait until @q has @want_n results; the seconds waited, or -1 after @timeout_s. */
static double wait_results(unsigned int prom_port, const char *q, int want_n, double timeout_s)
{
	double start = it_now_s(), v;
	int n = -1;

	while (it_now_s() - start < timeout_s) {
		n = prom_query(prom_port, q, &v, NULL);
		if (n == want_n)
			return it_now_s() - start;
		usleep(100000);
	}
	CHECK(0, "Prometheus: %s: want %d result(s), got %d after %.0f s", q, want_n, n, timeout_s);
	return -1;
}

/* contrib/grafana-procmon.json's queries: valid PromQL for this Prometheus, on
 * series procmon serves (the names are in @scrape, one taken with processes live). */
static void check_dashboard_queries(const char *scrape, unsigned int prom_port)
{
	json_object *dash = json_object_from_file("contrib/grafana-procmon.json"), *panels, *targets, *e;
	int checked = 0;

	REQUIRE(dash && json_object_object_get_ex(dash, "panels", &panels),
		"cannot read contrib/grafana-procmon.json (run from the source tree)");
	REQUIRE(scrape, "no scrape with live processes");
	for (size_t i = 0; i < json_object_array_length(panels); i++) {
		if (!json_object_object_get_ex(json_object_array_get_idx(panels, i), "targets", &targets))
			continue;
		for (size_t j = 0; j < json_object_array_length(targets); j++) {
			char q[1024], *at, name[128];
			const char *expr;
			double v;

			if (!json_object_object_get_ex(json_object_array_get_idx(targets, j), "expr", &e))
				continue;
			expr = json_object_get_string(e);
			snprintf(q, sizeof(q), "%s", expr);
			while ((at = strstr(q, "$__rate_interval")))
				memmove(at, "5s", 2), memmove(at + 2, at + 16, strlen(at + 16) + 1);
			while ((at = strstr(q, "$instance")) || (at = strstr(q, "$cgroup")))
				memmove(at, ".*", 2), memmove(at + 2, at + (at[1] == 'i' ? 9 : 7),
							  strlen(at + (at[1] == 'i' ? 9 : 7)) + 1);
			CHECK(prom_query(prom_port, q, &v, NULL) >= 0, "Prometheus refused the dashboard's %s", q);
			for (at = strstr(q, "procmon_"); at; at = strstr(at + 1, "procmon_")) {
				snprintf(name, sizeof(name), "\n%.*s", (int)strspn(at, "abcdefghijklmnopqrstuvwxyz_"), at);
				CHECK(strstr(scrape, name), "the dashboard's %s is not in procmon's /metrics", name + 1);
			}
			checked++;
		}
	}
	CHECK(checked >= 10, "only %d dashboard queries", checked);
	json_object_put(dash);
}

static void test_real_prometheus_matches_the_workloads_getrusage(void)
{
	struct cg c;
	char dir[64] = "", log_path[128], faults_file[128], cpu_file[128], script[1024];
	char port_arg[64], q[PATH_MAX + 128], prom_dir[64] = "", report[128], rf[32];
	const char *sh[] = { "/bin/sh", "-c", script, NULL };
	const char *churn[] = { it_workload("rel_forker"), rf, report, NULL };
	const char *args[] = { "--cgroup", c.path, "-i", "0.2", "-o", log_path, "--prometheus",
			       port_arg, "--prometheus-hold", "2", NULL };
	struct it_proc p = { .pid = -1 }, prom = { .pid = -1 };
	double truth_faults = 0, truth_cpu = 0, unused, faults, cpu, gone, exited_at;
	double run_faults_before, run_faults_after, exited_before, churn_end;
	struct reply live_scrape = { 0 };
	unsigned int port = free_port(), prom_port = free_port();
	int max_pids = 0, n;
	pid_t pid;

	if (!cg_make(&c, "prom") || !it_tmpdir(dir, sizeof(dir)) || !it_tmpdir(prom_dir, sizeof(prom_dir)))
		goto out;
	snprintf(log_path, sizeof(log_path), "%s/log", dir);
	snprintf(faults_file, sizeof(faults_file), "%s/faults", dir);
	snprintf(cpu_file, sizeof(cpu_file), "%s/cpu", dir);
	snprintf(report, sizeof(report), "%s/churn", dir);
	snprintf(port_arg, sizeof(port_arg), "127.0.0.1:%u", port);
	/* The shell is moved in; its two children are forked inside. */
	snprintf(script, sizeof(script), "%s 128 1 %s && %s 1.0 1 %s", it_workload("touch_pages"),
		 faults_file, it_workload("spin"), cpu_file);
	if (!start_procmon(&p, args, port, EMPTY_SAID))
		goto out;
	REQUIRE_GOTO(start_prometheus_every(&prom, prom_dir, port, prom_port, "500ms") == 0, out,
		     "cannot start prometheus");
	REQUIRE_GOTO(wait_results(prom_port, "up{job=\"procmon\"} == 1", 1, 15) >= 0, out,
		     "Prometheus never scraped procmon");
	pid = spawn_in_cgroup(c.path, sh);
	CHECK(wait_exit(pid, 30) == 0, "the workloads failed");
	exited_at = it_now_s();
	if (!read_truth(faults_file, &truth_faults, &unused) || !read_truth(cpu_file, &unused, &truth_cpu))
		goto out;
	/* Exited: the series stay the hold time, then go; the totals keep them. */
	gone = wait_results(prom_port, "procmon_oncpu_seconds_total{comm=\"spin\"}", 0, 10);
	gone = gone < 0 ? -1 : it_now_s() - exited_at;
	printf("measure: an exited process's series left Prometheus %.1f s after it exited "
	       "(hold %.0f s, scrapes every 0.5 s)\n", gone, HOLD_S);
	CHECK(gone >= HOLD_S - 0.2 && gone <= HOLD_S + 3, "gone %.1f s after the exit, hold %.0f s",
	      gone, HOLD_S);
	/* Forked inside the cgroup: their series carry its label. Every scrape of
	 * the hold is in by now, the last values with them. */
	snprintf(q, sizeof(q), "max_over_time(procmon_page_faults_total{comm=\"touch_pages\",cgroup=\"%s\"}[5m])", c.rel);
	faults = prom_value(prom_port, q);
	snprintf(q, sizeof(q), "max_over_time(procmon_oncpu_seconds_total{comm=\"spin\",cgroup=\"%s\"}[5m])", c.rel);
	cpu = prom_value(prom_port, q);
	printf("measure: Prometheus has %.0f faults for touch_pages (getrusage %.0f), %.4f s on-CPU "
	       "for spin (getrusage %.4f)\n", faults, truth_faults, cpu, truth_cpu);
	CHECK(fabs(faults - truth_faults) <= 0.01 * truth_faults, "faults %.0f, getrusage %.0f",
	      faults, truth_faults);
	CHECK(fabs(cpu - truth_cpu) <= 0.02 * truth_cpu, "on-CPU %.4f s, getrusage %.4f s", cpu, truth_cpu);
	snprintf(q, sizeof(q), "procmon_run_page_faults_total{cgroup=\"%s\"}", c.rel);
	run_faults_before = prom_value(prom_port, q);
	CHECK(run_faults_before >= truth_faults, "run total %.0f faults < touch_pages' %.0f",
	      run_faults_before, truth_faults);

	/* 100 children churn through the cgroup: scrapes never show more than the
	 * live and held ones, and after the hold only the totals remember them. */
	exited_before = scraped(port, "procmon_processes_exited_total");
	snprintf(rf, sizeof(rf), "100");
	pid = spawn_in_cgroup(c.path, churn);
	churn_end = 0;
	/* Through the churn and a second after: procmon publishes at its ticks. */
	while (!churn_end || it_now_s() < churn_end + 1) {
		if (!churn_end && waitpid(pid, NULL, WNOHANG) == pid)
			churn_end = it_now_s();
		n = series_pids(port);
		if (n > max_pids) {
			max_pids = n;
			free(live_scrape.body);
			if (http(port, "GET", "/metrics", NULL, &live_scrape, 5))
				live_scrape.body = NULL;
		}
		usleep(20000);
	}
	usleep((useconds_t)(HOLD_S * 1e6));
	n = series_pids(port);
	printf("measure: 100-child churn: at most %d processes with series in a scrape, %d after the hold\n",
	       max_pids, n);
	CHECK(max_pids >= 50 && max_pids <= 101, "%d processes with series during the churn", max_pids);
	CHECK(n == 0, "%d processes still with series after the hold", n);
	CHECK(scraped(port, "procmon_processes_exited_total") - exited_before == 101,
	      "exited went from %.0f to %.0f, want +101", exited_before,
	      scraped(port, "procmon_processes_exited_total"));
	run_faults_after = scraped(port, "procmon_run_page_faults_total");
	CHECK(run_faults_after - run_faults_before >= 100 * 16, "the totals gained %.0f faults, want >= 1600",
	      run_faults_after - run_faults_before);
	check_dashboard_queries(live_scrape.body, prom_port);
out:
	if (prom.pid > 0) {
		kill(prom.pid, SIGTERM);
		it_finish(&prom, 10);
		if (check_failed_now)
			fprintf(stderr, "  prometheus said:\n%s\n", prom.err);
		it_proc_free(&prom);
	}
	if (p.pid > 0) {
		stop_procmon(&p);
		CHECK(it_exit_code(p.status) == 0, "procmon exit %d: %s", it_exit_code(p.status), p.err);
		it_proc_free(&p);
	}
	free(live_scrape.body);
	cg_remove(&c, NULL);
	if (prom_dir[0])
		nftw(prom_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	if (dir[0])
		it_rmdir(dir);
}

/* More churn than series allowed: the cap holds whatever the hold time. */
static void test_series_stay_under_the_cap_in_a_long_hold(void)
{
	struct cg c;
	char dir[64] = "", report[128], port_arg[64];
	const char *churn[] = { it_workload("rel_forker"), "700", report, NULL };
	const char *args[] = { "--cgroup", c.path, "-q", "-i", "0.5", "-o", "/dev/null", "--prometheus",
			       port_arg, "--prometheus-hold", "600", NULL };
	struct it_proc p = { .pid = -1 };
	unsigned int port = free_port();
	int max_pids = 0, n;
	pid_t pid;

	if (!cg_make(&c, "cap") || !it_tmpdir(dir, sizeof(dir)))
		goto out;
	snprintf(report, sizeof(report), "%s/churn", dir);
	snprintf(port_arg, sizeof(port_arg), "127.0.0.1:%u", port);
	if (!start_procmon(&p, args, port, EMPTY_SAID))
		goto out;
	pid = spawn_in_cgroup(c.path, churn);
	while (waitpid(pid, NULL, WNOHANG) == 0) {
		n = series_pids(port);
		max_pids = n > max_pids ? n : max_pids;
		usleep(50000);
	}
	for (double end = it_now_s() + 10; it_now_s() < end; usleep(100000)) {
		n = series_pids(port);
		max_pids = n > max_pids ? n : max_pids;
		if (scraped(port, "procmon_processes_exited_total") == 701)
			break;
	}
	printf("measure: 701 processes through the cgroup, hold 600 s: at most %d with series\n", max_pids);
	CHECK(max_pids >= 400 && max_pids <= METRICS_MAX_PROCS_DEFAULT,
	      "%d processes with series, the cap is %d", max_pids, METRICS_MAX_PROCS_DEFAULT);
	CHECK(scraped(port, "procmon_processes_exited_total") == 701, "exited total %.0f, want 701",
	      scraped(port, "procmon_processes_exited_total"));
out:
	if (p.pid > 0) {
		stop_procmon(&p);
		if (check_failed_now)
			fprintf(stderr, "  procmon said:\n%s\n", p.err);
		it_proc_free(&p);
	}
	cg_remove(&c, NULL);
	if (dir[0])
		it_rmdir(dir);
}

/* procmon's CPU time so far, every thread (the server's too), from schedstat. */
static double procmon_cpu_s(pid_t pid)
{
	char path[512], *text;
	struct dirent *de;
	double sum = 0;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	d = opendir(path);
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%s/schedstat", (int)pid, de->d_name);
		text = it_read_file(path);
		if (text)
			sum += strtod(text, NULL) / 1e9;
		free(text);
	}
	if (d)
		closedir(d);
	return sum;
}

/* The note's number: what serving scrapes costs procmon with 100 targets. */
static void test_cost_of_scrapes_with_100_targets(void)
{
	struct cg c;
	char port_arg[64];
	const char *sleepers[] = { "/bin/sh", "-c", "for i in $(seq 100); do sleep 60 & done; wait", NULL };
	const char *args[] = { "--cgroup", c.path, "-q", "-i", "1", "-o", "/dev/null", "--prometheus",
			       port_arg, NULL };
	struct it_proc p = { .pid = -1 };
	unsigned int port = free_port();
	const double window_s = 4;
	const int scrapes = 80;
	double t0, idle_s, busy_s, per_scrape_s;
	struct reply r = { 0 };
	pid_t pid = -1;

	if (!cg_make(&c, "cost"))
		goto out;
	snprintf(port_arg, sizeof(port_arg), "127.0.0.1:%u", port);
	pid = spawn_in_cgroup(c.path, sleepers);
	usleep(500000);
	if (!start_procmon(&p, args, port, NULL))
		goto out;
	usleep(1500000);	/* the START lines are written */
	REQUIRE_GOTO(scraped(port, "procmon_processes") == 101, out, "procmon_processes %.0f, want 101",
		     scraped(port, "procmon_processes"));
	t0 = procmon_cpu_s(p.pid);
	usleep((useconds_t)(window_s * 1e6));
	idle_s = procmon_cpu_s(p.pid) - t0;
	t0 = procmon_cpu_s(p.pid);
	for (int i = 0; i < scrapes; i++) {
		CHECK(http(port, "GET", "/metrics", NULL, &r, 5) == 0 && r.status == 200, "scrape %d failed", i);
		free(r.body);
		usleep((useconds_t)(window_s / scrapes * 1e6));
	}
	busy_s = procmon_cpu_s(p.pid) - t0;
	per_scrape_s = (busy_s - idle_s) / scrapes;
	printf("measure: procmon with 101 targets at -i 1: %.2f%% of a CPU without scrapes; a scrape "
	       "costs %.0f us of its CPU, %.3f%% of a CPU at one scrape a second\n",
	       idle_s / window_s * 100, per_scrape_s * 1e6, per_scrape_s * 100);
	CHECK(per_scrape_s < 0.005, "a scrape costs %.0f us of CPU", per_scrape_s * 1e6);
out:
	if (p.pid > 0) {
		stop_procmon(&p);
		it_proc_free(&p);
	}
	cg_remove(&c, NULL);
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

/* Under sudo: the user must be able to list the cgroup, and only their own
 * processes in it are traced; the others are named once and counted. */
static void test_sudo_user_traces_only_their_processes(void)
{
	static const char *const sudo_nobody[] = { "SUDO_UID=65534", "SUDO_GID=65534",
						   "SUDO_USER=nobody", NULL };
	struct cg c;
	char dir[64] = "", log_path[128], want[PATH_MAX + 64];
	const char *sleeper[] = { "/bin/sleep", "30", NULL };
	const char *args[] = { "--cgroup", c.path, "-i", "0.2", "-d", "1", "-o", log_path, NULL };
	const char *argv[16];
	struct it_log log = { 0 };
	struct it_proc p = { .pid = -1 };
	pid_t mine = -1, roots = -1;

	if (!cg_make(&c, "sudo") || !it_tmpdir(dir, sizeof(dir)))
		goto out;
	chmod(dir, 0777);
	snprintf(log_path, sizeof(log_path), "%s/log", dir);
	roots = spawn_in_cgroup(c.path, sleeper);
	mine = spawn_in_cgroup_as(c.path, sleeper, 65534);
	usleep(200000);
	it_run_traced(args, &(struct it_spawn){ .env_set = sudo_nobody }, 15, 0, log_path, &log, &p);
	CHECK(it_log_last(&log, mine) && !it_log_last(&log, roots),
	      "lines for the user's process: %s, for root's: %s", it_log_last(&log, mine) ? "yes" : "no",
	      it_log_last(&log, roots) ? "yes" : "no");
	snprintf(want, sizeof(want), "not tracing PID %d", (int)roots);
	CHECK(count_of(p.err, "not tracing PID") == 1 && strstr(p.err, want), "stderr: %s", p.err);
	CHECK(strstr(p.err, "1 not traced"), "the summary does not count root's process: %s", p.err);
	it_proc_free(&p);
	it_log_free(&log);

	/* A cgroup the user cannot list is refused outright. */
	chmod(c.path, 0700);
	it_run(&p, it_procmon_argv(argv, 16, args), &(struct it_spawn){ .env_set = sudo_nobody }, 10);
	snprintf(want, sizeof(want), "procmon: cannot trace cgroup '%s': Permission denied", c.path);
	CHECK(it_exit_code(p.status) == 125 && it_count_lines(p.err) == 1 && strstr(p.err, want),
	      "exit %d, stderr: %s", it_exit_code(p.status), p.err);
	it_proc_free(&p);
out:
	it_log_free(&log);
	cg_remove(&c, NULL);
	if (mine > 0)
		waitpid(mine, NULL, 0);
	if (roots > 0)
		waitpid(roots, NULL, 0);
	if (dir[0])
		it_rmdir(dir);
}

/* IT_ONLY=NAME runs the tests whose name has NAME in it. */
#define RUN_SOME(test)								\
	do {									\
		if (!getenv("IT_ONLY") || strstr(#test, getenv("IT_ONLY")))	\
			RUN(test);						\
	} while (0)

int main(void)
{
	struct statfs sfs;

	signal(SIGPIPE, SIG_IGN);
	if (statfs(CG_ROOT, &sfs) || sfs.f_type != CGROUP2_SUPER_MAGIC)
		check_skip_all("no cgroup v2 at " CG_ROOT);
	RUN_SOME(test_wrong_directories_get_one_line_and_125);
	RUN_SOME(test_members_come_and_go_and_are_summed_by_cgroup);
	RUN_SOME(test_empty_cgroup_waits_and_says_so_once);
	RUN_SOME(test_real_prometheus_matches_the_workloads_getrusage);
	RUN_SOME(test_series_stay_under_the_cap_in_a_long_hold);
	RUN_SOME(test_cost_of_scrapes_with_100_targets);
	RUN_SOME(test_sudo_user_traces_only_their_processes);
	return check_summary();
}
