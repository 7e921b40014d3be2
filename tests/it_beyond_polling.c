// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Acceptance tests of "See what polling cannot": RSS peaks between samples, run-queue
 * wait, process trees (-c), threads (-t), lifecycle events and the exit summary. */
#include <dirent.h>
#include <pthread.h>

#include "check.h"
#include "itest.h"

#define TIMEOUT_S 30.0
#define MIB (1024.0 * 1024.0)

/* Commands run as root even when the tests run under sudo: the workloads write
 * into root's 0700 temporary directories and the OOM test into a cgroup. */

/* Wait for a started procmon @p, check its status is @want_code and load its log
 * (it_traced_log), which must hold a START and a STOP line at least. False (with
 * the failure recorded) when any of it went wrong. */
static bool finish_traced(struct it_proc *p, const char *log_path, int want_code,
			  struct it_log *log)
{
	bool ok;

	it_finish(p, TIMEOUT_S);
	ok = it_traced_log(p, TIMEOUT_S, want_code, log_path, log);
	CHECK(log->n >= 2, "expected a START and a STOP line at least, got %d lines", log->n);
	return ok && log->n >= 2;
}

/* procmon @args (NULL-terminated, after "procmon") to the end. */
static bool run_traced(const char *const *args, const char *log_path, int want_code,
		       struct it_log *log, struct it_proc *p)
{
	memset(log, 0, sizeof(*log));
	return it_start_traced(p, args, &it_as_root) && finish_traced(p, log_path, want_code, log);
}

/* A process sample line (not a thread line, not a label). */
static bool is_sample(json_object *o)
{
	return it_get(o, "memory_info") != NULL;
}

/* The log's "timestamp" (local time, microseconds) as seconds since the epoch. */
static double timestamp_s(json_object *o)
{
	const char *ts = it_get_str(o, "timestamp");
	struct tm tm = { 0 };
	const char *rest;

	if (!ts || !(rest = strptime(ts, "%Y-%m-%d %H:%M:%S", &tm)))
		return NAN;
	tm.tm_isdst = -1;
	return (double)mktime(&tm) + (*rest == '.' ? atof(rest) : 0);
}

static double realtime_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A child of @parent, from /proc/PID/stat's ppid; 0 if none (yet). */
static pid_t child_of(pid_t parent)
{
	DIR *dir = opendir("/proc");
	struct dirent *de;
	pid_t found = 0;

	while (dir && !found && (de = readdir(dir))) {
		char path[300], buf[512], *paren;
		int fd, ppid;
		ssize_t n;

		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		paren = strrchr(buf, ')');	/* comm may hold spaces and parentheses */
		if (paren && sscanf(paren + 2, "%*c %d", &ppid) == 1 && ppid == parent)
			found = atoi(de->d_name);
	}
	if (dir)
		closedir(dir);
	return found;
}

/* The value after @key in a summary on stderr ("\tPage faults (minor + major):  849"). */
static double summary_value(const char *text, const char *key)
{
	const char *at = strstr(text, key);

	return at ? atof(at + strlen(key)) : NAN;
}

/* ------------------------------------------------------- peak RSS, poller */

#define POLLS_MAX 64

/* What a psutil-style sampler sees: /proc/PID/statm once a second. */
struct poller {
	pid_t procmon;
	int n;
	double at_s[POLLS_MAX];		/* CLOCK_REALTIME */
	double rss_bytes[POLLS_MAX];
};

static void *poll_statm(void *arg)
{
	struct poller *pl = arg;
	long page = sysconf(_SC_PAGESIZE);
	double give_up = it_now_s() + 5, next;
	char path[64], buf[128];
	pid_t pid = 0;

	while (!pid && it_now_s() < give_up) {
		pid = child_of(pl->procmon);
		if (!pid)
			usleep(1000);
	}
	if (!pid)
		return NULL;
	snprintf(path, sizeof(path), "/proc/%d/statm", (int)pid);
	for (next = it_now_s(); pl->n < POLLS_MAX; next += 1.0) {
		struct timespec ts;
		long size, resident;
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

		if (fd >= 0)
			close(fd);
		if (n <= 0)
			break;	/* gone */
		buf[n] = '\0';
		if (sscanf(buf, "%ld %ld", &size, &resident) != 2 || (size == 0 && resident == 0))
			break;	/* a zombie */
		pl->at_s[pl->n] = realtime_now_s();
		pl->rss_bytes[pl->n++] = (double)resident * (double)page;
		ts.tv_sec = (time_t)(next + 1.0);
		ts.tv_nsec = (long)((next + 1.0 - (double)ts.tv_sec) * 1e9);
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL))
			;
	}
	return NULL;
}

struct spike {
	double start_s, full_s, unmap_s, unmapped_s;	/* CLOCK_REALTIME */
};

static int read_spikes(const char *path, struct spike *sp, int max)
{
	FILE *f = fopen(path, "r");
	int n = 0, k;

	if (!f)
		return 0;
	while (n < max && fscanf(f, "%d %lf %lf %lf %lf", &k, &sp[n].start_s, &sp[n].full_s,
				 &sp[n].unmap_s, &sp[n].unmapped_s) == 5)
		n++;
	fclose(f);
	return n;
}

/* Four 512 MiB spikes, each held ~5 ms after its ramp, 2 s apart; samples at 1 s. */
static void test_rss_peak_catches_spikes_between_samples(void)
{
	enum { SPIKES = 4 };
	const double size = 512 * MIB, enough = 0.95 * size;
	char dir[64], log_path[128], spikes_path[128];
	const char *argv[] = { it_procmon(), "-i", "1", "-o", log_path, "--",
			       it_workload("bp_spikes"), "4", "2", "512", "5", spikes_path, NULL };
	struct poller pl = { 0 };
	struct spike sp[SPIKES];
	int lines[256], n_lines = 0, n_spikes, peak_seen = 0, rss_seen = 0, poll_seen = 0;
	double summary_kib;
	struct it_log log = { 0 };
	struct it_proc p;
	pthread_t poller;

	if (!it_tmpdir(dir, sizeof(dir)))
		SKIP("no temporary directory");
	snprintf(log_path, sizeof(log_path), "%s/log", dir);
	snprintf(spikes_path, sizeof(spikes_path), "%s/spikes", dir);
	if (it_start(&p, argv, &it_as_root)) {
		CHECK(0, "cannot start procmon");
		goto out_dir;
	}
	pl.procmon = p.pid;
	pthread_create(&poller, NULL, poll_statm, &pl);
	if (!finish_traced(&p, log_path, 0, &log)) {
		pthread_join(poller, NULL);
		goto out;
	}
	pthread_join(poller, NULL);
	n_spikes = read_spikes(spikes_path, sp, SPIKES);
	CHECK(n_spikes == SPIKES, "the workload reported %d spikes, expected %d", n_spikes, SPIKES);
	for (int i = 0; i < log.n && n_lines < 256; i++)
		if (is_sample(log.obj[i]))
			lines[n_lines++] = i;

	printf("  spike  ramp_ms  held_ms | line  rss_peak_MiB  rss_MiB | statm poll (1 s) nearest: "
	       "MiB at offset_ms\n");
	for (int k = 0; k < n_spikes; k++) {
		const struct spike *s = &sp[k];
		json_object *o = NULL, *next = NULL;
		double prev_ts = -INFINITY, peak, rss, best_poll = 0, best_dt = INFINITY;
		int line = -1;

		/* The line whose interval (previous line, this line] holds the moment the
		 * spike was complete. */
		for (int j = 0; j < n_lines; j++) {
			double ts = timestamp_s(log.obj[lines[j]]);

			if (s->full_s > prev_ts && s->full_s <= ts) {
				line = j;
				break;
			}
			prev_ts = ts;
		}
		if (line < 0) {
			CHECK(0, "spike %d (complete at %.3f) lies in no interval of the log", k,
			      s->full_s);
			continue;
		}
		o = log.obj[lines[line]];
		peak = it_get_num(o, "memory_info.rss_peak");
		rss = it_get_num(o, "memory_info.rss");
		/* Within 5 ms of a sample the counters may have been read before the
		 * timestamp was taken: the spike then counts for the next line. */
		if (peak < enough && line + 1 < n_lines &&
		    timestamp_s(o) - s->full_s < 0.005) {
			next = log.obj[lines[line + 1]];
			peak = fmax(peak, it_get_num(next, "memory_info.rss_peak"));
		}
		for (int j = 0; j < pl.n; j++) {
			double dt = pl.at_s[j] - s->full_s;

			if (fabs(dt) < fabs(best_dt)) {
				best_dt = dt;
				best_poll = pl.rss_bytes[j];
			}
			if (pl.at_s[j] >= s->start_s && pl.at_s[j] <= s->unmapped_s &&
			    pl.rss_bytes[j] >= enough)
				poll_seen++;
		}
		peak_seen += peak >= enough;
		rss_seen += rss >= enough;
		printf("  %5d  %7.1f  %7.1f | %4d  %12.1f  %7.1f | %.1f at %+.0f\n", k,
		       (s->full_s - s->start_s) * 1e3, (s->unmap_s - s->full_s) * 1e3,
		       lines[line] + 1, peak / MIB, rss / MIB, best_poll / MIB, best_dt * 1e3);
		CHECK(peak >= enough, "spike %d: rss_peak of its interval: expected >= %.0f MiB, "
		      "got %.1f MiB", k, enough / MIB, peak / MIB);
	}
	printf("  spikes seen: rss_peak %d of %d, rss %d of %d, statm poller %d of %d (%d polls)\n",
	       peak_seen, n_spikes, rss_seen, n_spikes, poll_seen, n_spikes, pl.n);
	CHECK(rss_seen <= n_spikes / 2, "rss (an instant value) saw %d of %d short spikes: "
	      "expected at most %d, or the spikes are not short", rss_seen, n_spikes, n_spikes / 2);
	CHECK(pl.n >= 5, "the poller read statm %d times in a run of ~8 s", pl.n);

	/* The peak is reset each interval: a line whose interval holds no part of a
	 * spike has a small peak, and no peak is below the instant value. */
	for (int j = 0; j < n_lines; j++) {
		json_object *o = log.obj[lines[j]];
		double from = j ? timestamp_s(log.obj[lines[j - 1]]) : -INFINITY;
		double to = timestamp_s(o), peak = it_get_num(o, "memory_info.rss_peak");
		bool spiky = false;

		for (int k = 0; k < n_spikes; k++)
			spiky |= sp[k].start_s - 0.005 <= to && sp[k].unmapped_s + 0.005 > from;
		CHECK(spiky || peak < 64 * MIB, "line %d: rss_peak %.1f MiB in an interval without "
		      "a spike: the peak was not reset", lines[j] + 1, peak / MIB);
		CHECK(peak >= it_get_num(o, "memory_info.rss"), "line %d: rss_peak %.0f < rss %.0f",
		      lines[j] + 1, peak, it_get_num(o, "memory_info.rss"));
	}
	summary_kib = summary_value(p.err, "Peak resident set size (kbytes):");
	printf("  summary peak RSS %.1f MiB\n", summary_kib / 1024);
	CHECK(summary_kib * 1024 >= enough, "summary's peak RSS: expected >= %.0f MiB (the "
	      "all-time high), got %.1f MiB", enough / MIB, summary_kib / 1024);
out:
	it_log_free(&log);
	it_proc_free(&p);
out_dir:
	it_rmdir(dir);
}

/* ------------------------------------------------------------ run queue */

/* `bp_runq SECONDS THREADS`: the per-thread `wall_s cpu_s [run_delay_s]` it
 * reports, summed, and procmon's last line. */
struct runq_run {
	double runq_s, oncpu_s;		/* procmon's */
	double wall_s, cpu_s;		/* the workload's */
	double delay_start_s, delay_end_s;	/* the sleeper's run_delay in main, first and last */
};

static bool run_runq(const char *seconds, const char *threads, struct runq_run *r)
{
	char dir[64], log_path[128], rep_path[128], line[256];
	const char *args[] = { "-q", "-i", "0.5", "--format", "jsonl", "-o", log_path, "--",
			       it_workload("bp_runq"), seconds, threads, rep_path, NULL };
	struct it_log log;
	struct it_proc p;
	bool ok = false;
	FILE *f = NULL;

	memset(r, 0, sizeof(*r));
	/* False only with a failure recorded: the caller returns on it. */
	if (!it_tmpdir(dir, sizeof(dir))) {
		CHECK(0, "no temporary directory");
		return false;
	}
	snprintf(log_path, sizeof(log_path), "%s/log", dir);
	snprintf(rep_path, sizeof(rep_path), "%s/report", dir);
	if (run_traced(args, log_path, 0, &log, &p)) {
		f = fopen(rep_path, "r");
		CHECK(f, "the workload wrote no report %s: %s", rep_path, strerror(errno));
	}
	if (f) {
		int n = 0, want = atoi(threads) ? atoi(threads) : 1;

		while (fgets(line, sizeof(line), f)) {
			double w, c, d0 = 0, d1 = 0;

			if (sscanf(line, "%lf %lf %lf %lf", &w, &c, &d0, &d1) < 2)
				break;
			r->wall_s += w;
			r->cpu_s += c;
			r->delay_start_s += d0;
			r->delay_end_s += d1;
			n++;
		}
		fclose(f);
		r->runq_s = it_get_num(log.obj[log.n - 1], "sched.runq_wait_ns") / 1e9;
		r->oncpu_s = it_get_num(log.obj[log.n - 1], "sched.oncpu_ns") / 1e9;
		ok = n == want;
		CHECK(ok, "the workload reported %d threads, expected %d", n, want);
	}
	it_log_free(&log);
	it_proc_free(&p);
	it_rmdir(dir);
	return ok;
}

static void test_runq_wait_of_three_threads_on_one_cpu(void)
{
	struct runq_run r;
	double truth, frac, share;

	if (!run_runq("1.5", "3", &r))
		return;
	/* A thread that never blocks is either running or waiting for the CPU. */
	truth = r.wall_s - r.cpu_s;
	frac = r.runq_s / r.wall_s;
	/* How much of their CPU the three had: 1 on an otherwise idle machine. */
	share = r.cpu_s / (r.wall_s / 3);
	printf("  3 spinners on one CPU, 1.5 s: runq_wait %.3f s of 3 x wall %.3f s = %.3f "
	       "(ideal 2/3); their wall - cpu %.3f s (%+.2f%%); oncpu %.3f s, their cpu %.3f s "
	       "(%.0f%% of the CPU)\n", r.runq_s, r.wall_s, frac, truth,
	       (r.runq_s - truth) / truth * 100, r.oncpu_s, r.cpu_s, share * 100);
	CHECK_NEAR(r.runq_s, truth, fmax(truth * 0.05, 0.020),
		   "sched.runq_wait_ns (s) vs the threads' wall - cpu");
	CHECK_NEAR(r.oncpu_s, r.cpu_s, fmax(r.cpu_s * 0.02, 0.020),
		   "sched.oncpu_ns (s) vs the threads' CPU clocks");
	/* Two thirds holds for a CPU the three share with nothing else. */
	if (share >= 0.9)
		CHECK(frac >= 0.55 && frac <= 0.75,
		      "runq_wait / (3 x wall): expected 0.55..0.75, got %.3f", frac);
	else
		printf("  other load had %.0f%% of that CPU: the 2/3 range is not checked, "
		       "wall - cpu is\n", (1 - share) * 100);
}

static void test_runq_wait_of_a_lone_sleeper_is_small(void)
{
	struct runq_run r;

	if (!run_runq("1", "0", &r))
		return;
	printf("  lone sleeper, 100 naps in %.3f s: runq_wait %.3f ms (%.2f%% of wall); its own "
	       "schedstat run_delay %.3f ms at the end, %.3f ms of it before main\n", r.wall_s,
	       r.runq_s * 1e3, r.runq_s / r.wall_s * 100, r.delay_end_s * 1e3,
	       r.delay_start_s * 1e3);
	/* Sleeping is not waiting: only the moments between wake-up and running count. */
	CHECK(r.runq_s < 0.1 * r.wall_s, "a sleeper's runq_wait: expected < 10%% of %.3f s, "
	      "got %.3f ms", r.wall_s, r.runq_s * 1e3);
	/* procmon traces from the exec, after the launcher's own first waits (which
	 * the thread's counter holds) and sees the exit path's too. */
	CHECK(r.runq_s >= r.delay_end_s - r.delay_start_s - 1e-6 &&
	      r.runq_s <= r.delay_end_s + 0.005,
	      "runq_wait %.3f ms: expected between the sleeper's run_delay during main, "
	      "%.3f ms, and its whole run_delay + 5 ms, %.3f ms", r.runq_s * 1e3,
	      (r.delay_end_s - r.delay_start_s) * 1e3, r.delay_end_s * 1e3 + 5);
}

/* ------------------------------------------------------------- children */

#define CHILDREN 100

struct child_report {
	pid_t pid;
	long faults;		/* its own getrusage minflt + majflt */
	double end_mono_s;
	int start_lines, stop_lines;
	long long ppid, exit_code;	/* from its lines */
	double pfaults;		/* procmon's, on its STOP line */
	bool forked;		/* a fork line on the parent names it */
};

static int read_child_reports(const char *dir, struct child_report *c, int max)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	while (d && n < max && (de = readdir(d))) {
		char path[400];
		long minflt, majflt;
		FILE *f;

		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		memset(&c[n], 0, sizeof(c[n]));
		c[n].ppid = -1;
		c[n].pfaults = NAN;
		if (fscanf(f, "%ld %ld %lf", &minflt, &majflt, &c[n].end_mono_s) == 3) {
			c[n].pid = atoi(de->d_name);
			c[n].faults = minflt + majflt;
			n++;
		}
		fclose(f);
	}
	if (d)
		closedir(d);
	return n;
}

static struct child_report *find_child(struct child_report *c, int n, long long pid)
{
	for (int i = 0; i < n; i++)
		if (c[i].pid == pid)
			return &c[i];
	return NULL;
}

/* The summary table's row of @pid: its FAULTS column, or -1. */
/* The tree summary's top-10 rows (PID PEAK_KiB ONCPU_s WALL_s EXIT COMMAND):
 * how many there are, and how many distinct PIDs they name. */
static int summary_rows(const char *text, int *distinct)
{
	const char *line = text;
	int pids[64], rows = 0;

	*distinct = 0;
	while (*line) {
		size_t len = strcspn(line, "\n");
		unsigned long long peak;
		double oncpu, wall;
		int pid, seen = 0;

		if (sscanf(line, "%d %llu %lf %lf", &pid, &peak, &oncpu, &wall) == 4 && rows < 64) {
			for (int i = 0; i < *distinct; i++)
				seen |= pids[i] == pid;
			if (!seen)
				pids[(*distinct)++] = pid;
			rows++;
		}
		line += len + (line[len] == '\n');
	}
	return rows;
}

static void test_children_each_traced_with_their_faults(void)
{
	char dir[64], log_path[128], kids[128];
	const char *args[] = { "-c", "-i", "0.5", "-o", log_path, "--", it_workload("bp_forker"),
			       "100", "1000", "0.5", kids, "7", NULL };
	static struct child_report c[CHILDREN + 8];
	int n, seen = 0, forks = 0, strangers = 0, rows, distinct, worst_i = -1, zero_ppid = 0;
	char more[64];
	double worst = 0, end_mono, last_end = 0;
	struct it_log log = { 0 };
	struct it_proc p;
	pid_t parent;

	if (!it_tmpdir(dir, sizeof(dir)))
		SKIP("no temporary directory");
	snprintf(log_path, sizeof(log_path), "%s/log", dir);
	snprintf(kids, sizeof(kids), "%s/kids", dir);
	mkdir(kids, 0755);
	if (!run_traced(args, log_path, 7, &log, &p))
		goto out;
	end_mono = p.start_s + p.secs;
	n = read_child_reports(kids, c, CHILDREN + 8);
	CHECK(n == CHILDREN, "the children wrote %d reports, expected %d", n, CHILDREN);
	parent = (pid_t)it_get_int(log.obj[0], "pid", -1);
	CHECK(log.mark[0] == IT_MARK_START && !find_child(c, n, parent),
	      "the first line is not the parent's (pid %d)", (int)parent);
	for (int i = 0; i < log.n; i++) {
		json_object *o = log.obj[i];
		long long pid = it_get_int(o, "pid", -1);
		const char *ev = it_get_str(o, "event");
		struct child_report *r = find_child(c, n, pid);

		if (pid == parent) {
			if (ev && !strcmp(ev, "fork")) {
				struct child_report *child = find_child(c, n, it_get_int(o, "child_pid", -1));

				forks++;
				CHECK(child, "fork line %d names pid %lld, not one of the children", i + 1,
				      it_get_int(o, "child_pid", -1));
				if (child)
					child->forked = true;
			}
			continue;
		}
		if (!r) {
			strangers++;
			continue;
		}
		if (log.mark[i] == IT_MARK_START) {
			r->start_lines++;
			r->ppid = it_get_int(o, "ppid", -1);
		}
		zero_ppid += it_get_int(o, "ppid", -1) == 0;
		if (log.mark[i] == IT_MARK_STOP) {
			r->stop_lines++;
			r->exit_code = it_get_int(o, "exit_code", -1);
			r->pfaults = it_get_num(o, "memory_info.pfaults");
		}
	}
	for (int i = 0; i < n; i++) {
		double err = (c[i].pfaults - (double)c[i].faults) / (double)c[i].faults * 100;

		seen += c[i].start_lines == 1 && c[i].stop_lines == 1;
		CHECK(c[i].start_lines == 1 && c[i].stop_lines == 1 && c[i].forked,
		      "child %d: expected one first line, one exit line and a fork line, got %d, %d, %s",
		      (int)c[i].pid, c[i].start_lines, c[i].stop_lines, c[i].forked ? "yes" : "no");
		CHECK(c[i].exit_code == 0, "child %d: exit line exit_code %lld, expected 0",
		      (int)c[i].pid, c[i].exit_code);
		CHECK(c[i].ppid == parent, "child %d: START line ppid %lld, expected %d", (int)c[i].pid,
		      c[i].ppid, (int)parent);
		if (isnan(err) || fabs(err) > fabs(worst)) {
			worst = isnan(err) ? INFINITY : err;
			worst_i = i;
		}
		CHECK(fabs(err) <= 1.0, "child %d: pfaults %.0f vs its getrusage minflt+majflt %ld "
		      "(%+.2f%%), expected within 1%%", (int)c[i].pid, c[i].pfaults, c[i].faults, err);
		last_end = fmax(last_end, c[i].end_mono_s);
	}
	printf("  %d children: %d seen with a first and an exit line, %d fork lines, worst fault "
	       "difference %+.3f%% (pid %d: %.0f vs getrusage %ld)\n", n, seen, forks, worst,
	       worst_i >= 0 ? (int)c[worst_i].pid : 0, worst_i >= 0 ? c[worst_i].pfaults : 0,
	       worst_i >= 0 ? c[worst_i].faults : 0);
	printf("  the last child ended %.3f s before procmon; procmon ran %.2f s\n",
	       end_mono - last_end, p.secs);
	CHECK(forks == CHILDREN, "fork lines on the parent: expected %d, got %d", CHILDREN, forks);
	/* A child's parent is known from its fork even when /proc no longer has it. */
	CHECK(zero_ppid == 0, "%d lines of children say ppid 0", zero_ppid);
	CHECK(strangers == 0, "%d lines of processes that are neither the parent nor a child",
	      strangers);
	/* The parent exits first; the lingering child 0.5 s later ends the run. */
	CHECK(last_end > 0 && end_mono >= last_end,
	      "procmon ended %.3f s before the last child", last_end - end_mono);
	CHECK(end_mono - last_end < 1.5, "procmon ran on %.2f s after the last child",
	      end_mono - last_end);
	/* The summary of a tree: its totals, two top-10 tables, the count of the rest. */
	rows = summary_rows(p.err, &distinct);
	snprintf(more, sizeof(more), "procmon: and %d more processes", CHILDREN + 1 - distinct);
	CHECK(strstr(p.err, "procmon: tree of 101 processes") != NULL,
	      "summary: expected 'procmon: tree of 101 processes'");
	CHECK(rows == 20 && strstr(p.err, more), "summary: %d rows (expected 20), '%s' missing",
	      rows, more);
out:
	it_log_free(&log);
	it_proc_free(&p);
	it_rmdir(dir);
}

/* Without -c a forked child is not a target: no fork lines, no lines of it. */
static void test_without_children_option_only_the_parent(void)
{
	char dir[64], log_path[128], kids[128];
	const char *args[] = { "-q", "-i", "0.5", "--format", "jsonl", "-o", log_path, "--",
			       it_workload("bp_forker"), "3", "10", "0", kids, "0", NULL };
	struct it_log log = { 0 };
	struct it_proc p;
	int others = 0, forks = 0;
	long long parent;

	if (!it_tmpdir(dir, sizeof(dir)))
		SKIP("no temporary directory");
	snprintf(log_path, sizeof(log_path), "%s/log", dir);
	snprintf(kids, sizeof(kids), "%s/kids", dir);
	mkdir(kids, 0755);
	if (!run_traced(args, log_path, 0, &log, &p))
		goto out;
	parent = it_get_int(log.obj[0], "pid", -1);
	for (int i = 0; i < log.n; i++) {
		others += it_get_int(log.obj[i], "pid", -1) != parent;
		forks += it_get_str(log.obj[i], "event") && !strcmp(it_get_str(log.obj[i], "event"), "fork");
	}
	CHECK(others == 0 && forks == 0, "without -c: expected no child lines and no fork lines, "
	      "got %d and %d", others, forks);
out:
	it_log_free(&log);
	it_proc_free(&p);
	it_rmdir(dir);
}

/* -------------------------------------------------------------- threads */

static void test_thread_lines_name_and_time_each_thread(void)
{
	char dir[64], log_path[128], rep_path[128];
	const char *args[] = { "-q", "-t", "-i", "0.1", "--format", "jsonl", "-o", log_path, "--",
			       it_workload("bp_threads"), rep_path, "0.35", NULL };
	const char *keys[] = { "tid", "comm", "user", "system", "oncpu_ns", "runq_wait_ns",
			       "minflt", "majflt", "voluntary", "involuntary" };
	struct { int tid; char name[32]; long long cpu_ns; } w[3];
	int n = 0, last_sample = -1, after_last = 0, misplaced = 0;
	long long sample_pid = -1;
	struct it_log log = { 0 };
	struct it_proc p;
	FILE *f;

	if (!it_tmpdir(dir, sizeof(dir)))
		SKIP("no temporary directory");
	snprintf(log_path, sizeof(log_path), "%s/log", dir);
	snprintf(rep_path, sizeof(rep_path), "%s/report", dir);
	if (!run_traced(args, log_path, 0, &log, &p))
		goto out;
	f = fopen(rep_path, "r");
	while (f && n < 3 && fscanf(f, "%d %31s %lld", &w[n].tid, w[n].name, &w[n].cpu_ns) == 3)
		n++;
	if (f)
		fclose(f);
	CHECK(n == 3, "the workload reported %d threads, expected 3", n);

	/* Thread lines come right after their process's sample line. */
	for (int i = 0; i < log.n; i++) {
		json_object *o = log.obj[i];

		if (is_sample(o)) {
			sample_pid = it_get_int(o, "pid", -1);
			if (!it_get_str(o, "event"))
				last_sample = i, after_last = 0;
			continue;
		}
		if (!it_get(o, "thread"))
			continue;
		misplaced += sample_pid != it_get_int(o, "pid", -2);
		after_last += last_sample >= 0;
		for (size_t k = 0; k < sizeof(keys) / sizeof(*keys); k++)
			CHECK(it_get(o, "thread") && it_get(it_get(o, "thread"), keys[k]),
			      "thread line %d has no thread.%s", i + 1, keys[k]);
	}
	CHECK(misplaced == 0, "%d thread lines do not follow a sample line of their pid", misplaced);
	CHECK(last_sample >= 0 && after_last == 4,
	      "the last periodic sample: expected 4 thread lines after it (main + 3), got %d",
	      after_last);

	for (int k = 0; k < n; k++) {
		json_object *th = NULL;
		double got, tol;

		for (int i = log.n - 1; i >= 0 && !th; i--)
			if (it_get_int(log.obj[i], "thread.tid", -1) == w[k].tid)
				th = it_get(log.obj[i], "thread");
		if (!th) {
			CHECK(0, "no thread line of tid %d (%s)", w[k].tid, w[k].name);
			continue;
		}
		got = it_get_num(th, "oncpu_ns");
		tol = fmax((double)w[k].cpu_ns * 0.05, 20e6);
		printf("  %-12s tid %d: oncpu %.3f ms, its own CLOCK_THREAD_CPUTIME_ID %.3f ms "
		       "(%+.3f ms)\n", w[k].name, w[k].tid, got / 1e6, (double)w[k].cpu_ns / 1e6,
		       (got - (double)w[k].cpu_ns) / 1e6);
		CHECK_STR(it_get_str(th, "comm"), w[k].name);
		CHECK_NEAR(got / 1e6, (double)w[k].cpu_ns / 1e6, tol / 1e6,
			   "thread.oncpu_ns (ms) vs the thread's own CPU clock");
	}
out:
	it_log_free(&log);
	it_proc_free(&p);
	it_rmdir(dir);
}

/* ------------------------------------------------------------ lifecycle */

static int count_events(const struct it_log *log, const char *event, int *first)
{
	int n = 0;

	*first = -1;
	for (int i = 0; i < log->n; i++) {
		const char *ev = it_get_str(log->obj[i], "event");

		if (ev && !strcmp(ev, event) && !n++)
			*first = i;
	}
	return n;
}

static void test_exec_line_has_the_new_cmdline(void)
{
	char dir[64], log_path[128], want[PATH_MAX + 32];
	const char *args[] = { "-q", "-i", "0.1", "-o", log_path, "--", it_workload("bp_exec"),
			       "0.2", it_workload("exit_with"), "sleep", "0.3", NULL };
	struct it_log log = { 0 };
	struct it_proc p;
	int first, n;

	if (!it_tmpdir(dir, sizeof(dir)))
		SKIP("no temporary directory");
	snprintf(log_path, sizeof(log_path), "%s/log", dir);
	snprintf(want, sizeof(want), "%s sleep 0.3", it_workload("exit_with"));
	if (!run_traced(args, log_path, 0, &log, &p))
		goto out;
	n = count_events(&log, "exec", &first);
	CHECK(n == 1, "exec lines: expected 1 (the launch's own exec is not one), got %d", n);
	if (first >= 0) {
		double at = it_get_num(log.obj[first], "elapsed_time");

		printf("  exec at %.3f s: %s\n", at, it_get_str(log.obj[first], "cmdline"));
		CHECK_STR(it_get_str(log.obj[first], "cmdline"), want);
		CHECK(at >= 0.19 && at < 0.4, "exec line elapsed_time %.3f s, the exec came at 0.2 s",
		      at);
		CHECK(it_get_int(log.obj[first], "pid", -1) == it_get_int(log.obj[0], "pid", -2),
		      "the exec line is of another pid");
	}
	CHECK(it_get_str(log.obj[0], "cmdline") && strstr(it_get_str(log.obj[0], "cmdline"), "bp_exec"),
	      "the START line's cmdline is not the first program's");
out:
	it_log_free(&log);
	it_proc_free(&p);
	it_rmdir(dir);
}

static void test_sigkill_from_outside_is_signal_9(void)
{
	char dir[64], log_path[128];
	const char *argv[] = { it_procmon(), "-q", "-i", "0.1", "-o", log_path, "--",
			       it_workload("exit_with"), "sleep", "5", NULL };
	struct it_log log = { 0 };
	struct it_proc p;
	double give_up;
	pid_t target = 0;

	if (!it_tmpdir(dir, sizeof(dir)))
		SKIP("no temporary directory");
	snprintf(log_path, sizeof(log_path), "%s/log", dir);
	if (it_start(&p, argv, &it_as_root)) {
		CHECK(0, "cannot start procmon");
		goto out_dir;
	}
	for (give_up = it_now_s() + 5; !target && it_now_s() < give_up; usleep(2000))
		target = child_of(p.pid);
	CHECK(target > 0, "no child of procmon found");
	usleep(300000);
	if (target > 0)
		kill(target, SIGKILL);
	if (!finish_traced(&p, log_path, 137, &log))
		goto out;
	printf("  SIGKILL to pid %d: procmon exit %d after %.2f s, STOP line signal %lld\n",
	       (int)target, it_exit_code(p.status), p.secs,
	       it_get_int(log.obj[log.n - 1], "signal", -1));
	CHECK(log.mark[log.n - 1] == IT_MARK_STOP, "the last line is not a STOP line");
	CHECK_STR(it_get_str(log.obj[log.n - 1], "event"), "exit");
	CHECK(it_get_int(log.obj[log.n - 1], "signal", -1) == 9,
	      "STOP line signal: expected 9, got %lld", it_get_int(log.obj[log.n - 1], "signal", -1));
	CHECK(!it_get(log.obj[log.n - 1], "exit_code"), "a killed process's STOP line has exit_code");
	CHECK(p.secs < 2.5, "procmon ran %.2f s for a target killed at 0.3 s", p.secs);
out:
	it_log_free(&log);
	it_proc_free(&p);
out_dir:
	it_rmdir(dir);
}

/* A memory cgroup of 64 MiB without swap; its process list in @procs. Version 2
 * where its memory controller is enabled, else version 1's memory hierarchy. */
static bool make_memory_cgroup(char *cg, size_t size, char *procs, size_t psize, char *why,
			       size_t wsize)
{
	char path[PATH_MAX + 64], *ctl = it_read_file("/sys/fs/cgroup/cgroup.subtree_control");
	const char *base = NULL, *limit = NULL, *swap = NULL;
	bool v2 = ctl && strstr(ctl, "memory");
	struct stat st;
	int fd;

	free(ctl);
	if (v2) {
		base = "/sys/fs/cgroup", limit = "memory.max", swap = "memory.swap.max";
	} else if (stat("/sys/fs/cgroup/memory/memory.limit_in_bytes", &st) == 0) {
		base = "/sys/fs/cgroup/memory", limit = "memory.limit_in_bytes";
		swap = "memory.memsw.limit_in_bytes";	/* only with swap accounting */
	} else {
		snprintf(why, wsize, "no memory controller: neither memory in "
			 "/sys/fs/cgroup/cgroup.subtree_control (v2) nor /sys/fs/cgroup/memory (v1)");
		return false;
	}
	snprintf(cg, size, "%s/procmon-it-oom-%d", base, (int)getpid());
	if (mkdir(cg, 0755) && errno != EEXIST) {
		snprintf(why, wsize, "cannot create %s: %s", cg, strerror(errno));
		return false;
	}
	snprintf(path, sizeof(path), "%s/%s", cg, limit);
	fd = open(path, O_WRONLY);
	if (fd < 0 || dprintf(fd, "%d\n", 64 << 20) < 0) {
		snprintf(why, wsize, "cannot write %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		rmdir(cg);
		return false;
	}
	close(fd);
	snprintf(path, sizeof(path), "%s/%s", cg, swap);
	fd = open(path, O_WRONLY);
	if (fd >= 0) {
		if (dprintf(fd, v2 ? "0\n" : "%d\n", 64 << 20) < 0 && v2) {
			snprintf(why, wsize, "cannot write %s: %s", path, strerror(errno));
			close(fd);
			rmdir(cg);
			return false;
		}
		close(fd);
	}
	snprintf(procs, psize, "%s/cgroup.procs", cg);
	return true;
}

static void test_oom_kill_has_an_oom_line(void)
{
	char dir[64], log_path[128], cg[PATH_MAX], procs[PATH_MAX + 16], why[PATH_MAX + 128];
	const char *args[] = { "-q", "-i", "0.5", "--format", "jsonl", "-o", log_path, "--",
			       it_workload("bp_oom"), procs, "256", NULL };
	struct it_log log = { 0 };
	struct it_proc p;
	int oom_at, exit_at, n;

	if (!make_memory_cgroup(cg, sizeof(cg), procs, sizeof(procs), why, sizeof(why)))
		SKIP("%s", why);
	if (!it_tmpdir(dir, sizeof(dir))) {
		rmdir(cg);
		SKIP("no temporary directory");
	}
	snprintf(log_path, sizeof(log_path), "%s/log", dir);
	if (!run_traced(args, log_path, 137, &log, &p))
		goto out;
	n = count_events(&log, "oom", &oom_at);
	count_events(&log, "exit", &exit_at);
	printf("  256 MiB in a 64 MiB cgroup (%s): oom line %d, exit line %d with signal %lld, "
	       "procmon exit %d\n", cg, oom_at + 1, exit_at + 1,
	       exit_at >= 0 ? it_get_int(log.obj[exit_at], "signal", -1) : -1,
	       it_exit_code(p.status));
	CHECK(n == 1, "oom lines: expected 1, got %d", n);
	CHECK(oom_at >= 0 && exit_at > oom_at, "expected the oom line before the exit line, got "
	      "lines %d and %d", oom_at + 1, exit_at + 1);
	CHECK(exit_at >= 0 && it_get_int(log.obj[exit_at], "signal", -1) == 9,
	      "exit after the OOM kill: expected signal 9, got %lld",
	      exit_at >= 0 ? it_get_int(log.obj[exit_at], "signal", -1) : -1);
out:
	it_log_free(&log);
	it_proc_free(&p);
	it_rmdir(dir);
	/* The killed process may take a moment to leave the cgroup. */
	for (int i = 0; i < 50 && rmdir(cg) && errno == EBUSY; i++)
		usleep(20000);
}

/* --------------------------------------------------------- exit summary */

static void test_exit_summary_matches_the_last_line(void)
{
	char dir[64], log_path[128], rep_path[128];
	const char *args[] = { "-i", "0.05", "-o", log_path, "--", it_workload("touch_pages"), "32",
			       "2", rep_path, NULL };
	struct it_log log = { 0 };
	struct it_proc p;
	json_object *last;
	double wall, oncpu, peak_kib, faults, max_peak = 0;

	if (!it_tmpdir(dir, sizeof(dir)))
		SKIP("no temporary directory");
	snprintf(log_path, sizeof(log_path), "%s/log", dir);
	snprintf(rep_path, sizeof(rep_path), "%s/rusage", dir);
	if (!run_traced(args, log_path, 0, &log, &p))
		goto out;
	last = log.obj[log.n - 1];
	for (int i = 0; i < log.n; i++)
		max_peak = fmax(max_peak, it_get_num(log.obj[i], "memory_info.rss_peak"));
	CHECK(!strncmp(p.err, "procmon: pid ", 13), "the summary does not start 'procmon: pid ': %.80s",
	      p.err);
	wall = summary_value(p.err, "Elapsed (wall clock) time (s):");
	oncpu = summary_value(p.err, "On-CPU time, BPF (s):");
	peak_kib = summary_value(p.err, "Peak resident set size (kbytes):");
	faults = summary_value(p.err, "Page faults (minor + major):");
	printf("  summary: wall %.3f s, on-CPU %.6f s, peak %.0f KiB, faults %.0f; last line: "
	       "elapsed %.3f s, oncpu %.6f s, highest rss_peak %.0f KiB, pfaults %.0f\n", wall, oncpu,
	       peak_kib, faults, it_get_num(last, "elapsed_time"),
	       it_get_num(last, "sched.oncpu_ns") / 1e9, max_peak / 1024,
	       it_get_num(last, "memory_info.pfaults"));
	CHECK_NEAR(wall, it_get_num(last, "elapsed_time"), 0.01,
		   "summary wall time vs the last line's elapsed_time");
	CHECK_NEAR(oncpu, it_get_num(last, "sched.oncpu_ns") / 1e9, 1e-6,
		   "summary on-CPU vs the last line's oncpu_ns");
	CHECK(faults == it_get_num(last, "memory_info.pfaults"),
	      "summary page faults %.0f, last line's pfaults %.0f", faults,
	      it_get_num(last, "memory_info.pfaults"));
	/* The all-time high: every interval's peak, and the 32 MiB buffer. */
	CHECK(peak_kib >= floor(max_peak / 1024) && peak_kib * 1024 <= max_peak * 1.02,
	      "summary peak %.0f KiB: expected the highest rss_peak of the log, %.0f KiB", peak_kib,
	      max_peak / 1024);
	CHECK(peak_kib >= 32 * 1024, "summary peak %.0f KiB below the 32 MiB buffer", peak_kib);
out:
	it_log_free(&log);
	it_proc_free(&p);
	it_rmdir(dir);
}

static void test_quiet_has_no_summary(void)
{
	char dir[64], log_path[128];
	const char *args[] = { "-q", "-i", "0.1", "-o", log_path, "--", it_workload("exit_with"),
			       "code", "0", NULL };
	struct it_log log = { 0 };
	struct it_proc p;
	char line[200];

	if (!it_tmpdir(dir, sizeof(dir)))
		SKIP("no temporary directory");
	snprintf(log_path, sizeof(log_path), "%s/log", dir);
	if (run_traced(args, log_path, 0, &log, &p))
		CHECK(p.err[0] == '\0', "-q: expected nothing on stderr, got: %s",
		      it_first_line(p.err, line, sizeof(line)));
	it_log_free(&log);
	it_proc_free(&p);
	it_rmdir(dir);
}

int main(void)
{
	if (geteuid() != 0)
		check_skip_all("needs root to load BPF programs");
	RUN(test_rss_peak_catches_spikes_between_samples);
	RUN(test_runq_wait_of_three_threads_on_one_cpu);
	RUN(test_runq_wait_of_a_lone_sleeper_is_small);
	RUN(test_children_each_traced_with_their_faults);
	RUN(test_without_children_option_only_the_parent);
	RUN(test_thread_lines_name_and_time_each_thread);
	RUN(test_exec_line_has_the_new_cmdline);
	RUN(test_sigkill_from_outside_is_signal_9);
	RUN(test_oom_kill_has_an_oom_line);
	RUN(test_exit_summary_matches_the_last_line);
	RUN(test_quiet_has_no_summary);
	return check_summary();
}
