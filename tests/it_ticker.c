// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Samples below 10 ms come from a kernel timer (issue 14): every sample there, in
 * time order with the event and label lines, exact at the end, nothing left
 * loaded or held after kill -9. */
#include <math.h>
#include <signal.h>
#include <time.h>

#include "check.h"
#include "itest.h"

#define TIMEOUT_S 60.0

static char dir[64];

static const char *in_dir(const char *name)
{
	return it_in_dir(dir, name);
}

/* The "timestamp" of @o ("%Y-%m-%d %H:%M:%S.%f", local time) in seconds. */
static double timestamp_s(json_object *o)
{
	const char *text = it_get_str(o, "timestamp");
	struct tm tm = { .tm_isdst = -1 };
	const char *frac;

	if (!text || !(frac = strptime(text, "%Y-%m-%d %H:%M:%S", &tm)) || *frac != '.')
		return NAN;
	return (double)mktime(&tm) + atof(frac);
}

/* Lines of @pid in the log: their times go forward (elapsed and timestamp
 * together), and the counters never go back. Returns the number of lines that
 * broke that, and in *@plain the periodic lines. */
static int out_of_order(const struct it_log *log, pid_t pid, int *plain)
{
	static const char *const counters[] = { "memory_info.pfaults", "sched.oncpu_ns",
						"sched.voluntary", "io_counters.read_chars" };
	double last_el = -1, skew, base = NAN;
	long long last[4] = { -1, -1, -1, -1 }, v;
	int bad = 0;

	*plain = 0;
	for (int i = 0; i < log->n; i++) {
		json_object *o = log->obj[i];
		double el = it_get_num(o, "elapsed_time"), ts = timestamp_s(o);

		if (it_get_int(o, "pid", -1) != pid)
			continue;
		*plain += log->mark[i] == IT_MARK_PLAIN && !it_get_str(o, "event") &&
			  !it_get_str(o, "label");
		/* The wall clock of each line is its start plus its elapsed time. */
		skew = isnan(base) ? 0 : fabs(ts - el - base);
		if (isnan(base))
			base = ts - el;
		if (el < last_el || skew > 0.003) {
			if (bad++ < 3)
				printf("  line %d: elapsed %.6f after %.6f, clock off by %.6f s\n", i,
				       el, last_el, skew);
		}
		last_el = el;
		for (size_t k = 0; k < sizeof(counters) / sizeof(*counters); k++) {
			v = it_get_int(o, counters[k], -1);
			if (v >= 0 && v < last[k] && bad++ < 3)
				printf("  line %d: %s %lld after %lld\n", i, counters[k], v, last[k]);
			if (v >= 0)
				last[k] = v;
		}
	}
	return bad;
}

/* At 1 kHz: a line per millisecond the process lived, every line in order, the
 * touched pages' peak seen between samples, the last line exact against the
 * workload's own getrusage. */
static void test_1khz_samples_in_order_and_exact(void)
{
	const char *log_path = in_dir("touch.log"), *truth = in_dir("touch.truth");
	const char *args[] = { "-i", "0.001", "-o", log_path, "--", it_workload("touch_pages"),
			       "64", "4", truth, NULL };
	long minflt = -1, majflt = -1, pages = -1;
	long long utime_us = 0, stime_us = 0, peak = 0, pf;
	double wall, oncpu;
	json_object *last;
	struct it_log log;
	struct it_proc p;
	int plain, bad;
	FILE *f;

	if (!it_run_traced(args, &it_as_root, TIMEOUT_S, 0, log_path, &log, &p))
		goto out;
	f = fopen(truth, "re");
	CHECK(f && fscanf(f, "%ld %ld %lld %lld %ld", &minflt, &majflt, &utime_us, &stime_us,
			  &pages) == 5, "no ground truth from the workload");
	if (f)
		fclose(f);
	last = log.n ? log.obj[log.n - 1] : NULL;
	REQUIRE_GOTO(last && log.mark[log.n - 1] == IT_MARK_STOP, out, "no STOP line last");
	bad = out_of_order(&log, (pid_t)it_get_int(last, "pid", -1), &plain);
	for (int i = 0; i < log.n; i++)
		if (it_get_int(log.obj[i], "memory_info.rss_peak", 0) > peak)
			peak = it_get_int(log.obj[i], "memory_info.rss_peak", 0);
	wall = it_get_num(last, "elapsed_time");
	pf = it_get_int(last, "memory_info.pfaults", -1);
	oncpu = (double)it_get_int(last, "sched.oncpu_ns", 0) / 1e9;
	printf("  %d periodic lines in %.3f s, %d out of order; pfaults %lld vs getrusage %ld; "
	       "on-CPU %.4f vs %.4f s; peak %lld MiB\n", plain, wall, bad, pf, minflt + majflt,
	       oncpu, (double)(utime_us + stime_us) / 1e6, peak >> 20);
	CHECK(bad == 0, "%d lines out of order", bad);
	/* A late timer skips a tick as a timerfd does; most of them are there. */
	CHECK(plain >= (int)(wall * 1000 * 0.7), "%d periodic lines in %.3f s at 1 kHz", plain,
	      wall);
	/* getrusage also counts the child's few faults between fork and exec, part of
	 * them before procmon's baseline: within a page table's worth either way. */
	CHECK(llabs(pf - (minflt + majflt)) <= 64,
	      "pfaults %lld, the workload counted %ld before its exit", pf, minflt + majflt);
	CHECK_NEAR(oncpu, (double)(utime_us + stime_us) / 1e6, 0.02 + oncpu * 0.05,
		   "on-CPU vs utime+stime");
	CHECK(peak >= 60ll << 20, "rss_peak %lld MiB: the 64 MiB mapped each round not seen",
	      peak >> 20);
out:
	it_log_free(&log);
	it_proc_free(&p);
}

/* A label's line falls between the samples before and after it, and every call
 * is there: the samples' drain and the labels' events share one buffer. */
static void test_labels_in_time_order_at_1khz(void)
{
	const char *log_path = in_dir("labels.log");
	const char *args[] = { "-i", "0.001", "-o", log_path, "--", it_workload("label_burst"),
			       "0.1", "one", "two", "three", "four", "five", NULL };
	struct it_log log;
	struct it_proc p;
	int plain = 0, bad, labels = 0;

	if (!it_run_traced(args, &it_as_root, TIMEOUT_S, 0, log_path, &log, &p))
		goto out;
	for (int i = 0; i < log.n; i++)
		labels += it_get_str(log.obj[i], "label") != NULL;
	bad = log.n ? out_of_order(&log, (pid_t)it_get_int(log.obj[0], "pid", -1), &plain) : -1;
	printf("  %d labels, %d periodic lines, %d out of order\n", labels, plain, bad);
	CHECK(labels == 5, "%d label lines, 5 calls", labels);
	CHECK(bad == 0, "%d lines out of order", bad);
	CHECK(plain >= 150, "%d periodic lines in 0.3 s at 1 kHz", plain);
out:
	it_log_free(&log);
	it_proc_free(&p);
}

/* Lines whose timestamps go back, over the whole log (every process). */
static int backsteps(const struct it_log *log)
{
	double last = 0, ts;
	int n = 0;

	for (int i = 0; i < log->n; i++) {
		ts = timestamp_s(log->obj[i]);
		n += ts < last;
		if (ts > last)
			last = ts;
	}
	return n;
}

/* -c at 1 kHz: each of 15 children started at once has its START, periodic and
 * STOP lines, in order, and its STOP line when it ends (no samples of a dead
 * process); no sample is skipped; the log as a whole is in time order. */
static void test_children_each_sampled_at_1khz(void)
{
	const char *log_path = in_dir("children.log");
	const char *args[] = { "-c", "-i", "0.001", "-o", log_path, "--", "sh", "-c",
			       "for i in $(seq 15); do sleep 0.3 & done; wait", NULL };
	int starts = 0, stops = 0, bad = 0, thin = 0, late = 0, sleeps = 0, back, plain;
	struct it_log log;
	struct it_proc p;

	if (!it_run_traced(args, &it_as_root, TIMEOUT_S, 0, log_path, &log, &p))
		goto out;
	for (int i = 0; i < log.n; i++) {
		pid_t pid = (pid_t)it_get_int(log.obj[i], "pid", -1);
		json_object *stop = it_log_last(&log, pid);
		double lived = stop ? it_get_num(stop, "elapsed_time") : 0;

		if (log.mark[i] != IT_MARK_START)
			continue;
		starts++;
		bad += out_of_order(&log, pid, &plain) != 0;
		/* A sleep 0.3 lives ~300 ms: 1 kHz gives it a line a millisecond. */
		if (lived >= 0.25 && plain < (int)(lived * 1000 * 0.7)) {
			if (thin++ < 3)
				printf("  pid %d: %d lines in %.3f s\n", (int)pid, plain, lived);
		}
		/* sleep 0.3: its exit is seen at once, its samples stop there. */
		if (it_exec_cmdline(&log, pid) && !strcmp(it_exec_cmdline(&log, pid), "sleep 0.3")) {
			sleeps++;
			late += lived > 0.4 || lived < 0.3;
		}
	}
	back = backsteps(&log);
	stops = it_log_count_mark(&log, IT_MARK_STOP);
	printf("  %d START, %d STOP lines; %d processes out of order, %d with few lines, %d of "
	       "%d sleeps ended off time; %d lines back in time\n", starts, stops, bad, thin, late,
	       sleeps, back);
	CHECK(starts >= 16 && stops == starts, "%d START and %d STOP lines for 16+ processes",
	      starts, stops);
	CHECK(sleeps == 15 && late == 0, "%d of %d sleep 0.3 lived outside 0.3-0.4 s in the log",
	      late, sleeps);
	CHECK(back == 0, "%d lines go back in time", back);
	CHECK(bad == 0, "%d processes with lines out of order", bad);
	CHECK(thin == 0, "%d children had fewer than 0.7 lines a millisecond", thin);
	CHECK(!strstr(p.err, "skipped"), "samples skipped: %s", p.err);
out:
	it_log_free(&log);
	it_proc_free(&p);
}

/* The main thread leaves with pthread_exit and a thread runs on: its samples
 * still show the process's memory (its live threads' /proc), not the zombie's 0. */
static void test_main_thread_gone_keeps_memory_at_1khz(void)
{
	const char *log_path = in_dir("main_exit.log");
	const char *args[] = { "-i", "0.001", "-o", log_path, "--", it_workload("main_exit"), "8",
			       "300", NULL };
	int lines = 0, empty = 0;
	struct it_log log;
	struct it_proc p;

	if (!it_run_traced(args, &it_as_root, TIMEOUT_S, 0, log_path, &log, &p))
		goto out;
	for (int i = 0; i < log.n; i++) {
		if (log.mark[i] != IT_MARK_PLAIN || it_get_num(log.obj[i], "elapsed_time") < 0.1)
			continue;	/* after the main thread is gone */
		lines++;
		empty += it_get_int(log.obj[i], "memory_info.rss", 0) == 0 ||
			 it_get_int(log.obj[i], "memory_info.vms", 0) == 0;
	}
	printf("  %d lines after 0.1 s, %d with rss or vms 0\n", lines, empty);
	CHECK(lines >= 100, "%d lines after 0.1 s", lines);
	CHECK(empty <= 2, "%d of %d lines show no memory", empty, lines);
out:
	it_log_free(&log);
	it_proc_free(&p);
}

/* Far more than 1 kHz can write (200 children, -t): procmon skips samples and
 * says so, but follows every process to its end, and the command runs as fast as
 * without the samples (no livelock: it was held by ptrace behind the lines). */
static void test_overload_skips_samples_not_processes(void)
{
	const char *log_path = in_dir("overload.log");
	const char *args[] = { "-c", "-t", "-i", "0.001", "-o", log_path, "--", "sh", "-c",
			       "for i in $(seq 200); do sleep 0.2 & done; wait", NULL };
	double t0 = it_now_s(), wall;
	struct it_log log;
	struct it_proc p;
	int stops;

	if (!it_run_traced(args, &it_as_root, TIMEOUT_S, 0, log_path, &log, &p))
		goto out;
	wall = it_now_s() - t0;
	stops = it_log_count_mark(&log, IT_MARK_STOP);
	printf("  %d STOP lines in %.2f s; %s", stops, wall, p.err);
	CHECK(stops >= 201, "%d STOP lines for 201+ processes", stops);
	CHECK(wall < 10, "the run took %.1f s", wall);
out:
	it_log_free(&log);
	it_proc_free(&p);
}

/* kill -9 while the timer samples: its program and maps go with procmon's
 * descriptors (nothing keeps ticking), the attached process runs on unheld, and
 * the log has whole lines only. */
static void test_kill9_at_1khz_leaves_nothing(void)
{
	const char *log_path = in_dir("kill9.log");
	const char *sleeper[] = { "sleep", "30", NULL };
	int progs_left = -1, n_names = 0;
	const char *names[IT_MAX_IDS];
	struct it_proc p = { 0 }, s = { 0 };
	struct it_bpf_ids ids;
	json_object *progs;
	struct it_log log = { 0 };
	bool ticker = false;
	char state = '?', pid_text[16], path[64], *stat;

	REQUIRE_GOTO(it_start(&s, sleeper, NULL) == 0, out, "cannot start sleep");
	snprintf(pid_text, sizeof(pid_text), "%d", (int)s.pid);
	{
		const char *argv[] = { it_procmon(), "-i", "0.001", "-o", log_path, "-p", pid_text,
				       NULL };

		REQUIRE_GOTO(it_start(&p, argv, &it_as_root) == 0, out, "cannot start procmon");
	}
	it_wait_lines(log_path, 50);
	it_bpf_ids_of(p.pid, &ids);
	progs = it_bpftool_list("prog");
	it_count_listed(progs, ids.progs, ids.n_progs, names, &n_names);
	for (int i = 0; i < n_names; i++)
		ticker |= names[i] && !strcmp(names[i], "ticker_start");
	json_object_put(progs);
	CHECK(ticker, "procmon -i 0.001 holds no ticker_start program");
	kill(p.pid, SIGKILL);
	it_finish(&p, 5);
	for (int i = 0; i < 20; i++) {
		progs = it_bpftool_list("prog");
		progs_left = it_count_listed(progs, ids.progs, ids.n_progs, NULL, NULL);
		json_object_put(progs);
		if (!progs_left)
			break;
		usleep(50000);
	}
	usleep(100000);
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)s.pid);
	stat = it_read_file(path);
	if (stat && strrchr(stat, ')'))
		state = strrchr(stat, ')')[2];
	free(stat);
	CHECK(it_log_load(log_path, &log) == 0, "no log");
	printf("  %d programs held, %d left after kill -9; the process is in state %c; %d lines, "
	       "%d unparseable\n", ids.n_progs, progs_left, state, log.n, log.bad);
	CHECK(progs_left == 0, "%d of procmon's %d BPF programs remain after kill -9", progs_left,
	      ids.n_progs);
	CHECK(state == 'S', "the attached process is in state %c after procmon's kill -9", state);
	CHECK(log.n >= 50 && log.bad == 0, "%d lines, %d unparseable, first: %s", log.n, log.bad,
	      log.first_bad);
out:
	if (s.pid > 0) {
		kill(s.pid, SIGKILL);
		it_finish(&s, 5);
	}
	it_log_free(&log);
	it_proc_free(&p);
	it_proc_free(&s);
}

int main(void)
{
	if (geteuid() != 0)
		check_skip_all("needs root (BPF)");
	if (!it_tmpdir(dir, sizeof(dir)))
		check_skip_all("no temporary directory");
	RUN(test_1khz_samples_in_order_and_exact);
	RUN(test_labels_in_time_order_at_1khz);
	RUN(test_children_each_sampled_at_1khz);
	RUN(test_main_thread_gone_keeps_memory_at_1khz);
	RUN(test_overload_skips_samples_not_processes);
	RUN(test_kill9_at_1khz_leaves_nothing);
	it_rmdir(dir);
	return check_summary();
}
