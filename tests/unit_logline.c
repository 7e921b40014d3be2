// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests of the log line: the sample object's keys and numbers (logformat),
 * TotalDepth's prefix and markers, jsonl, a JSON round trip, the locale, and whole
 * lines only (logline). */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>

#include "check.h"
#include "logformat.h"
#include "logline.h"

/* 2023-11-14 22:13:20.123456789 UTC */
static const struct timespec wall = { .tv_sec = 1700000000, .tv_nsec = 123456789 };

static struct sample known_sample(void)
{
	struct sample s = {
		.wall = wall,
		.elapsed_s = 12.3456789,
		.pid = 4321,
		.ppid = 1234,
		.rss_bytes = 1ull << 33,		/* beyond 32 bits */
		.vms_bytes = 123456789012ull,
		.rss_peak_bytes = 9ull << 30,
		.pfaults = 18446744073709551615ull,	/* UINT64_MAX */
		.pageins = 7,
		.user_s = 1.234,
		.system_s = 0.005,
		.children_user_s = 2.0,
		.children_system_s = 0.999,
		.oncpu_ns = 1234567890123ull,
		.runq_wait_ns = 42,
		.voluntary = 3,
		.involuntary = 0,
		.num_threads = 17,
	};
	return s;
}

/* The JSON text of a process line for @s, parsed back; the caller puts it. */
static json_object *sample_object(const struct sample *s)
{
	struct log_process_line line = { .sample = s };
	char *json = logformat_process(&line);
	json_object *o = json ? json_tokener_parse(json) : NULL;

	free(json);
	return o;
}

static json_object *get(json_object *o, const char *a, const char *b)
{
	json_object *v = NULL;

	if (!json_object_object_get_ex(o, a, &v))
		return NULL;
	if (b && !json_object_object_get_ex(v, b, &v))
		return NULL;
	return v;
}

#define CHECK_U64(o, a, b, want)						\
	do {									\
		json_object *v_ = get((o), (a), (b));				\
		unsigned long long got_ = v_ ? (unsigned long long)json_object_get_uint64(v_) : 0; \
		CHECK(v_ && json_object_is_type(v_, json_type_int) && got_ == (want), \
		      "%s%s%s: expected %llu, got %s", (a), (b) ? "." : "", (b) ? (b) : "", \
		      (unsigned long long)(want), v_ ? json_object_to_json_string(v_) : "(missing)"); \
	} while (0)

#define CHECK_TEXT(o, a, b, want)						\
	do {									\
		json_object *v_ = get((o), (a), (b));				\
		const char *got_ = v_ ? json_object_to_json_string(v_) : "(missing)"; \
		CHECK(!strcmp(got_, (want)), "%s%s%s: expected %s, got %s", (a), \
		      (b) ? "." : "", (b) ? (b) : "", (want), got_);		\
	} while (0)

/* The line formatted, then parsed back with json_tokener: every key, every number. */
static void check_round_trip(const char *json)
{
	json_tokener *tok = json_tokener_new();
	json_object *o = json_tokener_parse_ex(tok, json, (int)strlen(json));

	CHECK(o && json_tokener_get_error(tok) == json_tokener_success &&
	      json_tokener_get_parse_end(tok) == strlen(json), "not one JSON object: %s", json);
	json_tokener_free(tok);
	if (!o)
		return;
	CHECK_TEXT(o, "elapsed_time", NULL, "12.345679");
	CHECK_U64(o, "pid", NULL, 4321);
	CHECK_U64(o, "ppid", NULL, 1234);
	CHECK_U64(o, "memory_info", "rss", 1ull << 33);
	CHECK_U64(o, "memory_info", "vms", 123456789012ull);
	CHECK_U64(o, "memory_info", "pfaults", 18446744073709551615ull);
	CHECK_U64(o, "memory_info", "pageins", 7);
	CHECK_U64(o, "memory_info", "rss_peak", 9ull << 30);
	CHECK_TEXT(o, "cpu_times", "user", "1.23");
	CHECK_TEXT(o, "cpu_times", "system", "0.01");	/* 0.005 is a hair above in binary */
	CHECK_TEXT(o, "cpu_times", "children_user", "2.00");
	CHECK_TEXT(o, "cpu_times", "children_system", "1.00");
	CHECK_U64(o, "sched", "oncpu_ns", 1234567890123ull);
	CHECK_U64(o, "sched", "runq_wait_ns", 42);
	CHECK_U64(o, "sched", "voluntary", 3);
	CHECK_U64(o, "sched", "involuntary", 0);
	CHECK_U64(o, "num_threads", NULL, 17);
	CHECK(!get(o, "labels_lost", NULL), "labels_lost written while zero");
	CHECK(get(o, "elapsed_time", NULL) &&
	      fabs(json_object_get_double(get(o, "elapsed_time", NULL)) - 12.345679) < 1e-9,
	      "elapsed_time does not read back as a double 12.345679");
	json_object_put(o);
}

static void test_sample_has_every_key_and_number(void)
{
	struct sample s = known_sample();
	json_object *o = sample_object(&s);
	char buf[64];
	const char *ts = buf;

	logformat_timestamp(&wall, buf, sizeof(buf));
	CHECK_STR(json_object_get_string(get(o, "timestamp", NULL)), ts);
	check_round_trip(json_object_to_json_string(o));
	json_object_put(o);

	s.labels_lost = 5;
	o = sample_object(&s);
	CHECK_U64(o, "labels_lost", NULL, 5);
	json_object_put(o);
}

/* The kept tree writes what a fresh one would, line after line, as values and
 * the optional keys (io_counters, labels_lost, cgroup) come and go. */
static void test_cached_sample_line_equals_fresh(void)
{
	struct logformat_cache *cache = logformat_cache_new();
	struct sample s = known_sample();
	struct log_process_line line = { .sample = &s };
	const char *kept;
	char *fresh;
	int i;

	REQUIRE(cache != NULL, "no cache");
	for (i = 0; i < 12; i++) {
		s.rss_bytes += 4096 * (unsigned long long)i;
		s.user_s += 0.015 * i;
		s.elapsed_s += 1.0000007 * i;
		s.wall.tv_sec += i;
		s.num_threads = i;
		s.have_io = i % 3 != 1;
		s.labels_lost = i >= 6 ? (unsigned long long)i : 0;
		s.cgroup = i % 4 == 3 ? "/a/b" : i % 4 == 2 ? "/c" : NULL;
		/* One nested object changes at a time: each keeps its text or not. */
		if (i % 3 == 0)
			s.pfaults++;
		if (i % 4 == 1)
			s.voluntary += 2;
		if (i % 5 == 2)
			s.io_read_bytes += 512;
		if (i % 2)
			s.children_system_s += 0.01;
		kept = logformat_sample(cache, &s);
		fresh = logformat_process(&line);
		CHECK(kept && fresh && strcmp(kept, fresh) == 0, "line %d: kept %s, fresh %s", i,
		      kept ? kept : "(null)", fresh ? fresh : "(null)");
		free(fresh);
	}
	logformat_cache_free(cache);
}

/* Numbers at their edges come out of the kept tree as json-c's own writer puts
 * them (the kept tree writes integers itself), and fixed decimals as printf's. */
static void test_cached_numbers_at_their_edges(void)
{
	static const double doubles[] = { 0, 0.004999, 0.005, 1.999999, -0.001, -2.5, 123456.789,
					  1e12 + 0.25, 9.2e17 };
	struct logformat_cache *cache = logformat_cache_new();
	struct sample s = known_sample();
	struct log_process_line line = { .sample = &s };
	char got[64], want[64];
	const char *kept;
	char *fresh;
	size_t i;

	REQUIRE(cache != NULL, "no cache");
	for (i = 0; i < sizeof(doubles) / sizeof(doubles[0]); i++) {
		s.pid = i % 2 ? -2147483647 - 1 : 2147483647;
		s.ppid = (int)i - 4;
		s.num_threads = i % 2 ? -9223372036854775807L - 1 : 9223372036854775807L;
		s.oncpu_ns = i % 2 ? ~0ull : i;
		s.rss_bytes = 10000000000000000000ull + i;
		s.elapsed_s = doubles[i];
		s.user_s = -doubles[i];
		kept = logformat_sample(cache, &s);
		fresh = logformat_process(&line);
		CHECK(kept && fresh && strcmp(kept, fresh) == 0, "value %zu: kept %s, fresh %s", i,
		      kept ? kept : "(null)", fresh ? fresh : "(null)");
		free(fresh);
		if (doubles[i] > 1e9)
			continue;	/* beyond a double's microseconds: not printf's digits */
		logformat_fixed(got, sizeof(got), doubles[i], 6);
		snprintf(want, sizeof(want), "%.6f", doubles[i]);
		CHECK(strcmp(got, want) == 0, "%.9g with 6 decimals: %s, printf %s", doubles[i], got,
		      want);
	}
	logformat_cache_free(cache);
}

static void test_add_double_writes_fixed_decimals(void)
{
	static const struct {
		double v;
		int decimals;
		const char *want;
	} cases[] = {
		{ 0, 6, "0.000000" }, { 12.3456789, 6, "12.345679" }, { 1e-7, 6, "0.000000" },
		{ 123456.5, 6, "123456.500000" }, { 2, 2, "2.00" }, { 0.125, 2, "0.13" },
		{ -2.25, 2, "-2.25" }, { -0.001, 2, "0.00" }, { 1.999999, 2, "2.00" },
		{ 86400.000001, 6, "86400.000001" }, { 7, 0, "7" }, { 1e20, 6, "100000000000000000000" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char text[64];
		double back, unit = pow(10, -cases[i].decimals);

		logformat_fixed(text, sizeof(text), cases[i].v, cases[i].decimals);
		CHECK(!strcmp(text, cases[i].want), "%.9g with %d decimals: expected %s, got %s",
		      cases[i].v, cases[i].decimals, cases[i].want, text);
		back = strtod(text, NULL);
		CHECK(fabs(back - cases[i].v) <= unit / 2 * (1 + 1e-9) + fabs(cases[i].v) * 1e-15,
		      "%.9g does not read back within half a unit: %s", cases[i].v, text);
	}
}

static void test_timestamp_has_microseconds(void)
{
	char buf[64];
	const char *ts = buf;

	logformat_timestamp(&wall, buf, sizeof(buf));
	CHECK_STR(ts, "2023-11-14 22:13:20.123456");
	logformat_timestamp(&(struct timespec){ 1700000000, 999999999 }, buf, sizeof(buf));
	CHECK_STR(ts, "2023-11-14 22:13:20.999999");
	logformat_timestamp(&(struct timespec){ 1700000000, 0 }, buf, sizeof(buf));
	CHECK_STR(ts, "2023-11-14 22:13:20.000000");
}

/* Format @mark's line for a known sample into @buf; its length or -errno. */
static int format(char *buf, size_t size, enum log_format fmt, pid_t self, enum logline_mark mark)
{
	struct sample s = known_sample();
	struct log_process_line line = { .sample = &s };
	char *json = logformat_process(&line);
	int n = json ? logline_format(buf, size, fmt, self, mark, json, &wall) : -ENOMEM;

	free(json);
	return n;
}

static void test_totaldepth_prefix_and_markers(void)
{
	static const struct {
		enum logline_mark mark;
		const char *marker;
	} marks[] = {
		{ LOGLINE_PLAIN, "ProcessLoggingThread-JSON {" },
		{ LOGLINE_START, "ProcessLoggingThread-JSON-START {" },
		{ LOGLINE_STOP, "ProcessLoggingThread-JSON-STOP {" },
		/* Not "-JSON": TotalDepth's regex must not take a thread line for a sample. */
		{ LOGLINE_THREAD, "ProcessLoggingThread-THREAD {" },
	};
	const char *prefix = "2023-11-14 22:13:20,123 - procmon -    42 - (ProcMon   ) - INFO     - ";
	char buf[4096];

	for (size_t i = 0; i < sizeof(marks) / sizeof(*marks); i++) {
		int n = format(buf, sizeof(buf), LOG_FORMAT_TOTALDEPTH, 42, marks[i].mark);
		size_t plen = strlen(prefix), mlen = strlen(marks[i].marker);

		CHECK(n > 0 && (size_t)n == strlen(buf), "length %d, strlen %zu", n, strlen(buf));
		CHECK(!strncmp(buf, prefix, plen), "prefix: expected \"%s\", got \"%.*s\"", prefix,
		      (int)plen, buf);
		CHECK(!strncmp(buf + plen, marks[i].marker, mlen), "marker: expected \"%s\", got \"%.*s\"",
		      marks[i].marker, (int)mlen, buf + plen);
		CHECK(n > 0 && buf[n - 1] == '\n' && !memchr(buf, '\n', (size_t)n - 1),
		      "expected one line ending in '\\n'");
		if (n > 0) {
			buf[n - 1] = '\0';
			check_round_trip(buf + plen + mlen - 1);
		}
	}
	/* %(process)5d: wider PIDs are not cut. */
	format(buf, sizeof(buf), LOG_FORMAT_TOTALDEPTH, 4194304, LOGLINE_PLAIN);
	CHECK(strstr(buf, " - procmon - 4194304 - (ProcMon   ) - "), "7-digit pid: got %.80s", buf);
	format(buf, sizeof(buf), LOG_FORMAT_TOTALDEPTH, 12345, LOGLINE_PLAIN);
	CHECK(strstr(buf, " - procmon - 12345 - (ProcMon   ) - "), "5-digit pid: got %.80s", buf);
}

static void test_jsonl_is_bare_json(void)
{
	char buf[4096];
	int n = format(buf, sizeof(buf), LOG_FORMAT_JSONL, 42, LOGLINE_START);

	CHECK(n > 0 && buf[0] == '{' && buf[n - 1] == '\n' && !memchr(buf, '\n', (size_t)n - 1),
	      "expected one line '{...}\\n', got: %s", buf);
	CHECK(!strstr(buf, "ProcessLoggingThread"), "jsonl line holds a marker: %s", buf);
	if (n > 0) {
		buf[n - 1] = '\0';
		check_round_trip(buf);
	}
}

static void test_format_reports_a_short_buffer(void)
{
	char buf[4096], small[4096];
	int n = format(buf, sizeof(buf), LOG_FORMAT_TOTALDEPTH, 42, LOGLINE_PLAIN);
	int got;

	CHECK(n > 100, "line length %d", n);
	got = format(small, (size_t)n + 1, LOG_FORMAT_TOTALDEPTH, 42, LOGLINE_PLAIN);
	CHECK(got == n && !strcmp(small, buf), "exact fit (%d + 1 bytes): got %d", n, got);
	got = format(small, (size_t)n, LOG_FORMAT_TOTALDEPTH, 42, LOGLINE_PLAIN);
	CHECK(got == -ENOSPC, "one byte short: expected -ENOSPC, got %d", got);
	got = format(small, 10, LOG_FORMAT_JSONL, 42, LOGLINE_PLAIN);
	CHECK(got == -ENOSPC, "jsonl in 10 bytes: expected -ENOSPC, got %d", got);
}

/* procmon never calls setlocale(), but the formatter must not depend on that:
 * a locale with a decimal comma must not turn 12.345679 into 12,345679. */
extern char **environ;

/* de_DE.UTF-8 compiled by localedef into a private directory (LOCPATH), for
 * machines that have the locale sources but no generated German locale. */
static const char *make_german_locale(char *dir, size_t size)
{
	char out[300];
	char *argv[] = { "localedef", "-i", "de_DE", "-f", "UTF-8", out, NULL };
	posix_spawn_file_actions_t fa;
	int status = -1;
	pid_t pid;

	snprintf(dir, size, "/tmp/procmon-locale-XXXXXX");
	if (!mkdtemp(dir))
		return NULL;
	snprintf(out, sizeof(out), "%s/de_DE.UTF-8", dir);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	if (posix_spawnp(&pid, "localedef", &fa, NULL, argv, environ) == 0)
		waitpid(pid, &status, 0);
	posix_spawn_file_actions_destroy(&fa);
	if (status != 0)
		return NULL;
	setenv("LOCPATH", dir, 1);
	return dir;
}

static void remove_tree(const char *dir)
{
	char *argv[] = { "rm", "-rf", "--", (char *)dir, NULL };
	int status;
	pid_t pid;

	if (strncmp(dir, "/tmp/procmon-locale-", 20))
		return;
	if (posix_spawnp(&pid, "rm", NULL, NULL, argv, environ) == 0)
		waitpid(pid, &status, 0);
}

/* In a child: glibc keeps (and LeakSanitizer reports) the LOCPATH list it
 * builds in setlocale(), and the child _exits before the leak check. Exit
 * status 1: a check failed; 2: none did, but there was no comma locale to test. */
static void comma_locale_child(void)
{
	const char *locale = setlocale(LC_ALL, "de_DE.UTF-8");
	char buf[4096];
	int n;


	if (!locale)
		locale = setlocale(LC_ALL, "C.UTF-8");
	printf("  locale: %s, decimal point '%s'%s\n", locale ? locale : "(none)",
	       localeconv()->decimal_point,
	       strcmp(localeconv()->decimal_point, ",") ? " (no comma locale installed: weaker test)" : "");
	n = format(buf, sizeof(buf), LOG_FORMAT_TOTALDEPTH, 42, LOGLINE_PLAIN);
	CHECK(n > 0 && strstr(buf, "\"elapsed_time\": 12.345679,"), "elapsed_time under %s: %s",
	      locale ? locale : "?", buf);
	CHECK(n > 0 && strstr(buf, "\"user\": 1.23,"), "cpu_times.user under %s", locale ? locale : "?");
	if (n > 0) {
		char *json = strchr(buf, '{');

		buf[n - 1] = '\0';
		check_round_trip(json);
	}
	fflush(NULL);
	_exit(check_failed_now ? 1 : strcmp(localeconv()->decimal_point, ",") ? 2 : 0);
}

static void test_numbers_keep_the_point_under_a_comma_locale(void)
{
	char dir[64] = "";
	locale_t de = newlocale(LC_ALL_MASK, "de_DE.UTF-8", (locale_t)0);
	int status = -1;
	pid_t pid;

	if (de)
		freelocale(de);
	else
		make_german_locale(dir, sizeof(dir));	/* sets LOCPATH for the child */
	fflush(NULL);
	pid = fork();
	if (pid == 0)
		comma_locale_child();
	if (pid > 0)
		waitpid(pid, &status, 0);
	if (*dir) {
		unsetenv("LOCPATH");
		remove_tree(dir);
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 2)
		SKIP("no de_DE.UTF-8 locale, and localedef could not make one: only C.UTF-8 tested");
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "the formatter under a comma locale failed (wait status %#x)", status);
}

static void test_writer_puts_whole_lines(void)
{
	FILE *f = tmpfile();
	struct sample s = known_sample();
	struct log_process_line line = { .sample = &s };
	char *o = logformat_process(&line);
	struct logwriter w;
	char buf[4096];
	long size;
	int n = format(buf, sizeof(buf), LOG_FORMAT_JSONL, 0, LOGLINE_PLAIN);

	REQUIRE(f, "tmpfile: %s", strerror(errno));
	logwriter_init(&w, fileno(f), LOG_FORMAT_JSONL);
	CHECK(w.regular, "a tmpfile is a regular file");
	for (int i = 0; i < 3; i++)
		CHECK(logwriter_put(&w, LOGLINE_PLAIN, o, &wall) == 0, "put %d failed", i);
	size = lseek(fileno(f), 0, SEEK_END);
	CHECK(w.lines == 3 && size == 3L * n && w.good_bytes == size,
	      "expected 3 lines of %d bytes, got %lu lines, %ld bytes, good_bytes %lld", n, w.lines,
	      size, (long long)w.good_bytes);
	free(o);
	fclose(f);
}

/* A byte a terminal acts on (DEL, C1 and bidi controls: >= 0x7f) is escaped
 * wherever it sits in the line, and a line without one is written as it is. */
static void test_writer_escapes_high_bytes_anywhere(void)
{
	/* DEL, CSI (U+009B), RIGHT-TO-LEFT OVERRIDE (U+202E); '~' stays as it is. */
	static const char *const seqs[] = { "\x7f", "\xc2\x9b", "\xe2\x80\xae", "~" };
	char json[64], got[256];
	size_t q, pos, len;

	for (q = 0; q < sizeof(seqs) / sizeof(seqs[0]); q++) {
		for (pos = 0; pos < 20; pos++) {
			FILE *f = tmpfile();
			struct logwriter w;
			ssize_t n;

			REQUIRE(f, "tmpfile: %s", strerror(errno));
			len = strlen(seqs[q]);
			memset(json, 'a', sizeof(json));
			json[0] = '"';
			memcpy(json + 1 + pos, seqs[q], len);
			json[24] = '"';	/* after the longest sequence at the last place */
			json[25] = '\0';
			logwriter_init(&w, fileno(f), LOG_FORMAT_JSONL);
			CHECK(logwriter_put(&w, LOGLINE_PLAIN, json, &wall) == 0, "put failed");
			n = pread(fileno(f), got, sizeof(got) - 1, 0);
			got[n > 0 ? n : 0] = '\0';
			if (seqs[q][0] == '~')
				CHECK(n == 26 && memcmp(got, json, 25) == 0,
				      "'~' at %zu: changed to %s", pos, got);
			else
				CHECK(!strstr(got, seqs[q]) && strstr(got, "\\u"),
				      "sequence %zu at %zu: not escaped: %s", q, pos, got);
			fclose(f);
		}
	}
}

/* Gathered lines are written in time order: within a write, and across the
 * writes a full buffer forces when a late line is only a little late. */
static void test_writer_sorts_gathered_lines_by_time(void)
{
	FILE *f = tmpfile();
	struct logwriter w;
	struct timespec at;
	char json[64], *text = NULL;
	long last = -1, n = 0, back = 0, v;
	size_t size = 0;
	int i;

	REQUIRE(f, "tmpfile: %s", strerror(errno));
	logwriter_init(&w, fileno(f), LOG_FORMAT_JSONL);
	logwriter_batch(&w, 3600);
	/* 3,000 lines of ~40 bytes in pairs swapped (1 0 3 2 5 4 ...): several buffers. */
	for (i = 0; i < 3000; i++) {
		int t = i ^ 1;

		at.tv_sec = 1000 + t / 1000;
		at.tv_nsec = (t % 1000) * 1000000L;
		snprintf(json, sizeof(json), "{ \"t\": %d, \"pad\": \"%024d\" }", t, 0);
		CHECK(logwriter_put(&w, LOGLINE_PLAIN, json, &at) == 0, "put %d failed", i);
	}
	CHECK(logwriter_flush(&w) == 0, "flush failed");
	rewind(f);
	while (getline(&text, &size, f) > 0) {
		v = strtol(strstr(text, ":") + 1, NULL, 10);
		back += v < last;
		last = v;
		n++;
	}
	free(text);
	fclose(f);
	CHECK(n == 3000 && back == 0, "%ld lines, %ld out of time order", n, back);
}

/* A write that fails halfway (file size limit) leaves only whole lines, and
 * the writer refuses more after the first error. */
static void test_writer_cuts_a_partial_line(void)
{
	FILE *f = tmpfile();
	struct sample s = known_sample();
	struct log_process_line line = { .sample = &s };
	char *o = logformat_process(&line);
	struct rlimit old, lim;
	struct logwriter w;
	char buf[4096];
	int n = format(buf, sizeof(buf), LOG_FORMAT_JSONL, 0, LOGLINE_PLAIN), err = 0, i;
	long size;

	REQUIRE(f, "tmpfile: %s", strerror(errno));
	getrlimit(RLIMIT_FSIZE, &old);
	lim = old;
	lim.rlim_cur = (rlim_t)n * 2 + n / 2;	/* room for two and a half lines */
	signal(SIGXFSZ, SIG_IGN);
	logwriter_init(&w, fileno(f), LOG_FORMAT_JSONL);
	CHECK(setrlimit(RLIMIT_FSIZE, &lim) == 0, "setrlimit: %s", strerror(errno));
	for (i = 0; i < 5 && !err; i++)
		err = logwriter_put(&w, LOGLINE_PLAIN, o, &wall);
	setrlimit(RLIMIT_FSIZE, &old);
	size = lseek(fileno(f), 0, SEEK_END);
	CHECK(err == -EFBIG, "expected -EFBIG at the third line, got %d (%s) at put %d", err,
	      strerror(-err), i);
	CHECK(size == 2L * n && w.lines == 2, "expected 2 whole lines (%d bytes), got %ld bytes, %lu lines",
	      2 * n, size, w.lines);
	CHECK(logwriter_put(&w, LOGLINE_PLAIN, o, &wall) == err, "a put after an error did not fail");
	CHECK(lseek(fileno(f), 0, SEEK_END) == size, "a put after an error wrote");
	free(o);
	fclose(f);
}

int main(void)
{
	/* Dates in the expected strings are UTC. */
	setenv("TZ", "UTC", 1);
	tzset();
	RUN(test_sample_has_every_key_and_number);
	RUN(test_cached_sample_line_equals_fresh);
	RUN(test_cached_numbers_at_their_edges);
	RUN(test_add_double_writes_fixed_decimals);
	RUN(test_timestamp_has_microseconds);
	RUN(test_totaldepth_prefix_and_markers);
	RUN(test_jsonl_is_bare_json);
	RUN(test_format_reports_a_short_buffer);
	RUN(test_numbers_keep_the_point_under_a_comma_locale);
	RUN(test_writer_puts_whole_lines);
	RUN(test_writer_cuts_a_partial_line);
	RUN(test_writer_escapes_high_bytes_anywhere);
	RUN(test_writer_sorts_gathered_lines_by_time);
	return check_summary();
}
