// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Integration tests of labels with the real uprobe: every way a program can carry
 * procmon_label, awkward strings byte for byte, --mark, and loss when the ring buffer fills. */
#include "check.h"
#include "itest.h"

#define TIMEOUT_S 20.0
#define KEPT_MAX 256		/* bytes of a label procmon keeps (bpf/procmon.h) */

/* A label a workload is given, and what its log line must say. */
struct label_case {
	const char *in;		/* the argument: procmon_label(in) */
	const char *want;	/* the "label" value, after JSON parsing */
	bool truncated;		/* "label_truncated": true expected */
};

static char all_controls[32];		/* 0x01 .. 0x1f */
static char e_acute_128[2 * 128 + 1];	/* 'é' x 128: exactly 256 bytes */
static char e_acute_200[2 * 200 + 1];	/* 'é' x 200: 400 bytes, cut to 'é' x 128 */
static char b_257[258], b_256[257];	/* 'b' x 257 -> 'b' x 256 */
static char euro_in[2 + 3 * 100 + 1], euro_want[2 + 3 * 84 + 1];	/* "ab" + '€' x 100 */
static char emoji_in[1 + 4 * 70 + 1], emoji_want[1 + 4 * 63 + 1];	/* "x" + '😀' x 70 */
static char a255_euro[255 + 3 + 1], a255[256];	/* 'a' x 255 + '€': cut inside the '€' */
static char a255_ff[255 + 2 + 1], a255_fffd[255 + 3 + 1];	/* 'a' x 255 + ff ff */
static char e_acute_127[2 * 127 + 1];	/* the Python module's own cut of 'é' x 200 */

static char *repeat(char *out, const char *prefix, const char *unit, int n, const char *suffix)
{
	strcpy(out, prefix);
	while (n-- > 0)
		strcat(out, unit);
	strcat(out, suffix);
	return out;
}

static void make_strings(void)
{
	for (int c = 1; c < 32; c++)
		all_controls[c - 1] = (char)c;
	repeat(e_acute_128, "", "é", 128, "");
	repeat(e_acute_200, "", "é", 200, "");
	repeat(e_acute_127, "", "é", 127, "");
	repeat(b_257, "", "b", 257, "");
	repeat(b_256, "", "b", 256, "");
	repeat(euro_in, "ab", "€", 100, "");
	repeat(euro_want, "ab", "€", 84, "");	/* 2 + 84 * 3 = 254: the 85th spans 254..256 */
	repeat(emoji_in, "x", "😀", 70, "");
	repeat(emoji_want, "x", "😀", 63, "");	/* 1 + 63 * 4 = 253: the 64th spans 253..256 */
	repeat(a255_euro, "", "a", 255, "€");
	repeat(a255, "", "a", 255, "");
	repeat(a255_ff, "", "a", 255, "\xff\xff");
	repeat(a255_fffd, "", "a", 255, "\xef\xbf\xbd");	/* the 256th byte, 0xff, repaired */
}

#define FFFD "\xef\xbf\xbd"

/* Labels of at most 255 bytes: the same for every kind of program. */
static const struct label_case short_cases[] = {
	{ "plain", "plain", false },
	{ "say \"hi\"", "say \"hi\"", false },
	{ "back\\slash\\\\ and /slash", "back\\slash\\\\ and /slash", false },
	{ "line1\nline2\n", "line1\nline2\n", false },
	{ "tab\there\r\n", "tab\there\r\n", false },
	{ all_controls, all_controls, false },
	{ "DEL \x7f end", "DEL \x7f end", false },
	{ "2-byte é ñ ß, 3-byte € 中, 4-byte 😀 𝄞", "2-byte é ñ ß, 3-byte € 中, 4-byte 😀 𝄞", false },
	{ "bad\xff\xfe" "end", "bad" FFFD FFFD "end", false },
	{ "lone \x80 continuation", "lone " FFFD " continuation", false },
	{ "overlong \xc0\xaf \xe0\x80\xaf", "overlong " FFFD FFFD " " FFFD FFFD FFFD, false },
	{ "surrogate \xed\xa0\x80", "surrogate " FFFD FFFD FFFD, false },
	{ "too big \xf4\x90\x80\x80", "too big " FFFD FFFD FFFD FFFD, false },
	{ "cut short \xe2\x82", "cut short " FFFD FFFD, false },
	{ "", "", false },
};

/* Labels longer than 255 bytes, as procmon keeps them (256 bytes at most). */
static const struct label_case long_cases[] = {
	{ e_acute_128, e_acute_128, false },	/* exactly 256 bytes: whole */
	{ b_257, b_256, true },
	{ e_acute_200, e_acute_128, true },
	{ euro_in, euro_want, true },
	{ emoji_in, emoji_want, true },
	{ a255_euro, a255, true },
	{ a255_ff, a255_fffd, true },
};

/* The same long labels through the Python module, which itself cuts at 255 bytes
 * on a character boundary (LABEL_MAX): procmon gets them whole. */
static const struct label_case python_long_cases[] = {
	{ e_acute_128, e_acute_127, false },
	{ b_257, b_256 + 1, false },		/* 'b' x 255 */
	{ e_acute_200, e_acute_127, false },
	{ euro_in, euro_want, false },		/* 2 + 84 * 3 = 254 <= 255 */
	{ emoji_in, emoji_want, false },	/* 253 */
	{ a255_euro, a255, false },
};

#define N_SHORT (int)(sizeof(short_cases) / sizeof(short_cases[0]))
#define N_LONG (int)(sizeof(long_cases) / sizeof(long_cases[0]))
#define N_PY_LONG (int)(sizeof(python_long_cases) / sizeof(python_long_cases[0]))
#define MAX_CASES 64

/* The short cases then @longs: the argument list and the expectations of one run. */
static int gather(struct label_case *out, const struct label_case *longs, int n_longs)
{
	int n = 0;

	for (int i = 0; i < N_SHORT; i++)
		out[n++] = short_cases[i];
	for (int i = 0; i < n_longs; i++)
		out[n++] = longs[i];
	return n;
}

/* @s printable for a message: C escapes, non-ASCII as \xNN, cut at 300 bytes. */
static const char *shown(const char *s, char *buf, size_t size)
{
	size_t o = 0;

	if (!s)
		return "(none)";
	for (; *s && o + 8 < size && o < 300; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			o += (size_t)snprintf(buf + o, size - o, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			o += (size_t)snprintf(buf + o, size - o, "\\x%02x", c);
		else
			buf[o++] = (char)c;
	}
	buf[o] = '\0';
	return buf;
}

/* One traced run: the log in a temporary directory, procmon's output captured. */
struct traced {
	char dir[64], log_path[128];
	struct it_proc p;
	struct it_log log;
	bool ok;
};

/* Run `procmon -q -i 5 --format jsonl -o LOG @opts -- @cmd` with @env set in the
 * command's environment (procmon's own, which the command inherits). */
static bool run_traced(struct traced *r, const char *const *opts, const char *const *cmd,
		       const char *const *env)
{
	const char *argv[128] = { it_procmon(), "-q", "-i", "5", "--format", "jsonl", "-o" };
	struct it_spawn how = { .env_set = env };
	int n = 7;

	memset(r, 0, sizeof(*r));
	if (!it_tmpdir(r->dir, sizeof(r->dir))) {
		CHECK(0, "cannot make a temporary directory: %s", strerror(errno));
		return false;
	}
	snprintf(r->log_path, sizeof(r->log_path), "%s/log", r->dir);
	argv[n++] = r->log_path;
	for (int i = 0; opts && opts[i] && n < 60; i++)
		argv[n++] = opts[i];
	argv[n++] = "--";
	for (int i = 0; cmd[i] && n < 126; i++)
		argv[n++] = cmd[i];
	argv[n] = NULL;
	it_run(&r->p, argv, &how, TIMEOUT_S);
	r->ok = it_traced_log(&r->p, TIMEOUT_S, 0, r->log_path, &r->log) && r->log.n >= 2;
	return r->ok;
}

static void traced_free(struct traced *r)
{
	it_log_free(&r->log);
	it_proc_free(&r->p);
	if (r->dir[0])
		it_rmdir(r->dir);
}

/* The lines of @log that carry a label, in log order (at most @max). */
static int label_lines(const struct it_log *log, json_object **out, int max)
{
	int n = 0;

	for (int i = 0; i < log->n; i++)
		if (it_get(log->obj[i], "label") && n < max)
			out[n++] = log->obj[i];
		else if (it_get(log->obj[i], "label"))
			n++;
	return n;
}

/*
 * The label lines of @log are exactly @want, in order, byte for byte: one line per
 * call, each with the truncation flag it should have, no read error, the pid of
 * the START line and a tid, label_elapsed_time non-decreasing and never after the
 * line's own elapsed_time. @what names the run in messages.
 */
static void check_labels(const struct it_log *log, const struct label_case *want, int n_want,
			 const char *what)
{
	json_object *lines[MAX_CASES * 2];
	int n = label_lines(log, lines, MAX_CASES * 2);
	long long pid = log->n ? it_get_int(log->obj[0], "pid", -1) : -1;
	double prev = -1;
	char b1[2048], b2[2048];

	CHECK(n == n_want, "%s: expected %d label lines, got %d", what, n_want, n);
	for (int i = 0; i < n && i < n_want && i < MAX_CASES * 2; i++) {
		const char *got = it_get_str(lines[i], "label");
		json_object *trunc = it_get(lines[i], "label_truncated");
		double at = it_get_num(lines[i], "label_elapsed_time");
		double elapsed = it_get_num(lines[i], "elapsed_time");
		bool got_trunc = trunc && json_object_get_boolean(trunc);

		CHECK(got && strcmp(got, want[i].want) == 0,
		      "%s: label %d: expected \"%s\", got \"%s\"", what, i,
		      shown(want[i].want, b1, sizeof(b1)), shown(got, b2, sizeof(b2)));
		CHECK(got_trunc == want[i].truncated && (!trunc || want[i].truncated),
		      "%s: label %d: expected label_truncated %s, got %s", what, i,
		      want[i].truncated ? "true" : "absent", trunc ? json_object_to_json_string(trunc) : "absent");
		CHECK(!it_get(lines[i], "label_read_error"), "%s: label %d: unexpected label_read_error %lld",
		      what, i, it_get_int(lines[i], "label_read_error", 0));
		CHECK(!it_get(lines[i], "mark"), "%s: label %d: a procmon_label call marked as --mark", what, i);
		CHECK(it_get_int(lines[i], "pid", -2) == pid, "%s: label %d: expected pid %lld, got %lld",
		      what, i, pid, it_get_int(lines[i], "pid", -2));
		CHECK(it_get_int(lines[i], "tid", -1) == pid, "%s: label %d: expected tid %lld (one thread), got %lld",
		      what, i, pid, it_get_int(lines[i], "tid", -1));
		CHECK(at >= prev, "%s: label %d: label_elapsed_time went back: %.6f after %.6f", what, i, at, prev);
		CHECK(at >= 0 && at <= elapsed, "%s: label %d: expected 0 <= label_elapsed_time %.6f <= elapsed_time %.6f",
		      what, i, at, elapsed);
		CHECK(it_get(lines[i], "at_label.oncpu_ns") != NULL, "%s: label %d: no at_label counters", what, i);
		prev = at;
	}
}

/* argv of @workload with every case's input as an argument. */
static void case_argv(const char **argv, const char *workload, const struct label_case *cases, int n)
{
	argv[0] = workload;
	for (int i = 0; i < n; i++)
		argv[i + 1] = cases[i].in;
	argv[n + 1] = NULL;
}

/* Launch @workload (a labels_own build) under procmon with every case; check the log. */
static void check_workload(const char *workload, const char *const *env)
{
	struct label_case cases[MAX_CASES];
	int n = gather(cases, long_cases, N_LONG);
	const char *cmd[MAX_CASES + 2];
	struct traced r;

	case_argv(cmd, it_workload(workload), cases, n);
	if (run_traced(&r, NULL, cmd, env))
		check_labels(&r.log, cases, n, workload);
	traced_free(&r);
}

static void test_labels_pie_arrive_once_in_order_byte_exact(void)
{
	check_workload("labels_own", NULL);
}

static void test_labels_nopie_arrive_once_in_order_byte_exact(void)
{
	check_workload("labels_nopie", NULL);
}

static void test_labels_static_arrive_once_in_order_byte_exact(void)
{
	check_workload("labels_static", NULL);
}

static void test_labels_shared_library_arrive_once_in_order_byte_exact(void)
{
	check_workload("labels_shared", NULL);
}

/* The library is mapped 300 ms after tracing began: the mmap hook must probe it. */
static void test_labels_dlopen_after_start_arrive_once_in_order(void)
{
	static const char *const env[] = { "LABELS_DLOPEN_MS=300", NULL };

	check_workload("labels_dlopen", env);
}

/* Stripped, but -rdynamic left procmon_label in .dynsym. */
static void test_labels_rdynamic_stripped_arrive_once_in_order(void)
{
	check_workload("labels_rdynamic", NULL);
}

/* Stripped without -rdynamic: no symbol, so no probe and no label lines. */
static void test_labels_stripped_give_none(void)
{
	const char *cmd[] = { it_workload("labels_stripped"), "one", "two", NULL };
	struct traced r;

	if (run_traced(&r, NULL, cmd, NULL))
		check_labels(&r.log, NULL, 0, "labels_stripped");
	traced_free(&r);
}

/* Python through ctypes: the module loads libprocmon_label.so after the start. */
static void test_labels_python_ctypes_arrive_once_in_order(void)
{
	static const char script[] =
		"import sys, procmon_label\n"
		"assert procmon_label.available, 'library not found'\n"
		"for a in sys.argv[1:]:\n"
		"    procmon_label.label(a)\n";
	struct label_case cases[MAX_CASES];
	int n = gather(cases, python_long_cases, N_PY_LONG);
	const char *cmd[MAX_CASES + 4] = { "python3", "-c", script };
	char pythonpath[PATH_MAX + 16];
	const char *env[] = { pythonpath, "PROCMON_LABEL_LIB=", "LC_ALL=C.UTF-8", NULL };
	struct traced r;

	snprintf(pythonpath, sizeof(pythonpath), "PYTHONPATH=%s", it_path("lib"));
	for (int i = 0; i < n; i++)
		cmd[i + 3] = cases[i].in;
	cmd[n + 3] = NULL;
	if (run_traced(&r, NULL, cmd, env)) {
		char line[300];

		CHECK(!strstr(r.p.err, "Error"), "python failed: %s", it_first_line(strstr(r.p.err, "Error"), line, sizeof(line)));
		check_labels(&r.log, cases, n, "python3");
	}
	traced_free(&r);
}

/* The log's first START line has appeared (procmon attached), or @timeout_s passed. */
static bool wait_start_line(const char *path, double timeout_s)
{
	double deadline = it_now_s() + timeout_s;

	while (it_now_s() < deadline) {
		char *text = it_read_file(path);
		bool seen = text && strchr(text, '\n');

		free(text);
		if (seen)
			return true;
		usleep(10000);
	}
	return false;
}

/* -p on a labels_own that waits 2 s before its first label: every label after the
 * attach arrives, as from a launched one. */
static void test_labels_attach_pid_arrive_once_in_order(void)
{
	static const char *const env[] = { "LABELS_START_MS=2000", NULL };
	struct label_case cases[MAX_CASES];
	int n = gather(cases, long_cases, N_LONG);
	const char *cmd[MAX_CASES + 2];
	char dir[64], log_path[128], pid_arg[16], line[300];
	const char *argv[16] = { it_procmon(), "-q", "-i", "5", "--format", "jsonl", "-o", log_path,
				 "-p", pid_arg, NULL };
	struct it_spawn how = { .env_set = env };
	struct it_proc target, tracer;
	struct it_log log = { 0 };
	double t0, attached_s;
	int err;

	if (!it_tmpdir(dir, sizeof(dir)))
		SKIP("no temporary directory");
	snprintf(log_path, sizeof(log_path), "%s/log", dir);
	case_argv(cmd, it_workload("labels_own"), cases, n);
	t0 = it_now_s();
	if (it_start(&target, cmd, &how)) {
		CHECK(0, "cannot start labels_own: %s", strerror(errno));
		goto out;
	}
	snprintf(pid_arg, sizeof(pid_arg), "%d", (int)target.pid);
	if (it_start(&tracer, argv, NULL)) {
		CHECK(0, "cannot start procmon: %s", strerror(errno));
		it_finish(&target, 0);
		it_proc_free(&target);
		goto out;
	}
	CHECK(wait_start_line(log_path, 1.8), "no START line in the log 1.8 s after labels_own started");
	attached_s = it_now_s() - t0;
	printf("  procmon attached %.3f s after labels_own started (first label at 2 s)\n", attached_s);
	it_finish(&target, TIMEOUT_S);
	it_finish(&tracer, TIMEOUT_S);
	CHECK(it_exit_code(target.status) == 0, "labels_own exit status: expected 0, got %d",
	      it_exit_code(target.status));
	CHECK(!tracer.timed_out && it_exit_code(tracer.status) == 0,
	      "procmon -p: expected exit 0 once the target ended, got %d%s; stderr: %s",
	      it_exit_code(tracer.status), tracer.timed_out ? " (timed out)" : "",
	      it_first_line(tracer.err, line, sizeof(line)));
	err = it_log_load(log_path, &log);
	CHECK(err == 0, "cannot read the log %s: %s", log_path, strerror(-err));
	CHECK(log.bad == 0, "%d unparseable log lines, first: %s", log.bad, log.first_bad);
	if (!err && log.n)
		check_labels(&log, cases, n, "labels_own -p");
	it_log_free(&log);
	it_proc_free(&target);
	it_proc_free(&tracer);
out:
	it_rmdir(dir);
}

/* --mark on two plain functions called by turns: one line per call, the label the
 * symbol's name, "mark": true, in call order. */
static void test_mark_logs_each_call_with_symbol_name(void)
{
	enum { CALLS = 25 };
	const char *opts[] = { "--mark", "label_marks_alpha", "--mark", "label_marks_beta", NULL };
	const char *cmd[] = { it_workload("label_marks"), "25", NULL };
	json_object *lines[CALLS * 2];
	struct traced r;
	int n;

	if (!run_traced(&r, opts, cmd, NULL))
		goto out;
	n = label_lines(&r.log, lines, CALLS * 2);
	CHECK(n == CALLS, "expected %d mark lines, got %d", CALLS, n);
	for (int i = 0; i < n && i < CALLS; i++) {
		const char *want = i % 2 ? "label_marks_beta" : "label_marks_alpha";
		const char *got = it_get_str(lines[i], "label");
		json_object *mark = it_get(lines[i], "mark");

		CHECK(got && !strcmp(got, want), "call %d: expected label \"%s\", got \"%s\"", i, want,
		      got ? got : "(none)");
		CHECK(mark && json_object_is_type(mark, json_type_boolean) && json_object_get_boolean(mark),
		      "call %d: expected \"mark\": true, got %s", i,
		      mark ? json_object_to_json_string(mark) : "absent");
	}
	CHECK(!strstr(r.p.err, "warning"), "unexpected warning: %s", r.p.err);
out:
	traced_free(&r);
}

/* --mark of a function nowhere in the target: a warning naming it, and labels
 * are still traced. */
static void test_mark_missing_symbol_warns_and_still_traces(void)
{
	const char *opts[] = { "--mark", "no_such_function_anywhere", NULL };
	const char *cmd[] = { it_workload("labels_own"), "first", "second", NULL };
	const struct label_case want[] = { { "first", "first", false }, { "second", "second", false } };
	struct traced r;

	if (run_traced(&r, opts, cmd, NULL)) {
		CHECK(strstr(r.p.err, "warning") && strstr(r.p.err, "'no_such_function_anywhere'"),
		      "expected a warning naming 'no_such_function_anywhere' on stderr, got \"%s\"", r.p.err);
		check_labels(&r.log, want, 2, "labels_own --mark missing");
	}
	traced_free(&r);
}

/* `label_flood: N calls, ...` on the workload's stdout (procmon's), N or -1. */
static long flood_reported(const char *out)
{
	const char *s = strstr(out, "label_flood: ");
	long n;

	return s && sscanf(s, "label_flood: %ld calls", &n) == 1 ? n : -1;
}

/* The label lines of a flood, which must say f0, f1, ... in increasing order (no
 * duplicate, none out of order), and the final labels_lost. */
static void flood_counts(const struct it_log *log, int *lines, long long *lost)
{
	long prev = -1;
	int bad_order = 0;

	*lines = 0;
	*lost = 0;
	for (int i = 0; i < log->n; i++) {
		const char *label = it_get_str(log->obj[i], "label");
		long seq;

		if (label) {
			(*lines)++;
			if (sscanf(label, "f%ld", &seq) != 1 || seq <= prev)
				bad_order++;
			else
				prev = seq;
		}
	}
	if (log->n)
		*lost = it_get_int(log->obj[log->n - 1], "labels_lost", 0);
	CHECK(bad_order == 0, "%d labels out of order or repeated", bad_order);
	CHECK(log->n && log->mark[log->n - 1] == IT_MARK_NONE &&
	      it_get(log->obj[log->n - 1], "event"), "the last line is not the exit line");
}

/* A 4 KiB ring buffer holds fewer than 10 label events: a tight loop of calls must lose
 * some, and every call is either a line or counted in labels_lost. */
static void test_flood_small_buffer_counts_every_lost_label(void)
{
	const char *opts[] = { "--buffer", "4096", NULL };
	const char *cmd[] = { it_workload("label_flood"), "20000", NULL };
	struct traced r;
	long long lost;
	long calls;
	int lines;

	if (!run_traced(&r, opts, cmd, NULL))
		goto out;
	calls = flood_reported(r.p.out);
	CHECK(calls == 20000, "label_flood reported %ld calls, expected 20000", calls);
	flood_counts(&r.log, &lines, &lost);
	printf("  --buffer 4096: %d label lines + %lld lost = %lld of %ld calls\n", lines, lost,
	       (long long)lines + lost, calls);
	CHECK((long long)lines + lost == calls, "label lines %d + labels_lost %lld: expected %ld, got %lld",
	      lines, lost, calls, (long long)lines + lost);
	CHECK(lost > 0, "expected labels_lost > 0 with a 4 KiB buffer, got %lld", lost);
out:
	traced_free(&r);
}

/* 4 MiB hold all 5000 events (under 512 bytes each) even if procmon read none until
 * the end: nothing may be lost. */
static void test_flood_large_buffer_loses_nothing(void)
{
	const char *opts[] = { "--buffer", "4M", NULL };
	const char *cmd[] = { it_workload("label_flood"), "5000", NULL };
	struct traced r;
	long long lost;
	long calls;
	int lines;

	if (!run_traced(&r, opts, cmd, NULL))
		goto out;
	calls = flood_reported(r.p.out);
	CHECK(calls == 5000, "label_flood reported %ld calls, expected 5000", calls);
	flood_counts(&r.log, &lines, &lost);
	CHECK(lost == 0, "expected labels_lost 0 with a 4 MiB buffer, got %lld", lost);
	CHECK(lines == calls, "expected %ld label lines, got %d", calls, lines);
out:
	traced_free(&r);
}

/* A thread floods a 4 KiB buffer while the main thread dlopens the library, then
 * labels through it 3 times once the flood is over: the library is still probed,
 * every call is a line or lost, and each line names the thread that made it. */
static void test_dlopen_during_flood_probes_library_and_counts_all(void)
{
	const char *opts[] = { "--buffer", "4096", NULL };
	const char *cmd[] = { it_workload("label_flood_dlopen"), "3", NULL };
	long flood = -1, lib = -1, flood_tid = -1;
	int lines = 0, lib_lines = 0, wrong_tid = 0;
	long long lost, pid;
	struct traced r;
	const char *s;

	if (!run_traced(&r, opts, cmd, NULL))
		goto out;
	s = strstr(r.p.out, "label_flood_dlopen: ");
	REQUIRE_GOTO(s && sscanf(s, "label_flood_dlopen: %ld flood calls, %ld lib calls", &flood,
				 &lib) == 2, out, "the workload reported no counts: \"%s\"", r.p.out);
	pid = it_get_int(r.log.obj[0], "pid", -1);
	for (int i = 0; i < r.log.n; i++) {
		const char *label = it_get_str(r.log.obj[i], "label");
		long tid = (long)it_get_int(r.log.obj[i], "tid", -1);

		if (!label)
			continue;
		lines++;
		if (!strcmp(label, "lib")) {
			lib_lines++;
			wrong_tid += tid != pid;
		} else {
			if (flood_tid < 0)
				flood_tid = tid;
			wrong_tid += tid != flood_tid || tid == pid;
		}
	}
	lost = it_get_int(r.log.obj[r.log.n - 1], "labels_lost", 0);
	printf("  %ld flood calls + %ld lib calls: %d lines + %lld lost\n", flood, lib, lines, lost);
	CHECK(lib_lines == 3, "expected 3 \"lib\" label lines after the flood, got %d", lib_lines);
	CHECK((long long)lines + lost == flood + lib, "lines %d + labels_lost %lld: expected %ld, got %lld",
	      lines, lost, flood + lib, (long long)lines + lost);
	CHECK(wrong_tid == 0, "%d label lines with the wrong tid (flood thread %ld, main %lld)",
	      wrong_tid, flood_tid, pid);
out:
	traced_free(&r);
}

/* NULL (allowed: "recorded as an empty label") and an unreadable pointer: an
 * empty label with label_read_error -EFAULT, and the next label is unharmed. */
static void test_unreadable_label_is_empty_with_read_error(void)
{
	static const char *const want[] = { "", "after null", "", "after unmapped" };
	static const bool want_error[] = { true, false, true, false };
	const char *cmd[] = { it_workload("label_null"), NULL };
	json_object *lines[8];
	struct traced r;
	int n;

	if (!run_traced(&r, NULL, cmd, NULL))
		goto out;
	n = label_lines(&r.log, lines, 8);
	CHECK(n == 4, "expected 4 label lines, got %d", n);
	for (int i = 0; i < n && i < 4; i++) {
		const char *got = it_get_str(lines[i], "label");
		long long err = it_get_int(lines[i], "label_read_error", 0);

		CHECK(got && !strcmp(got, want[i]), "label %d: expected \"%s\", got \"%s\"", i, want[i],
		      got ? got : "(none)");
		CHECK(err == (want_error[i] ? -EFAULT : 0), "label %d: expected label_read_error %d, got %lld",
		      i, want_error[i] ? -EFAULT : 0, err);
	}
out:
	traced_free(&r);
}

/* A string literal in a page of .rodata the program never read: the page is in
 * the page cache but not mapped in the process, and the label must still arrive
 * (a uprobe that cannot take a page fault reads -EFAULT there). */
static void test_label_from_untouched_rodata_page_arrives(void)
{
	const char *cmd[] = { it_workload("label_rodata"), NULL };
	const struct label_case want[] = {
		{ "", "literal in an untouched page", false },
		{ "", "from the stack", false },
	};
	struct traced r;

	if (run_traced(&r, NULL, cmd, NULL))
		check_labels(&r.log, want, 2, "label_rodata");
	traced_free(&r);
}

int main(void)
{
	if (geteuid() != 0)
		check_skip_all("needs root to load BPF programs");
	make_strings();
	RUN(test_labels_pie_arrive_once_in_order_byte_exact);
	RUN(test_labels_nopie_arrive_once_in_order_byte_exact);
	RUN(test_labels_static_arrive_once_in_order_byte_exact);
	RUN(test_labels_shared_library_arrive_once_in_order_byte_exact);
	RUN(test_labels_dlopen_after_start_arrive_once_in_order);
	RUN(test_labels_rdynamic_stripped_arrive_once_in_order);
	RUN(test_labels_stripped_give_none);
	RUN(test_labels_python_ctypes_arrive_once_in_order);
	RUN(test_labels_attach_pid_arrive_once_in_order);
	RUN(test_unreadable_label_is_empty_with_read_error);
	RUN(test_label_from_untouched_rodata_page_arrives);
	RUN(test_mark_logs_each_call_with_symbol_name);
	RUN(test_mark_missing_symbol_warns_and_still_traces);
	RUN(test_flood_small_buffer_counts_every_lost_label);
	RUN(test_flood_large_buffer_loses_nothing);
	RUN(test_dlopen_during_flood_probes_library_and_counts_all);
	return check_summary();
}
