// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The plot data path without gnuplot: log lines to records, records to
 * per-pid series and rates, untrusted text to safe gnuplot data fields. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "datfile.h"
#include "layout.h"
#include "logread.h"
#include "proc_chart.h"
#include "table.h"
#include "text.h"

#define DATA "tests/data/plot/"
#define MIB 1048576.0

static int parse(const char *line, struct plot_record *rec)
{
	return plot_parse_line(line, strlen(line), rec);
}

static void test_jsonl_sample_has_every_field(void)
{
	struct plot_record r;
	int err = parse("{\"timestamp\": \"2024-05-06 10:00:00.500000\", \"elapsed_time\": 0.5, "
			"\"pid\": 42, \"ppid\": 1, \"comm\": \"w\", \"cmdline\": \"./w -x\", "
			"\"memory_info\": {\"rss\": 4096, \"vms\": 8192, \"pfaults\": 7, "
			"\"pageins\": 2, \"rss_peak\": 5000}, \"cpu_times\": {\"user\": 0.25, "
			"\"system\": 0.5, \"children_user\": 0, \"children_system\": 0}, "
			"\"sched\": {\"oncpu_ns\": 18446744073709551000, \"runq_wait_ns\": 3, "
			"\"voluntary\": 4, \"involuntary\": 5, \"offcpu_preempted_ns\": 6, "
			"\"offcpu_blocked_ns\": 7, \"offcpu_sleep_ns\": 8}, \"io_counters\": "
			"{\"read_count\": 1, \"write_count\": 2, \"read_bytes\": 4096, "
			"\"write_bytes\": 8192, \"read_chars\": 100, \"write_chars\": 200}, "
			"\"num_threads\": 3}", &r);

	REQUIRE(err == 0, "expected 0, got %d", err);
	CHECK(r.kinds == PLOT_KIND_SAMPLE, "kinds %u", r.kinds);
	CHECK(r.metrics_present == (1u << PLOT_NR_METRICS) - 1, "metrics %#x", r.metrics_present);
	CHECK_NEAR(r.elapsed_s, 0.5, 0, "elapsed");
	CHECK(r.has_pid && r.pid == 42 && r.has_ppid && r.ppid == 1, "pid %lld ppid %lld",
	      r.pid, r.ppid);
	CHECK_NEAR(r.metric[PLOT_RSS_BYTES], 4096, 0, "rss");
	CHECK_NEAR(r.metric[PLOT_RSS_PEAK_BYTES], 5000, 0, "rss_peak");
	CHECK_NEAR(r.metric[PLOT_CPU_SYSTEM_S], 0.5, 0, "system");
	/* uint64 counters above INT64_MAX keep their value. */
	CHECK_NEAR(r.metric[PLOT_ONCPU_NS], 18446744073709551000.0, 1e5, "oncpu_ns");
	CHECK_NEAR(r.metric[PLOT_NUM_THREADS], 3, 0, "num_threads");
	CHECK_NEAR(r.metric[PLOT_OFFCPU_BLOCKED_NS], 7, 0, "offcpu_blocked_ns");
	CHECK_NEAR(r.metric[PLOT_IO_WRITE_BYTES], 8192, 0, "io_counters.write_bytes");
	CHECK_NEAR(r.metric[PLOT_IO_READ_CHARS], 100, 0, "io_counters.read_chars");
	CHECK(!r.has_at, "a sample line has no at_label counters");
	CHECK_STR(r.timestamp, "2024-05-06 10:00:00.500000");
	CHECK_STR(r.comm, "w");
	CHECK_STR(r.cmdline, "./w -x");
	plot_record_release(&r);
}

static void test_totaldepth_prefix_start_stop_and_plain(void)
{
	static const char *const lines[] = {
		"2019-10-31 14:10:06,051 - process.py - 86611 - (ProcMon   ) - INFO     - "
		"ProcessLoggingThread-JSON {\"elapsed_time\": 1.5, \"pid\": 86611}",
		"x ProcessLoggingThread-JSON-START {\"elapsed_time\": 1.5, \"pid\": 86611}",
		"x ProcessLoggingThread-JSON-STOP{\"elapsed_time\": 1.5, \"pid\": 86611}\r\n",
		"  {\"elapsed_time\": 1.5, \"pid\": 86611}  ",
	};

	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		struct plot_record r;
		int err = parse(lines[i], &r);

		CHECK(err == 0 && r.pid == 86611 && r.elapsed_s == 1.5,
		      "line %zu: err %d pid %lld", i, err, r.pid);
		if (!err)
			plot_record_release(&r);
	}
}

static void test_bad_lines_are_einval_and_blank_is_enodata(void)
{
	static const char *const bad[] = {
		"not a log line",
		"ProcessLoggingThread-JSON {\"elapsed_time\": 1}",	/* regex wants text before */
		"x ProcessLoggingThread-JSON",
		"{\"pid\": 1, \"memory_info\": {\"rss\": 1}}",		/* no elapsed_time */
		"{\"elapsed_time\": 1.0, \"pid\": 1",			/* truncated */
		"{\"elapsed_time\": 1.0} trailing",
		"{\"elapsed_time\": NaN}",
		"{\"elapsed_time\": \"1.0\"}",
		"{\"elapsed_time\": 1, \"pid\": -3}",
		"{\"elapsed_time\": 1, \"pid\": 1.5}",
		"{\"elapsed_time\": 1, \"memory_info\": 5}",
		"{\"elapsed_time\": 1, \"memory_info\": {\"rss\": \"big\"}}",
		"{\"elapsed_time\": 1, \"label\": 7}",
		"[1, 2]",
		"{\"a\": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}",
	};
	struct plot_record r;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int err = parse(bad[i], &r);

		CHECK(err == -EINVAL, "line %zu: expected -EINVAL, got %d", i, err);
		if (!err)
			plot_record_release(&r);
	}
	CHECK(parse("  \t\r\n", &r) == -ENODATA, "blank line");
	CHECK(parse("", &r) == -ENODATA, "empty line");
}

/* Each bound: its largest value is taken, the next one up (and any negative
 * value) makes the line bad. */
static void test_values_beyond_a_machine_are_bad_lines(void)
{
	static const struct {
		const char *fmt;	/* one %s: the value */
		const char *ok, *bad;
	} cases[] = {
		{ "{\"elapsed_time\": %s}", "315576000", "315576000.001" },
		{ "{\"elapsed_time\": %s}", "0", "-0.001" },
		{ "{\"elapsed_time\": 1, \"label\": \"x\", \"label_elapsed_time\": %s}",
		  "315576000", "1e308" },
		{ "{\"elapsed_time\": 1, \"traced_since\": %s}", "0.5", "-1" },
		{ "{\"elapsed_time\": 1, \"memory_info\": {\"rss\": %s}}", "1125899906842624",
		  "1125899906842625" },
		{ "{\"elapsed_time\": 1, \"memory_info\": {\"rss\": %s}}", "0", "-4096" },
		{ "{\"elapsed_time\": 1, \"memory_info\": {\"vms\": %s}}", "4096", "1e30" },
		{ "{\"elapsed_time\": 1, \"memory_info\": {\"rss_peak\": %s}}", "4096", "1e20" },
		{ "{\"elapsed_time\": 1, \"memory_info\": {\"pfaults\": %s}}",
		  "18446744073709551615", "1e20" },
		{ "{\"elapsed_time\": 1, \"memory_info\": {\"pageins\": %s}}", "3", "-1" },
		{ "{\"elapsed_time\": 1, \"cpu_times\": {\"user\": %s}}", "1e9", "1e300" },
		{ "{\"elapsed_time\": 1, \"cpu_times\": {\"system\": %s}}", "0.25", "-0.25" },
		{ "{\"elapsed_time\": 1, \"sched\": {\"oncpu_ns\": %s}}", "1e19", "1e30" },
		{ "{\"elapsed_time\": 1, \"num_threads\": %s}", "4194304", "4194305" },
		{ "{\"elapsed_time\": 1, \"label\": \"x\", \"at_label\": {\"rss\": %s}}",
		  "4096", "1e30" },
		{ "{\"elapsed_time\": 1, \"label\": \"x\", \"at_label\": {\"pfaults\": %s}}",
		  "7", "-7" },
	};
	struct plot_record r;
	char line[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int err;

		snprintf(line, sizeof(line), cases[i].fmt, cases[i].ok);
		err = parse(line, &r);
		CHECK(err == 0, "%s: expected 0, got %d", line, err);
		if (!err)
			plot_record_release(&r);
		snprintf(line, sizeof(line), cases[i].fmt, cases[i].bad);
		err = parse(line, &r);
		CHECK(err == -EINVAL, "%s: expected -EINVAL, got %d", line, err);
		if (!err)
			plot_record_release(&r);
	}
}

static void test_label_lines_procmon_and_totaldepth(void)
{
	struct plot_record r;
	int err = parse("{\"elapsed_time\": 2.0, \"label_elapsed_time\": 1.75, \"pid\": 9, "
			"\"label\": \"a\\u0000b\"}", &r);

	CHECK(err == 0 && r.kinds == PLOT_KIND_LABEL, "err %d kinds %u", err, r.kinds);
	if (!err) {
		CHECK_NEAR(r.label_elapsed_s, 1.75, 0, "label time");
		CHECK(r.label_len == 3 && !memcmp(r.label, "a\0b", 3), "label bytes");
		plot_record_release(&r);
	}
	/* TotalDepth: a label carries the sample keys, its time is elapsed_time. */
	err = parse("t ProcessLoggingThread-JSON {\"elapsed_time\": 3.0, \"label\": \"L\", "
		    "\"memory_info\": {\"rss\": 1}}", &r);
	CHECK(err == 0 && r.kinds == (PLOT_KIND_LABEL | PLOT_KIND_SAMPLE), "err %d kinds %u",
	      err, r.kinds);
	if (!err) {
		CHECK_NEAR(r.label_elapsed_s, 3.0, 0, "label time");
		plot_record_release(&r);
	}
	/* A label that mentions the marker is still read as jsonl. */
	err = parse("{\"elapsed_time\": 1, \"label\": \"x ProcessLoggingThread-JSON {}\"}", &r);
	CHECK(err == 0 && r.label && !strcmp(r.label, "x ProcessLoggingThread-JSON {}"),
	      "err %d", err);
	if (!err)
		plot_record_release(&r);
}

static void test_events_and_cmdline_list(void)
{
	struct plot_record r;
	int err = parse("{\"elapsed_time\": 0.4, \"pid\": 5, \"event\": \"exec\", "
			"\"cmdline\": [\"python3\", \"-c\", \"pass\"]}", &r);

	CHECK(err == 0 && r.kinds == PLOT_KIND_EVENT && r.event == PLOT_EVENT_EXEC,
	      "err %d kinds %u event %d", err, r.kinds, r.event);
	if (!err) {
		CHECK_STR(r.cmdline, "python3 -c pass");
		plot_record_release(&r);
	}
	err = parse("{\"elapsed_time\": 0.4, \"event\": \"teleport\"}", &r);
	CHECK(err == 0 && r.kinds == 0, "unknown event: err %d kinds %u", err, r.kinds);
	if (!err)
		plot_record_release(&r);
}

static void test_text_clean_repairs_utf8_and_controls(void)
{
	static const struct {
		const char *in;
		size_t len;
		const char *out;
	} cases[] = {
		{ "plain", 5, "plain" },
		{ "a\nb\tc\rd", 7, "a b c d" },
		{ "a\x01" "b\x7f", 4, "a\xef\xbf\xbd" "b\xef\xbf\xbd" },
		{ "\xc3\xa9\xe2\x9c\x93\xf0\x9f\x98\x80", 9, "\xc3\xa9\xe2\x9c\x93\xf0\x9f\x98\x80" },
		{ "\xff\xfe", 2, "\xef\xbf\xbd\xef\xbf\xbd" },
		{ "\xc0\xaf", 2, "\xef\xbf\xbd\xef\xbf\xbd" },		/* overlong '/' */
		{ "\xed\xa0\x80", 3, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" }, /* surrogate */
		{ "\xe2\x82", 2, "\xef\xbf\xbd\xef\xbf\xbd" },		/* cut sequence */
		{ "\xef\xbf\xbe", 3, "\xef\xbf\xbd" },			/* U+FFFE */
		{ "\xc2\x85", 2, "\xef\xbf\xbd" },			/* C1 NEL */
		{ "a\0b", 3, "a\xef\xbf\xbd" "b" },
		{ "x]]>y", 5, "x]]\xe2\x80\x8b>y" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *s = plot_text_clean(cases[i].in, cases[i].len, 0);

		CHECK(s && !strcmp(s, cases[i].out), "case %zu: got \"%s\"", i, s ? s : "(null)");
		free(s);
	}
	char *cut = plot_text_clean("\xc3\xa9\xc3\xa9\xc3\xa9", 6, 2);

	CHECK_STR(cut, "\xc3\xa9\xc3\xa9\xe2\x80\xa6");
	free(cut);
}

static char *field(const char *clean)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	plot_text_write_field(f, clean);
	fclose(f);
	return buf;
}

static void test_field_and_path_quoting(void)
{
	char *s = field("'a' \"b\" \\c `d` $e");
	char *buf = NULL;
	size_t size = 0;
	FILE *f;

	CHECK_STR(s, "\"'a' \\\"b\\\" \\\\c `d` $e\"");
	free(s);
	f = open_memstream(&buf, &size);
	CHECK(plot_path_write_quoted(f, "/tmp/it's ''\"x\" `y` @z") == 0, "safe path refused");
	CHECK(plot_path_write_quoted(f, "relative") == -EINVAL, "relative path accepted");
	CHECK(plot_path_write_quoted(f, "/tmp/a\nb") == -EINVAL, "newline accepted");
	fclose(f);
	CHECK_STR(buf, "'/tmp/it'.\"'\".'s '.\"'\".\"'\".'\"x\" `y` '.\"@\".'z'");
	free(buf);
}

static int read_log(const char *path, struct plot_log *log)
{
	FILE *f = fopen(path, "r");
	int err;

	if (!f)
		return -errno;
	err = plot_log_read(f, log);
	fclose(f);
	return err;
}

static void test_handmade_log_series_and_bad_lines(void)
{
	struct plot_log log = { 0 };
	struct plot_proc *p, *child;
	int err = read_log(DATA "procmon.log", &log);

	CHECK(err == 0, "read: %d", err);
	/* garbage, missing elapsed_time, invalid JSON, truncated last line */
	CHECK(log.nr_bad == 4 && log.first_bad_line == 1, "bad %zu first %zu", log.nr_bad,
	      log.first_bad_line);
	p = plot_log_find(&log, true, 4242);
	child = plot_log_find(&log, true, 4243);
	REQUIRE_GOTO(p && child, out, "pids 4242 and 4243 expected");
	/* The counts guard the labels[1] and marks[1] below. */
	REQUIRE_GOTO(p->nr_samples == 4 && p->nr_labels == 2 && p->nr_marks == 3, out,
		     "samples %zu labels %zu marks %zu", p->nr_samples, p->nr_labels, p->nr_marks);
	CHECK(child->has_ppid && child->ppid == 4242, "child ppid %lld", child->ppid);
	CHECK_STR(p->comm, "workload");
	CHECK_STR(p->labels[1].text, "phase B");
	CHECK(p->marks[1].event == PLOT_EVENT_FORK, "fork event: %d", p->marks[1].event);
out:
	plot_log_free(&log);
}

/* The .dat numbers of the hand-made log, computed by hand from its samples. */
static void test_handmade_rates_by_hand(void)
{
	struct plot_log log = { 0 };
	struct plot_table t = { 0 };
	struct plot_proc *p;
	int err = read_log(DATA "procmon.log", &log);

	REQUIRE_GOTO(err == 0, out, "read: %d", err);
	p = plot_log_find(&log, true, 4242);
	REQUIRE_GOTO(p != NULL, out, "pid 4242");
	err = plot_table_build(p, 4000, &t);
	REQUIRE_GOTO(err == 0, out, "plot_table_build: %d", err);
	REQUIRE_GOTO(t.nr_rows == 4 && t.stride == 1, out, "rows %zu stride %zu", t.nr_rows,
		     t.stride);
	/* RSS 10, 20, 30, 25 MiB at 0.5, 1.5, 2.5, 3.5 s */
	CHECK_NEAR(t.rows[2].v[PLOT_COL_RSS_MIB], 30, 1e-9, "rss row 2");
	CHECK_NEAR(t.rows[3].v[PLOT_COL_RSS_PEAK_MIB], 30, 1e-9, "rss_peak row 3");
	CHECK(isnan(t.rows[0].v[PLOT_COL_FAULTS_PER_S]), "no rate before the second sample");
	/* pfaults 1000 -> 3000 -> 3500 -> 3500 over 1 s steps */
	CHECK_NEAR(t.rows[1].v[PLOT_COL_FAULTS_PER_S], 2000, 1e-6, "fault rate row 1");
	CHECK_NEAR(t.rows[2].v[PLOT_COL_FAULTS_PER_S], 500, 1e-6, "fault rate row 2");
	CHECK_NEAR(t.rows[3].v[PLOT_COL_FAULTS_PER_S], 0, 1e-6, "fault rate row 3");
	/* user 0.1 -> 0.6 -> 1.6 -> 1.8 s; system 0 -> 0.1 -> 0.1 -> 0.4 s */
	CHECK_NEAR(t.rows[1].v[PLOT_COL_CPU_USER_PCT], 50, 1e-6, "user % row 1");
	CHECK_NEAR(t.rows[2].v[PLOT_COL_CPU_USER_PCT], 100, 1e-6, "user % row 2");
	CHECK_NEAR(t.rows[3].v[PLOT_COL_CPU_SYSTEM_PCT], 30, 1e-6, "system % row 3");
	/* oncpu 0.1 -> 0.8 -> 1.9 s; runq 0 -> 0.05 s */
	CHECK_NEAR(t.rows[2].v[PLOT_COL_ONCPU_PCT], 110, 1e-6, "on-CPU % row 2");
	CHECK_NEAR(t.rows[1].v[PLOT_COL_RUNQ_WAIT_PCT], 5, 1e-6, "runq % row 1");
	CHECK_NEAR(t.max[PLOT_COL_RSS_MIB], 30, 1e-9, "max rss");
out:
	plot_table_free(&t);
	plot_log_free(&log);
}

static void test_thinning_keeps_peaks_and_mean_rates(void)
{
	struct plot_proc p = { .has_pid = true, .pid = 1 };
	struct plot_table t = { 0 };
	size_t n = 10000;

	p.samples = calloc(n, sizeof(*p.samples));
	REQUIRE(p.samples, "calloc");
	for (size_t i = 0; i < n; i++) {
		for (int m = 0; m < PLOT_NR_METRICS; m++)
			p.samples[i].metric[m] = NAN;
		p.samples[i].t_s = (double)i;
		p.samples[i].metric[PLOT_RSS_BYTES] = (i == 4321 ? 500 : 100) * MIB;
		p.samples[i].metric[PLOT_PFAULTS] = 3.0 * (double)i;	/* 3 faults/s */
	}
	p.nr_samples = n;
	REQUIRE_GOTO(plot_table_build(&p, 100, &t) == 0, out, "build");
	REQUIRE_GOTO(t.nr_rows == 100 && t.stride == 100, out, "rows %zu stride %zu", t.nr_rows,
		     t.stride);
	CHECK_NEAR(t.max[PLOT_COL_RSS_MIB], 500, 1e-9, "the one-sample peak survives");
	CHECK_NEAR(t.rows[0].v[PLOT_COL_FAULTS_PER_S], 3, 1e-9, "first row rate");
	CHECK_NEAR(t.rows[57].v[PLOT_COL_FAULTS_PER_S], 3, 1e-9, "row 57 rate");
	CHECK_NEAR(t.rows[99].v[PLOT_COL_TIME_S], 9999, 0, "last row time");
out:
	plot_table_free(&t);
	free(p.samples);
}

static void test_nopid_log_is_one_process_with_its_label(void)
{
	struct plot_log log = { 0 };
	struct plot_proc *p;

	CHECK(read_log(DATA "nopid.log", &log) == 0, "read");
	p = plot_log_find(&log, false, 0);
	CHECK(log.nr_procs == 1 && p && p->nr_samples == 4 && p->nr_labels == 1,
	      "procs %zu", log.nr_procs);
	CHECK(log.nr_bad == 0, "bad %zu", log.nr_bad);
	plot_log_free(&log);
}

static void test_totaldepth_logs_without_and_with_pfaults(void)
{
	struct plot_log log = { 0 };
	struct plot_proc *p;

	CHECK(read_log(DATA "totaldepth_linux.log", &log) == 0, "read linux");
	p = plot_log_find(&log, true, 14052);
	CHECK(p && p->nr_samples == 6 && p->nr_labels == 1, "linux pid 14052");
	CHECK(p && !(p->metrics_present & (1u << PLOT_PFAULTS)), "linux log has no pfaults");
	CHECK(log.nr_bad == 2 && log.first_bad_line == 1, "two other log lines: %zu", log.nr_bad);
	plot_log_free(&log);
	CHECK(read_log(DATA "totaldepth_macos.log", &log) == 0, "read macos");
	p = plot_log_find(&log, true, 71519);
	CHECK(p && (p->metrics_present & (1u << PLOT_PAGEINS)), "macos log has pageins");
	plot_log_free(&log);
}

/* Labels closer than the gap keep only their line; the shown one counts them. */
static void test_close_labels_are_thinned(void)
{
	struct plot_proc p = { .has_pid = true, .pid = 1 };
	struct plot_label labels[4] = {
		{ .t_s = 1.0, .text = "first" }, { .t_s = 1.01, .text = "close" },
		{ .t_s = 1.02, .text = "closer" }, { .t_s = 5.0, .text = "far" },
	};
	struct plot_table t = { 0 };
	struct plot_text_stats st = { 0 };
	struct plot_strip strip;
	struct plot_layout l;
	char *buf = NULL;
	size_t size = 0;
	FILE *f;

	p.labels = labels;
	p.nr_labels = 4;
	plot_proc_layout(&l, &p, &t, 0);
	f = open_memstream(&buf, &size);
	strip = plot_proc_strip(&p);
	CHECK(plot_write_labels(f, &strip, &l, "title", &st) == 0, "write");
	fclose(f);
	CHECK(st.labels_shown == 2 && st.labels_hidden == 2, "shown %zu hidden %zu",
	      st.labels_shown, st.labels_hidden);
	CHECK(buf && strstr(buf, "1\t1\t\"first (+2)\"\n"), "first (+2) row in:\n%s", buf);
	CHECK(buf && strstr(buf, "1.02\t2\t\"\"\n"), "hidden row in:\n%s", buf);
	CHECK(buf && strstr(buf, "5\t1\t\"far\"\n"), "far row in:\n%s", buf);
	free(buf);
}

/* -t lines, under their own marker or bare: a thread's CPU, never a sample (an
 * older log's thread line under the sample marker is a thread line too). */
static void test_thread_lines_are_threads_not_samples(void)
{
	static const char *const lines[] = {
		"2024-05-06 10:00:00,100 - procmon - 7 - (ProcMon   ) - INFO     - "
		"ProcessLoggingThread-THREAD {\"elapsed_time\": 0.1, \"pid\": 42, \"thread\": "
		"{\"tid\": 43, \"comm\": \"worker\", \"user\": 0.5, \"system\": 0.25, "
		"\"oncpu_ns\": 700000000}}",
		"{\"elapsed_time\": 0.1, \"pid\": 42, \"thread\": {\"tid\": 43, \"comm\": "
		"\"worker\", \"user\": 0.5, \"system\": 0.25, \"oncpu_ns\": 700000000}}",
		"x - ProcessLoggingThread-JSON {\"elapsed_time\": 0.1, \"pid\": 42, \"thread\": "
		"{\"tid\": 43, \"comm\": \"worker\", \"user\": 0.5, \"system\": 0.25}}",
	};
	static const double cpu_s[] = { 0.7, 0.7, 0.75 };
	struct plot_record r;

	for (size_t i = 0; i < sizeof(lines) / sizeof(*lines); i++) {
		int err = parse(lines[i], &r);

		REQUIRE(err == 0, "line %zu: expected 0, got %d", i, err);
		CHECK(r.kinds == PLOT_KIND_THREAD, "line %zu: kinds %u", i, r.kinds);
		CHECK(r.tid == 43 && r.pid == 42, "line %zu: tid %lld pid %lld", i, r.tid, r.pid);
		CHECK_NEAR(r.thread_cpu_s, cpu_s[i], 1e-9, "thread CPU (oncpu_ns, else user+system)");
		CHECK_STR(r.thread_comm, "worker");
		plot_record_release(&r);
	}
	CHECK(parse("x - ProcessLoggingThread-THREAD {\"elapsed_time\": 0.1, \"pid\": 42, "
		    "\"thread\": {\"comm\": \"w\"}}", &r) == -EINVAL, "a thread without tid");
}

int main(void)
{
	RUN(test_jsonl_sample_has_every_field);
	RUN(test_totaldepth_prefix_start_stop_and_plain);
	RUN(test_bad_lines_are_einval_and_blank_is_enodata);
	RUN(test_values_beyond_a_machine_are_bad_lines);
	RUN(test_label_lines_procmon_and_totaldepth);
	RUN(test_events_and_cmdline_list);
	RUN(test_text_clean_repairs_utf8_and_controls);
	RUN(test_field_and_path_quoting);
	RUN(test_handmade_log_series_and_bad_lines);
	RUN(test_handmade_rates_by_hand);
	RUN(test_thinning_keeps_peaks_and_mean_rates);
	RUN(test_nopid_log_is_one_process_with_its_label);
	RUN(test_totaldepth_logs_without_and_with_pfaults);
	RUN(test_close_labels_are_thinned);
	RUN(test_thread_lines_are_threads_not_samples);
	return check_summary();
}
