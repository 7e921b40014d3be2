// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The plot's phase table on a hand-made log: phases from the at_label counters,
 * the last one to the STOP line, totals per name, the .phases.dat text. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "phase_table.h"
#include "table.h"

#define MIB 1048576.0

static const char *const hand_log[] = {
	/* START: tracing begins at 0.01 s, every counter zero. */
	"{\"elapsed_time\": 0.01, \"pid\": 7, \"memory_info\": {\"rss\": 1048576, \"vms\": 1, "
	"\"pfaults\": 0, \"pageins\": 0, \"rss_peak\": 1048576}, \"sched\": {\"oncpu_ns\": 0, "
	"\"runq_wait_ns\": 0, \"offcpu_preempted_ns\": 0, \"offcpu_blocked_ns\": 0, "
	"\"offcpu_sleep_ns\": 0}, \"num_threads\": 1}",
	"{\"elapsed_time\": 1.001, \"pid\": 7, \"memory_info\": {\"rss\": 52428800, "
	"\"pfaults\": 1000}, \"label\": \"load\", \"label_elapsed_time\": 1.0, \"at_label\": "
	"{\"pfaults\": 1000, \"pageins\": 2, \"minflt\": 998, \"oncpu_ns\": 600000000, "
	"\"runq_wait_ns\": 10000000, \"voluntary\": 1, \"involuntary\": 2, "
	"\"offcpu_preempted_ns\": 20000000, \"offcpu_blocked_ns\": 100000000, "
	"\"offcpu_sleep_ns\": 200000000, \"rss\": 52428800, \"phase_rss_peak\": 62914560}}",
	"{\"elapsed_time\": 1.5, \"pid\": 7, \"memory_info\": {\"rss\": 73400320, "
	"\"rss_peak\": 83886080, \"pfaults\": 1200}}",
	/* A label without counters (TotalDepth's kind): no phase boundary. */
	"{\"elapsed_time\": 1.7, \"pid\": 7, \"label\": \"no counters\"}",
	/* A name with a quote, a tab and a newline: cleaned and quoted. */
	"{\"elapsed_time\": 2.0, \"pid\": 7, \"label\": \"compute \\\"x\\\"\\tnow\\n\", "
	"\"label_elapsed_time\": 2.0, \"at_label\": {\"pfaults\": 1500, \"oncpu_ns\": 1500000000, "
	"\"runq_wait_ns\": 30000000, \"offcpu_preempted_ns\": 50000000, "
	"\"offcpu_blocked_ns\": 100000000, \"offcpu_sleep_ns\": 400000000, \"rss\": 41943040, "
	"\"phase_rss_peak\": 83886080}}",
	/* pfaults goes back (two threads' snapshots): the phase gets 0. */
	"{\"elapsed_time\": 3.001, \"pid\": 7, \"memory_info\": {\"rss\": 31457280, "
	"\"pfaults\": 1500}, \"label\": \"load\", \"label_elapsed_time\": 3.0, \"at_label\": "
	"{\"pfaults\": 1400, \"oncpu_ns\": 2400000000, \"runq_wait_ns\": 30000000, "
	"\"offcpu_preempted_ns\": 60000000, \"offcpu_blocked_ns\": 100000000, "
	"\"offcpu_sleep_ns\": 400000000, \"rss\": 31457280, \"phase_rss_peak\": 88080384}}",
	/* An interval peak, which may be the time before the label's. */
	"{\"elapsed_time\": 3.2, \"pid\": 7, \"memory_info\": {\"rss\": 31457280, "
	"\"rss_peak\": 94371840, \"pfaults\": 1900}}",
	/* STOP: a zombie's RSS is 0; at_stop closes the last phase, its peak the
	 * tracer's since the label. */
	"{\"elapsed_time\": 3.5, \"pid\": 7, \"memory_info\": {\"rss\": 0, \"rss_peak\": 0, "
	"\"pfaults\": 2000, \"pageins\": 3}, \"sched\": {\"oncpu_ns\": 2600000000, "
	"\"runq_wait_ns\": 35000000, \"offcpu_preempted_ns\": 70000000, "
	"\"offcpu_blocked_ns\": 150000000, \"offcpu_sleep_ns\": 500000000}, \"event\": \"exit\", "
	"\"at_stop\": {\"pfaults\": 2000, \"pageins\": 3, \"oncpu_ns\": 2600000000, "
	"\"runq_wait_ns\": 35000000, \"offcpu_preempted_ns\": 70000000, "
	"\"offcpu_blocked_ns\": 150000000, \"offcpu_sleep_ns\": 500000000, \"rss\": 0, "
	"\"phase_rss_peak\": 94371840}}",
};

/* The same STOP line from a procmon without at_stop. */
static const char old_stop[] =
	"{\"elapsed_time\": 3.5, \"pid\": 7, \"memory_info\": {\"rss\": 0, \"rss_peak\": 0, "
	"\"pfaults\": 2000, \"pageins\": 3}, \"sched\": {\"oncpu_ns\": 2600000000, "
	"\"runq_wait_ns\": 35000000, \"offcpu_preempted_ns\": 70000000, "
	"\"offcpu_blocked_ns\": 150000000, \"offcpu_sleep_ns\": 500000000}, \"event\": \"exit\"}";

static struct plot_proc *load(struct plot_log *log, const char *const *lines, size_t n)
{
	memset(log, 0, sizeof(*log));
	for (size_t i = 0; i < n; i++)
		CHECK(plot_log_add_line(log, lines[i], strlen(lines[i]), i + 1) == 0, "line %zu", i + 1);
	CHECK(plot_log_finish(log) == 0, "finish");
	CHECK(log->nr_bad == 0, "%zu bad lines, first at %zu", log->nr_bad, log->first_bad_line);
	return plot_log_find(log, true, 7);
}

struct want {
	double start_s, end_s, wall_s, oncpu_s, runq_s, blocked_s, sleep_s, preempted_s;
	double faults, peak_mib;
	const char *name;
};

static void check_cost(const char *what, const struct phase_cost *c, const struct want *w)
{
	char buf[96];

#define NEAR(field, want, tol)								\
	do {										\
		snprintf(buf, sizeof(buf), "%s %s", what, #field);			\
		CHECK_NEAR(c->field, want, tol, buf);					\
	} while (0)
	NEAR(wall_s, w->wall_s, 1e-9);
	NEAR(oncpu_s, w->oncpu_s, 1e-9);
	NEAR(runq_s, w->runq_s, 1e-9);
	NEAR(blocked_s, w->blocked_s, 1e-9);
	NEAR(sleep_s, w->sleep_s, 1e-9);
	NEAR(preempted_s, w->preempted_s, 1e-9);
	NEAR(faults, w->faults, 0);
	NEAR(peak_rss_bytes, w->peak_mib * MIB, 0);
#undef NEAR
}

static void test_phases_from_at_label_to_stop(void)
{
	static const struct want want[] = {
		{ 0.01, 1.0, 0.99, 0.6, 0.01, 0.1, 0.2, 0.02, 1000, 60, "(start)" },
		{ 1.0, 2.0, 1.0, 0.9, 0.02, 0, 0.2, 0.03, 500, 80, "load" },
		{ 2.0, 3.0, 1.0, 0.9, 0, 0, 0, 0.01, 0, 84, "compute \"x\" now " },
		/* To the STOP line: its at_stop counters and peak. */
		{ 3.0, 3.5, 0.5, 0.2, 0.005, 0.05, 0.1, 0.01, 600, 90, "load" },
	};
	struct plot_log log;
	struct plot_proc *p = load(&log, hand_log, sizeof(hand_log) / sizeof(hand_log[0]));
	struct plot_phases ph;
	char what[32];

	REQUIRE_GOTO(p != NULL, out, "no process 7");
	REQUIRE_GOTO(plot_phases_build(p, &ph) == 0, out, "build");
	CHECK(ph.nr_rows == 4, "expected 4 phases, got %zu", ph.nr_rows);
	for (size_t i = 0; i < ph.nr_rows && i < 4; i++) {
		snprintf(what, sizeof(what), "phase %zu", i);
		CHECK_NEAR(ph.rows[i].start_s, want[i].start_s, 1e-9, what);
		CHECK_NEAR(ph.rows[i].end_s, want[i].end_s, 1e-9, what);
		CHECK_STR(ph.rows[i].name, want[i].name);
		check_cost(what, &ph.rows[i].cost, &want[i]);
	}
	/* "load" twice: counted, summed, the higher peak. */
	CHECK(ph.names_repeat, "load repeats");
	CHECK(ph.nr_totals == 3, "expected 3 names, got %zu", ph.nr_totals);
	if (ph.nr_totals == 3) {
		static const struct want load_total = { 0, 0, 1.5, 1.1, 0.025, 0.05, 0.3, 0.04,
							1100, 90, "load" };

		CHECK_STR(ph.totals[1].name, "load");
		CHECK(ph.totals[1].count == 2, "load count %zu", ph.totals[1].count);
		check_cost("load total", &ph.totals[1].cost, &load_total);
		CHECK(ph.totals[0].count == 1 && ph.totals[2].count == 1, "counts %zu %zu",
		      ph.totals[0].count, ph.totals[2].count);
	}
	plot_phases_free(&ph);
out:
	plot_log_free(&log);
}

static void test_phases_dat_text(void)
{
	struct plot_log log;
	struct plot_proc *p = load(&log, hand_log, sizeof(hand_log) / sizeof(hand_log[0]));
	struct plot_phases ph = { 0 };
	char *buf = NULL;
	size_t size = 0;
	FILE *f;

	if (!p || plot_phases_build(p, &ph)) {
		CHECK(0, "no phases");
		goto out;
	}
	f = open_memstream(&buf, &size);
	CHECK(plot_write_phases(f, p, &ph) == 0, "write");
	fclose(f);
	CHECK(buf && strstr(buf, "\n# start_s\tend_s\twall_s\toncpu_s\trunq_s\tblocked_s\tsleep_s\t"
			    "preempted_s\tfaults\tpeak_rss_bytes\tname\n"), "header in:\n%s", buf);
	CHECK(buf && strstr(buf, "\n0.010000\t1.000000\t0.990000000\t0.600000000\t0.010000000\t"
			    "0.100000000\t0.200000000\t0.020000000\t1000\t62914560\t\"(start)\"\n"),
	      "(start) row in:\n%s", buf);
	/* The name last, its quote escaped, tab and newline made spaces. */
	CHECK(buf && strstr(buf, "\t0\t88080384\t\"compute \\\"x\\\" now \"\n"),
	      "compute row in:\n%s", buf);
	CHECK(buf && strstr(buf, "\n3.000000\t3.500000\t"), "last row in:\n%s", buf);
	/* Four comment lines and four rows, nothing else. */
	{
		int lines = 0;

		for (const char *c = buf; c && *c; c++)
			lines += *c == '\n';
		CHECK(lines == 4 + 4, "expected 4 comment lines and 4 rows, got %d lines", lines);
	}
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &size);
	CHECK(plot_write_phase_totals(f, p, &ph) == 0, "write totals");
	fclose(f);
	CHECK(buf && strstr(buf, "\n2\t1.500000000\t1.100000000\t"), "load total row in:\n%s", buf);
	CHECK(buf && strstr(buf, "\t1100\t94371840\t\"load\"\n"), "load total end in:\n%s", buf);
	free(buf);
out:
	plot_phases_free(&ph);
	plot_log_free(&log);
}

/* A log without at_stop: the last phase ends at the last sample, its peak the
 * highest RSS sampled in it (an interval peak may be from before the label). */
static void test_old_log_without_at_stop(void)
{
	const size_t n = sizeof(hand_log) / sizeof(hand_log[0]);
	const char *lines[sizeof(hand_log) / sizeof(hand_log[0])];
	struct plot_phases ph = { 0 };
	struct plot_log log;
	struct plot_proc *p;

	memcpy(lines, hand_log, sizeof(lines));
	lines[n - 1] = old_stop;
	p = load(&log, lines, n);
	REQUIRE_GOTO(p && plot_phases_build(p, &ph) == 0 && ph.nr_rows == 4, out,
		     "expected 4 phases");
	CHECK_NEAR(ph.rows[3].cost.faults, 600, 0, "last phase faults, from the last sample");
	CHECK_NEAR(ph.rows[3].cost.oncpu_s, 0.2, 1e-9, "last phase on-CPU");
	CHECK_NEAR(ph.rows[3].cost.peak_rss_bytes, 30 * MIB, 0, "last phase peak: sampled RSS");
out:
	plot_phases_free(&ph);
	plot_log_free(&log);
}

/* A TotalDepth log has labels but no counters: no phase table. */
static void test_labels_without_counters_give_no_phases(void)
{
	static const char *const lines[] = {
		"{\"elapsed_time\": 0.5, \"pid\": 7, \"memory_info\": {\"rss\": 1}}",
		"{\"elapsed_time\": 1.0, \"pid\": 7, \"label\": \"a\"}",
		"{\"elapsed_time\": 2.0, \"pid\": 7, \"label\": \"b\", \"memory_info\": {\"rss\": 2}}",
	};
	struct plot_log log;
	struct plot_proc *p = load(&log, lines, 3);
	struct plot_phases ph = { 0 };

	CHECK(p && p->nr_labels == 2, "two labels");
	CHECK(p && plot_phases_build(p, &ph) == 0 && ph.nr_rows == 0 && !ph.names_repeat,
	      "expected no phases, got %zu", p ? ph.nr_rows : 0);
	plot_phases_free(&ph);
	plot_log_free(&log);
}

/* A label after the last sample: the last phase has no time and costs nothing. */
static void test_label_after_last_sample(void)
{
	static const char *const lines[] = {
		"{\"elapsed_time\": 0.5, \"pid\": 7, \"memory_info\": {\"rss\": 1, \"pfaults\": 0}}",
		"{\"pid\": 7, \"label\": \"late\", \"label_elapsed_time\": 0.9, "
		"\"at_label\": {\"pfaults\": 10, \"oncpu_ns\": 1000, \"rss\": 4096, "
		"\"phase_rss_peak\": 8192}}",
	};
	struct plot_log log;
	struct plot_proc *p = load(&log, lines, 2);
	struct plot_phases ph = { 0 };

	REQUIRE_GOTO(p && plot_phases_build(p, &ph) == 0 && ph.nr_rows == 2, out,
		     "expected 2 phases, got %zu", ph.nr_rows);
	CHECK_NEAR(ph.rows[0].cost.faults, 10, 0, "first phase faults");
	CHECK(isnan(ph.rows[0].cost.blocked_s), "blocked unknown: %g", ph.rows[0].cost.blocked_s);
	CHECK_NEAR(ph.rows[0].cost.wall_s, 0.4, 1e-12, "first phase wall, from START");
	CHECK_NEAR(ph.rows[1].cost.wall_s, 0, 0, "last phase wall");
	CHECK_NEAR(ph.rows[1].cost.faults, 0, 0, "last phase faults");
	CHECK_NEAR(ph.rows[1].cost.peak_rss_bytes, 4096, 0, "last phase peak");
	CHECK_STR(ph.rows[1].name, "late");
out:
	plot_phases_free(&ph);
	plot_log_free(&log);
}

/* The tracer charges off-CPU time when a thread comes back: a 1 s sleep of
 * one thread seen at 0.1 s samples is put back where it happened. */
static void test_offcpu_moved_back_to_where_it_happened(void)
{
	struct plot_sample s[12];
	struct plot_proc p = { .has_pid = true, .pid = 7, .samples = s, .nr_samples = 12 };
	struct plot_table t = { 0 };

	for (int i = 0; i < 12; i++) {
		for (int m = 0; m < PLOT_NR_METRICS; m++)
			s[i].metric[m] = NAN;
		s[i].t_s = i * 0.1;
		s[i].metric[PLOT_NUM_THREADS] = 1;
		/* On CPU until 0.1 s, asleep until 1.05 s, on CPU after. */
		s[i].metric[PLOT_ONCPU_NS] = i == 0 ? 0 : i <= 10 ? 1e8 : 1.5e8;
		s[i].metric[PLOT_OFFCPU_SLEEP_NS] = i <= 10 ? 0 : 0.95e9;
		s[i].metric[PLOT_OFFCPU_BLOCKED_NS] = 0;
		s[i].metric[PLOT_OFFCPU_PREEMPTED_NS] = 0;
	}
	REQUIRE_GOTO(plot_table_build(&p, 0, &t) == 0 && t.nr_rows == 12, out,
		     "build: %zu rows, expected 12", t.nr_rows);
	CHECK(isnan(t.rows[0].v[PLOT_COL_SLEEP_PCT]), "first row has no rate");
	CHECK_NEAR(t.rows[1].v[PLOT_COL_SLEEP_PCT], 0, 1e-6, "on CPU until 0.1 s");
	for (int i = 2; i <= 10; i++)
		CHECK_NEAR(t.rows[i].v[PLOT_COL_SLEEP_PCT], 100, 1e-6, "asleep");
	CHECK_NEAR(t.rows[11].v[PLOT_COL_SLEEP_PCT], 50, 1e-6, "woke half-way");
	CHECK_NEAR(t.rows[11].v[PLOT_COL_BLOCKED_PCT], 0, 0, "never blocked");
out:
	plot_table_free(&t);
}

int main(void)
{
	RUN(test_phases_from_at_label_to_stop);
	RUN(test_phases_dat_text);
	RUN(test_labels_without_counters_give_no_phases);
	RUN(test_label_after_last_sample);
	RUN(test_old_log_without_at_stop);
	RUN(test_offcpu_moved_back_to_where_it_happened);
	return check_summary();
}
