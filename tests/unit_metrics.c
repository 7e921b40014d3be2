// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests of user/metrics*.c: the exposition byte for byte in both formats, label
 * escaping, counters that never go back, hold-time expiry on an injected clock, the cap. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>

#include "check.h"
#include "metrics.h"
#include "metrics_http.h"
#include "metrics_render.h"

/* One process with every value set; the view of a registry holding only it is
 * the golden exposition below. */
static const struct metrics_proc app = {
	.pid = 42, .start_s = 1, .comm = "app", .cgroup = "/x/a",
	.page_faults = 10, .major_faults = 2, .oncpu_ns = 1500000000, .runq_wait_ns = 250000000,
	.voluntary = 3, .involuntary = 4, .labels = 5, .offcpu_measured = true,
	.offcpu_preempted_ns = 1, .offcpu_blocked_ns = 2000000000, .offcpu_sleep_ns = 30,
	.rss_bytes = 4096, .rss_peak_bytes = 8192,
};

static const char want_text[] =
	"# HELP procmon_page_faults_total Page faults, minor and major.\n"
	"# TYPE procmon_page_faults_total counter\n"
	"procmon_page_faults_total{pid=\"42\",comm=\"app\",cgroup=\"/x/a\"} 10\n"
	"# HELP procmon_major_faults_total Major page faults (the page was read from a file or swap).\n"
	"# TYPE procmon_major_faults_total counter\n"
	"procmon_major_faults_total{pid=\"42\",comm=\"app\",cgroup=\"/x/a\"} 2\n"
	"# HELP procmon_oncpu_seconds_total Time on a CPU.\n"
	"# TYPE procmon_oncpu_seconds_total counter\n"
	"procmon_oncpu_seconds_total{pid=\"42\",comm=\"app\",cgroup=\"/x/a\"} 1.5\n"
	"# HELP procmon_runqueue_wait_seconds_total Time runnable, waiting for a CPU.\n"
	"# TYPE procmon_runqueue_wait_seconds_total counter\n"
	"procmon_runqueue_wait_seconds_total{pid=\"42\",comm=\"app\",cgroup=\"/x/a\"} 0.25\n"
	"# HELP procmon_context_switches_total Context switches: voluntary (waits) and involuntary (preempted).\n"
	"# TYPE procmon_context_switches_total counter\n"
	"procmon_context_switches_total{pid=\"42\",comm=\"app\",cgroup=\"/x/a\",kind=\"voluntary\"} 3\n"
	"procmon_context_switches_total{pid=\"42\",comm=\"app\",cgroup=\"/x/a\",kind=\"involuntary\"} 4\n"
	"# HELP procmon_offcpu_seconds_total Time off the CPU: preempted (runnable), blocked (uninterruptible), sleep (interruptible).\n"
	"# TYPE procmon_offcpu_seconds_total counter\n"
	"procmon_offcpu_seconds_total{pid=\"42\",comm=\"app\",cgroup=\"/x/a\",state=\"preempted\"} 0.000000001\n"
	"procmon_offcpu_seconds_total{pid=\"42\",comm=\"app\",cgroup=\"/x/a\",state=\"blocked\"} 2\n"
	"procmon_offcpu_seconds_total{pid=\"42\",comm=\"app\",cgroup=\"/x/a\",state=\"sleep\"} 0.00000003\n"
	"# HELP procmon_labels_total procmon_label() calls seen.\n"
	"# TYPE procmon_labels_total counter\n"
	"procmon_labels_total{pid=\"42\",comm=\"app\",cgroup=\"/x/a\"} 5\n"
	"# HELP procmon_rss_bytes Resident set size at the last sample.\n"
	"# TYPE procmon_rss_bytes gauge\n"
	"procmon_rss_bytes{pid=\"42\",comm=\"app\",cgroup=\"/x/a\"} 4096\n"
	"# HELP procmon_rss_peak_bytes Highest resident set size since the previous scrape.\n"
	"# TYPE procmon_rss_peak_bytes gauge\n"
	"procmon_rss_peak_bytes{pid=\"42\",comm=\"app\",cgroup=\"/x/a\"} 8192\n"
	"# HELP procmon_run_page_faults_total All traced processes, exited too: Page faults, minor and major.\n"
	"# TYPE procmon_run_page_faults_total counter\n"
	"procmon_run_page_faults_total{cgroup=\"/x\"} 10\n"
	"# HELP procmon_run_major_faults_total All traced processes, exited too: Major page faults (the page was read from a file or swap).\n"
	"# TYPE procmon_run_major_faults_total counter\n"
	"procmon_run_major_faults_total{cgroup=\"/x\"} 2\n"
	"# HELP procmon_run_oncpu_seconds_total All traced processes, exited too: Time on a CPU.\n"
	"# TYPE procmon_run_oncpu_seconds_total counter\n"
	"procmon_run_oncpu_seconds_total{cgroup=\"/x\"} 1.5\n"
	"# HELP procmon_run_runqueue_wait_seconds_total All traced processes, exited too: Time runnable, waiting for a CPU.\n"
	"# TYPE procmon_run_runqueue_wait_seconds_total counter\n"
	"procmon_run_runqueue_wait_seconds_total{cgroup=\"/x\"} 0.25\n"
	"# HELP procmon_run_context_switches_total All traced processes, exited too: Context switches: voluntary (waits) and involuntary (preempted).\n"
	"# TYPE procmon_run_context_switches_total counter\n"
	"procmon_run_context_switches_total{cgroup=\"/x\",kind=\"voluntary\"} 3\n"
	"procmon_run_context_switches_total{cgroup=\"/x\",kind=\"involuntary\"} 4\n"
	"# HELP procmon_run_offcpu_seconds_total All traced processes, exited too: Time off the CPU: preempted (runnable), blocked (uninterruptible), sleep (interruptible).\n"
	"# TYPE procmon_run_offcpu_seconds_total counter\n"
	"procmon_run_offcpu_seconds_total{cgroup=\"/x\",state=\"preempted\"} 0.000000001\n"
	"procmon_run_offcpu_seconds_total{cgroup=\"/x\",state=\"blocked\"} 2\n"
	"procmon_run_offcpu_seconds_total{cgroup=\"/x\",state=\"sleep\"} 0.00000003\n"
	"# HELP procmon_run_labels_total All traced processes, exited too: procmon_label() calls seen.\n"
	"# TYPE procmon_run_labels_total counter\n"
	"procmon_run_labels_total{cgroup=\"/x\"} 5\n"
	"# HELP procmon_run_rss_bytes Resident set size of the live traced processes, summed.\n"
	"# TYPE procmon_run_rss_bytes gauge\n"
	"procmon_run_rss_bytes{cgroup=\"/x\"} 4096\n"
	"# HELP procmon_processes Traced processes alive.\n"
	"# TYPE procmon_processes gauge\n"
	"procmon_processes{cgroup=\"/x\"} 1\n"
	"# HELP procmon_processes_exited_total Traced processes that exited.\n"
	"# TYPE procmon_processes_exited_total counter\n"
	"procmon_processes_exited_total{cgroup=\"/x\"} 0\n"
	"# HELP procmon_processes_unexposed Live traced processes without their own series (over the cap); in the run_ totals.\n"
	"# TYPE procmon_processes_unexposed gauge\n"
	"procmon_processes_unexposed{cgroup=\"/x\"} 0\n";

static const char want_openmetrics[] =
	"# HELP procmon_page_faults Page faults, minor and major.\n"
	"# TYPE procmon_page_faults counter\n"
	"procmon_page_faults_total{pid=\"42\",comm=\"app\",cgroup=\"/x/a\"} 10\n"
	"# HELP procmon_major_faults Major page faults (the page was read from a file or swap).\n"
	"# TYPE procmon_major_faults counter\n"
	"procmon_major_faults_total{pid=\"42\",comm=\"app\",cgroup=\"/x/a\"} 2\n"
	"# HELP procmon_oncpu_seconds Time on a CPU.\n"
	"# TYPE procmon_oncpu_seconds counter\n"
	"# UNIT procmon_oncpu_seconds seconds\n"
	"procmon_oncpu_seconds_total{pid=\"42\",comm=\"app\",cgroup=\"/x/a\"} 1.5\n"
	"# HELP procmon_runqueue_wait_seconds Time runnable, waiting for a CPU.\n"
	"# TYPE procmon_runqueue_wait_seconds counter\n"
	"# UNIT procmon_runqueue_wait_seconds seconds\n"
	"procmon_runqueue_wait_seconds_total{pid=\"42\",comm=\"app\",cgroup=\"/x/a\"} 0.25\n"
	"# HELP procmon_context_switches Context switches: voluntary (waits) and involuntary (preempted).\n"
	"# TYPE procmon_context_switches counter\n"
	"procmon_context_switches_total{pid=\"42\",comm=\"app\",cgroup=\"/x/a\",kind=\"voluntary\"} 3\n"
	"procmon_context_switches_total{pid=\"42\",comm=\"app\",cgroup=\"/x/a\",kind=\"involuntary\"} 4\n"
	"# HELP procmon_offcpu_seconds Time off the CPU: preempted (runnable), blocked (uninterruptible), sleep (interruptible).\n"
	"# TYPE procmon_offcpu_seconds counter\n"
	"# UNIT procmon_offcpu_seconds seconds\n"
	"procmon_offcpu_seconds_total{pid=\"42\",comm=\"app\",cgroup=\"/x/a\",state=\"preempted\"} 0.000000001\n"
	"procmon_offcpu_seconds_total{pid=\"42\",comm=\"app\",cgroup=\"/x/a\",state=\"blocked\"} 2\n"
	"procmon_offcpu_seconds_total{pid=\"42\",comm=\"app\",cgroup=\"/x/a\",state=\"sleep\"} 0.00000003\n"
	"# HELP procmon_labels procmon_label() calls seen.\n"
	"# TYPE procmon_labels counter\n"
	"procmon_labels_total{pid=\"42\",comm=\"app\",cgroup=\"/x/a\"} 5\n"
	"# HELP procmon_rss_bytes Resident set size at the last sample.\n"
	"# TYPE procmon_rss_bytes gauge\n"
	"# UNIT procmon_rss_bytes bytes\n"
	"procmon_rss_bytes{pid=\"42\",comm=\"app\",cgroup=\"/x/a\"} 4096\n"
	"# HELP procmon_rss_peak_bytes Highest resident set size since the previous scrape.\n"
	"# TYPE procmon_rss_peak_bytes gauge\n"
	"# UNIT procmon_rss_peak_bytes bytes\n"
	"procmon_rss_peak_bytes{pid=\"42\",comm=\"app\",cgroup=\"/x/a\"} 8192\n"
	"# HELP procmon_run_page_faults All traced processes, exited too: Page faults, minor and major.\n"
	"# TYPE procmon_run_page_faults counter\n"
	"procmon_run_page_faults_total{cgroup=\"/x\"} 10\n"
	"# HELP procmon_run_major_faults All traced processes, exited too: Major page faults (the page was read from a file or swap).\n"
	"# TYPE procmon_run_major_faults counter\n"
	"procmon_run_major_faults_total{cgroup=\"/x\"} 2\n"
	"# HELP procmon_run_oncpu_seconds All traced processes, exited too: Time on a CPU.\n"
	"# TYPE procmon_run_oncpu_seconds counter\n"
	"# UNIT procmon_run_oncpu_seconds seconds\n"
	"procmon_run_oncpu_seconds_total{cgroup=\"/x\"} 1.5\n"
	"# HELP procmon_run_runqueue_wait_seconds All traced processes, exited too: Time runnable, waiting for a CPU.\n"
	"# TYPE procmon_run_runqueue_wait_seconds counter\n"
	"# UNIT procmon_run_runqueue_wait_seconds seconds\n"
	"procmon_run_runqueue_wait_seconds_total{cgroup=\"/x\"} 0.25\n"
	"# HELP procmon_run_context_switches All traced processes, exited too: Context switches: voluntary (waits) and involuntary (preempted).\n"
	"# TYPE procmon_run_context_switches counter\n"
	"procmon_run_context_switches_total{cgroup=\"/x\",kind=\"voluntary\"} 3\n"
	"procmon_run_context_switches_total{cgroup=\"/x\",kind=\"involuntary\"} 4\n"
	"# HELP procmon_run_offcpu_seconds All traced processes, exited too: Time off the CPU: preempted (runnable), blocked (uninterruptible), sleep (interruptible).\n"
	"# TYPE procmon_run_offcpu_seconds counter\n"
	"# UNIT procmon_run_offcpu_seconds seconds\n"
	"procmon_run_offcpu_seconds_total{cgroup=\"/x\",state=\"preempted\"} 0.000000001\n"
	"procmon_run_offcpu_seconds_total{cgroup=\"/x\",state=\"blocked\"} 2\n"
	"procmon_run_offcpu_seconds_total{cgroup=\"/x\",state=\"sleep\"} 0.00000003\n"
	"# HELP procmon_run_labels All traced processes, exited too: procmon_label() calls seen.\n"
	"# TYPE procmon_run_labels counter\n"
	"procmon_run_labels_total{cgroup=\"/x\"} 5\n"
	"# HELP procmon_run_rss_bytes Resident set size of the live traced processes, summed.\n"
	"# TYPE procmon_run_rss_bytes gauge\n"
	"# UNIT procmon_run_rss_bytes bytes\n"
	"procmon_run_rss_bytes{cgroup=\"/x\"} 4096\n"
	"# HELP procmon_processes Traced processes alive.\n"
	"# TYPE procmon_processes gauge\n"
	"procmon_processes{cgroup=\"/x\"} 1\n"
	"# HELP procmon_processes_exited Traced processes that exited.\n"
	"# TYPE procmon_processes_exited counter\n"
	"procmon_processes_exited_total{cgroup=\"/x\"} 0\n"
	"# HELP procmon_processes_unexposed Live traced processes without their own series (over the cap); in the run_ totals.\n"
	"# TYPE procmon_processes_unexposed gauge\n"
	"procmon_processes_unexposed{cgroup=\"/x\"} 0\n"
	"# EOF\n";

/* @m's exposition in @fmt (malloc'd). */
static char *render(struct metrics *m, enum metrics_format fmt)
{
	struct metrics_view *v = metrics_view(m);
	size_t len = 0;
	char *out = v ? metrics_render(v, fmt, &len) : NULL;

	CHECK(out && strlen(out) == len, "render: %s", out ? "length differs" : "NULL");
	free(v);
	return out;
}

/* The first line where @got and @want differ, for the message. */
static void check_same_text(const char *got, const char *want, const char *what)
{
	int line = 1;
	const char *g = got, *w = want;

	if (got && strcmp(got, want) == 0)
		return;
	for (; got && *g && *g == *w; g++, w++)
		line += *g == '\n';
	CHECK(0, "%s differs at line %d:\n    want: %.100s\n    got:  %.100s", what, line, w,
	      got ? g : "(null)");
}

static struct metrics *registry(double hold_s, unsigned int max_procs, const char *cgroup)
{
	struct metrics_config cfg = { .hold_s = hold_s, .max_procs = max_procs, .cgroup = cgroup };
	struct metrics *m = metrics_new(&cfg);

	CHECK(m, "metrics_new failed");
	return m;
}

static void test_exposition_is_exactly_text_004_and_openmetrics_100(void)
{
	struct metrics *m = registry(30, 8, "/x");
	char *text, *om;

	CHECK(metrics_update(m, &app, 0) == 0, "update failed");
	metrics_roll_peaks(m, true);
	text = render(m, METRICS_TEXT);
	om = render(m, METRICS_OPENMETRICS);
	check_same_text(text, want_text, "text format 0.0.4");
	check_same_text(om, want_openmetrics, "OpenMetrics 1.0.0");
	free(text);
	free(om);
	metrics_free(m);
}

/* The value of the sample line starting with @prefix (name and labels), or -1. */
static double sample(const char *exposition, const char *prefix)
{
	size_t n = strlen(prefix);

	for (const char *l = exposition; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL)
		if (strncmp(l, prefix, n) == 0 && l[n] == ' ')
			return strtod(l + n + 1, NULL);
	return -1;
}

static int count_lines(const char *exposition, const char *prefix)
{
	int n = 0;

	for (const char *l = exposition; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL)
		n += strncmp(l, prefix, strlen(prefix)) == 0;
	return n;
}

static void test_label_values_escaped_and_repaired_to_utf8(void)
{
	struct metrics *m = registry(30, 8, "/sl\\ice\n\"q\"");
	struct metrics_proc p = app;
	char *text, *om;

	p.comm = "a\\b\"c\nd\xff";		/* a backslash, a quote, a newline, a stray byte */
	p.cgroup = "/c\xc3";			/* cut inside a two-byte sequence */
	CHECK(metrics_update(m, &p, 0) == 0, "update failed");
	text = render(m, METRICS_TEXT);
	om = render(m, METRICS_OPENMETRICS);
	for (int f = 0; f < 2; f++) {
		const char *out = f ? om : text;

		CHECK_NEAR(sample(out, "procmon_page_faults_total{pid=\"42\",comm=\"a\\\\b\\\"c\\nd"
				  "\xef\xbf\xbd\",cgroup=\"/c\xef\xbf\xbd\"}"), 10, 0,
			   f ? "OpenMetrics: escaped comm and repaired cgroup" : "text: escaped comm");
		CHECK_NEAR(sample(out, "procmon_run_page_faults_total{cgroup=\"/sl\\\\ice\\n\\\"q\\\"\"}"),
			   10, 0, "the run's cgroup label escaped");
		/* No raw newline inside a sample: every line is a comment or starts with a name. */
		for (const char *l = out; *l; l = strchr(l, '\n') + 1)
			CHECK(*l == '#' || strncmp(l, "procmon_", 8) == 0, "stray line: %.40s", l);
	}
	free(text);
	free(om);
	metrics_free(m);
}

static void test_long_comm_cut_on_a_character(void)
{
	struct metrics *m = registry(30, 8, NULL);
	struct metrics_proc p = app;
	char comm[200], *text;

	/* 70 two-byte characters: 63 bytes hold 31 of them; no U+FFFD from the cut. */
	for (int i = 0; i < 70; i++)
		memcpy(comm + 2 * i, "\xc3\xa9", 2);
	comm[140] = '\0';
	p.comm = comm;
	p.cgroup = NULL;
	metrics_update(m, &p, 0);
	text = render(m, METRICS_TEXT);
	comm[62] = '\0';
	{
		char want[256];

		snprintf(want, sizeof(want), "procmon_labels_total{pid=\"42\",comm=\"%s\"}", comm);
		CHECK_NEAR(sample(text, want), 5, 0, "comm cut to 31 characters");
	}
	CHECK(!strstr(text, "\xef\xbf\xbd"), "a U+FFFD appeared from the cut");
	free(text);
	metrics_free(m);
}

static void test_counters_never_go_back(void)
{
	struct metrics *m = registry(30, 8, NULL);
	struct metrics_proc p = app;
	char *text;

	metrics_update(m, &p, 0);
	p.page_faults = 7;		/* less than the 10 seen: a stale read */
	p.oncpu_ns = 2000000000;
	p.rss_bytes = 1024;		/* a gauge may go down */
	metrics_update(m, &p, 1);
	text = render(m, METRICS_TEXT);
	CHECK_NEAR(sample(text, "procmon_page_faults_total{pid=\"42\",comm=\"app\",cgroup=\"/x/a\"}"),
		   10, 0, "page faults kept at their highest");
	CHECK_NEAR(sample(text, "procmon_oncpu_seconds_total{pid=\"42\",comm=\"app\",cgroup=\"/x/a\"}"),
		   2, 0, "on-CPU seconds grew");
	CHECK_NEAR(sample(text, "procmon_rss_bytes{pid=\"42\",comm=\"app\",cgroup=\"/x/a\"}"),
		   1024, 0, "RSS is a gauge");
	free(text);
	metrics_free(m);
}

static struct metrics_proc proc_n(int pid, unsigned long long faults)
{
	struct metrics_proc p = { .pid = pid, .start_s = 100 + pid, .comm = "w",
				  .page_faults = faults, .oncpu_ns = faults * 1000000,
				  .rss_bytes = 4096 };
	return p;
}

static void test_exited_series_held_then_dropped_totals_kept(void)
{
	struct metrics *m = registry(30, 8, NULL);
	struct metrics_proc a = proc_n(1, 100), b = proc_n(2, 50);
	char *text;

	metrics_update(m, &a, 0);
	metrics_update(m, &b, 0);
	a.page_faults = 120;
	metrics_exit(m, &a, 10);	/* its last sample comes with the exit */
	metrics_exit(m, &a, 11);	/* told twice: nothing changes */
	metrics_expire(m, 39.999);
	text = render(m, METRICS_TEXT);
	CHECK_NEAR(sample(text, "procmon_page_faults_total{pid=\"1\",comm=\"w\"}"), 120, 0,
		   "held 29.999 s after exit: final value still there");
	CHECK_NEAR(sample(text, "procmon_processes"), 1, 0, "live processes");
	CHECK_NEAR(sample(text, "procmon_processes_exited_total"), 1, 0, "exited");
	CHECK_NEAR(sample(text, "procmon_run_rss_bytes"), 4096, 0, "only the live one's RSS");
	free(text);
	metrics_expire(m, 40);
	text = render(m, METRICS_TEXT);
	CHECK(count_lines(text, "procmon_page_faults_total{pid=\"1\"") == 0,
	      "series of pid 1 still there 30 s after its exit");
	CHECK(count_lines(text, "procmon_rss_bytes{pid=\"1\"") == 0, "RSS series of pid 1 left");
	CHECK_NEAR(sample(text, "procmon_run_page_faults_total"), 170, 0,
		   "run total keeps the exited process");
	CHECK_NEAR(sample(text, "procmon_run_oncpu_seconds_total"), 0.15, 1e-12,
		   "run on-CPU keeps the exited process");
	CHECK_NEAR(sample(text, "procmon_processes_exited_total"), 1, 0, "exited after expiry");
	free(text);
	metrics_free(m);
}

static void test_reused_pid_is_a_new_process(void)
{
	struct metrics *m = registry(30, 8, NULL);
	struct metrics_proc a = proc_n(5, 100), again = proc_n(5, 3);
	char *text;

	metrics_update(m, &a, 0);
	metrics_exit(m, &a, 1);
	again.start_s = 999;		/* the same PID, another process */
	metrics_update(m, &again, 2);
	text = render(m, METRICS_TEXT);
	CHECK(count_lines(text, "procmon_page_faults_total{pid=\"5\"") == 1,
	      "one series for pid 5, got %d", count_lines(text, "procmon_page_faults_total{pid=\"5\""));
	CHECK_NEAR(sample(text, "procmon_page_faults_total{pid=\"5\",comm=\"w\"}"), 3, 0,
		   "the new process's own count");
	CHECK_NEAR(sample(text, "procmon_run_page_faults_total"), 103, 0, "both in the run total");
	free(text);
	metrics_free(m);
}

/* Series of per-process families: 9 lines per process with the off-CPU split
 * unmeasured (2 for context switches). */
static int process_series(const char *text)
{
	return count_lines(text, "procmon_page_faults_total{");
}

static void test_cap_bounds_series_under_churn(void)
{
	struct metrics *m = registry(30, 10, NULL);
	unsigned long long sum = 0;
	char *text;
	int most = 0;

	/* 100 children come and go, 20 alive at once, over 100 s: never more than 10. */
	for (int i = 0; i < 100; i++) {
		struct metrics_proc p = proc_n(1000 + i, (unsigned long long)i + 1);

		metrics_update(m, &p, i);
		sum += (unsigned long long)i + 1;
		if (i >= 20) {
			struct metrics_proc old = proc_n(1000 + i - 20, (unsigned long long)i - 19);

			metrics_exit(m, &old, i);
		}
		metrics_expire(m, i);
		text = render(m, METRICS_TEXT);
		if (process_series(text) > most)
			most = process_series(text);
		free(text);
	}
	text = render(m, METRICS_TEXT);
	CHECK(most == 10, "per-process series: at most 10 at once expected, saw %d", most);
	CHECK_NEAR(sample(text, "procmon_run_page_faults_total"), (double)sum, 0,
		   "every process in the run total, shown or not");
	CHECK_NEAR(sample(text, "procmon_processes"), 20, 0, "live");
	CHECK_NEAR(sample(text, "procmon_processes_unexposed"), 10, 0, "live without series");
	CHECK_NEAR(sample(text, "procmon_processes_exited_total"), 80, 0, "exited");
	CHECK(count_lines(text, "procmon_") - count_lines(text, "procmon_run_") <= 10 * 9 + 4,
	      "lines: %d", count_lines(text, "procmon_"));
	free(text);
	metrics_free(m);
}

static void test_cap_live_before_held_and_promotion(void)
{
	struct metrics *m = registry(30, 2, NULL);
	struct metrics_proc a = proc_n(1, 1), b = proc_n(2, 2), c = proc_n(3, 3), d = proc_n(4, 4);
	char *text;

	metrics_update(m, &a, 0);
	metrics_update(m, &b, 0);
	metrics_update(m, &c, 0);	/* over the cap: totals only */
	text = render(m, METRICS_TEXT);
	CHECK(count_lines(text, "procmon_page_faults_total{pid=\"3\"") == 0, "pid 3 over the cap");
	CHECK_NEAR(sample(text, "procmon_processes_unexposed"), 1, 0, "unexposed");
	free(text);
	metrics_exit(m, &a, 1);		/* held: keeps its place for now */
	metrics_update(m, &d, 2);	/* a new live process takes the held one's place */
	text = render(m, METRICS_TEXT);
	CHECK(count_lines(text, "procmon_page_faults_total{pid=\"1\"") == 0, "held pid 1 not evicted");
	CHECK(count_lines(text, "procmon_page_faults_total{pid=\"4\"") == 1, "pid 4 not shown");
	free(text);
	metrics_exit(m, &b, 3);
	metrics_expire(m, 33);		/* b's place frees: c, waiting since t=0, gets it */
	text = render(m, METRICS_TEXT);
	CHECK(count_lines(text, "procmon_page_faults_total{pid=\"3\"") == 1, "pid 3 not promoted");
	CHECK_NEAR(sample(text, "procmon_processes_unexposed"), 0, 0, "unexposed after promotion");
	CHECK_NEAR(sample(text, "procmon_run_page_faults_total"), 10, 0, "run total");
	free(text);
	metrics_free(m);
}

static double peak_of(struct metrics *m)
{
	char *text = render(m, METRICS_TEXT);
	double v = sample(text, "procmon_rss_peak_bytes{pid=\"9\",comm=\"w\"}");

	free(text);
	return v;
}

static void test_rss_peak_covers_samples_since_previous_scrape(void)
{
	struct metrics *m = registry(30, 8, NULL);
	struct metrics_proc p = proc_n(9, 1);

	p.rss_bytes = 50, p.rss_peak_bytes = 100;
	metrics_update(m, &p, 0);
	metrics_roll_peaks(m, true);
	CHECK_NEAR(peak_of(m), 100, 0, "first window");
	p.rss_peak_bytes = 60;
	metrics_update(m, &p, 1);
	metrics_roll_peaks(m, false);	/* the first view was never scraped */
	CHECK_NEAR(peak_of(m), 100, 0, "unscraped window carries its peak on");
	p.rss_peak_bytes = 70;
	metrics_update(m, &p, 2);
	metrics_roll_peaks(m, true);
	CHECK_NEAR(peak_of(m), 70, 0, "after a scrape: this window only");
	metrics_roll_peaks(m, true);	/* no sample in between */
	CHECK_NEAR(peak_of(m), 50, 0, "no sample: the RSS as it stands");
	metrics_free(m);
}

static void test_offcpu_split_only_where_measured(void)
{
	struct metrics *m = registry(30, 8, NULL);
	struct metrics_proc p = proc_n(3, 1);
	char *text;

	metrics_update(m, &p, 0);
	text = render(m, METRICS_OPENMETRICS);
	CHECK(count_lines(text, "procmon_offcpu_seconds_total{") == 0, "unmeasured split shown");
	CHECK(count_lines(text, "procmon_run_offcpu_seconds_total") == 0, "unmeasured run split");
	CHECK(count_lines(text, "# TYPE procmon_offcpu_seconds counter") == 1, "family still described");
	CHECK(strlen(text) > 6 && strcmp(text + strlen(text) - 6, "# EOF\n") == 0, "ends with # EOF");
	free(text);
	metrics_free(m);
}

static void test_accept_header_negotiation(void)
{
	static const struct { const char *accept; enum metrics_format want; } cases[] = {
		/* Prometheus 2.42's own header */
		{ "application/openmetrics-text;version=1.0.0,application/openmetrics-text;"
		  "version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1", METRICS_OPENMETRICS },
		{ "application/openmetrics-text; version=\"1.0.0\"; charset=utf-8", METRICS_OPENMETRICS },
		{ "Application/OpenMetrics-Text", METRICS_OPENMETRICS },
		{ "application/openmetrics-text;version=0.0.1", METRICS_TEXT },
		{ "application/openmetrics-text;q=0.2, text/plain", METRICS_TEXT },
		{ "text/plain;version=0.0.4;q=0.5,*/*;q=0.1", METRICS_TEXT },
		{ "application/openmetrics-text;q=0", METRICS_TEXT },
		{ "*/*", METRICS_TEXT },
		{ "", METRICS_TEXT },
		{ NULL, METRICS_TEXT },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK(metrics_negotiate(cases[i].accept) == cases[i].want, "Accept \"%s\": got %s",
		      cases[i].accept ? cases[i].accept : "(none)",
		      metrics_negotiate(cases[i].accept) == METRICS_TEXT ? "text" : "OpenMetrics");
	CHECK_STR(metrics_content_type(METRICS_OPENMETRICS),
		  "application/openmetrics-text; version=1.0.0; charset=utf-8");
	CHECK_STR(metrics_content_type(METRICS_TEXT), "text/plain; version=0.0.4; charset=utf-8");
}

static void test_address_parsing(void)
{
	static const char *const bad[] = { "9100", "localhost:9100", "127.0.0.1:", "127.0.0.1:x",
					   "127.0.0.1:65536", "::1:9100", "[::1]9100", "[]:80",
					   "[127.0.0.1]:80", "1.2.3:80 ", ":-1", ":+80", "" };
	struct metrics_addr a;
	const char *why = NULL;
	char host[64];
	const char *h = host;

	CHECK(metrics_addr_parse("127.0.0.1:9100", &a, &why) == 0, "127.0.0.1:9100: %s", why);
	CHECK(a.ss.ss_family == AF_INET && !a.any, "family %d", a.ss.ss_family);
	inet_ntop(AF_INET, &((struct sockaddr_in *)&a.ss)->sin_addr, host, sizeof(host));
	CHECK_STR(h, "127.0.0.1");
	CHECK(ntohs(((struct sockaddr_in *)&a.ss)->sin_port) == 9100, "port");
	CHECK(metrics_addr_parse("[::1]:65535", &a, &why) == 0, "[::1]:65535: %s", why);
	CHECK(a.ss.ss_family == AF_INET6, "family %d", a.ss.ss_family);
	CHECK(ntohs(((struct sockaddr_in6 *)&a.ss)->sin6_port) == 65535, "port");
	CHECK(metrics_addr_parse(":9100", &a, &why) == 0 && a.any, ":9100: every interface");
	CHECK_STR(a.text, ":9100");
	CHECK(metrics_addr_parse("0.0.0.0:0", &a, &why) == 0, "port 0: any free one");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		CHECK(metrics_addr_parse(bad[i], &a, &why) == -EINVAL && why, "\"%s\" accepted", bad[i]);
	}
}

int main(void)
{
	RUN(test_exposition_is_exactly_text_004_and_openmetrics_100);
	RUN(test_label_values_escaped_and_repaired_to_utf8);
	RUN(test_long_comm_cut_on_a_character);
	RUN(test_counters_never_go_back);
	RUN(test_exited_series_held_then_dropped_totals_kept);
	RUN(test_reused_pid_is_a_new_process);
	RUN(test_cap_bounds_series_under_churn);
	RUN(test_cap_live_before_held_and_promotion);
	RUN(test_rss_peak_covers_samples_since_previous_scrape);
	RUN(test_offcpu_split_only_where_measured);
	RUN(test_accept_header_negotiation);
	RUN(test_address_parsing);
	return check_summary();
}
