// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests of the strict number parsers behind -i/-d, -p and --buffer, and of
 * options_parse on command lines that are valid. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>

#include "check.h"
#include "options.h"

static const char *err_name(int err)
{
	switch (err) {
	case 0: return "0";
	case -EINVAL: return "-EINVAL";
	case -ERANGE: return "-ERANGE";
	case -E2BIG: return "-E2BIG";
	default: return "other";
	}
}

#define CHECK_SECONDS_OK(text, want)						\
	do {									\
		double v_ = -42;						\
		int e_ = parse_seconds((text), &v_);				\
		CHECK(e_ == 0 && v_ == (want), "parse_seconds(\"%s\"): expected 0 and %.9g, got %s and %.9g", \
		      (text), (double)(want), err_name(e_), v_);		\
	} while (0)

/* Rejected (either error), and the output left alone. */
#define CHECK_SECONDS_BAD(text)							\
	do {									\
		double v_ = -42;						\
		int e_ = parse_seconds((text), &v_);				\
		CHECK((e_ == -EINVAL || e_ == -ERANGE) && v_ == -42,		\
		      "parse_seconds(\"%s\"): expected -EINVAL or -ERANGE, got %s (value %.9g)", \
		      (text), err_name(e_), v_);				\
	} while (0)

static void test_parse_seconds_takes_decimal_seconds(void)
{
	CHECK_SECONDS_OK("1", 1.0);
	CHECK_SECONDS_OK("0.01", 0.01);
	CHECK_SECONDS_OK(".5", 0.5);
	CHECK_SECONDS_OK("2.", 2.0);
	CHECK_SECONDS_OK("1e-3", 0.001);
	CHECK_SECONDS_OK("1.5E1", 15.0);
	CHECK_SECONDS_OK("+3", 3.0);
	CHECK_SECONDS_OK("31536000", 31536000.0);	/* a year, the limit */
}

static void test_parse_seconds_is_strict(void)
{
	const char *bad[] = { "", "0", "-0", "0.0", "-1", "-0.5", "nan", "NaN", "inf", "infinity",
			      "-inf", "abc", "1x", "12abc", " 1", "1 ", "\t1", "1\n", "1e400",
			      "1e-400", "0x10", "0x1p3", ".", "+", "-", "e5", "1e", "1..2",
			      "1,5", "31536001", "1e10", "--1" };

	double v = -42;

	CHECK(parse_seconds(NULL, &v) == -EINVAL && v == -42, "parse_seconds(NULL): expected -EINVAL");
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		CHECK_SECONDS_BAD(bad[i]);
}

/* A list parsed into a fresh array: its error, count and values. */
static int pids_of(const char *text, pid_t *pids, int *n)
{
	*n = 0;
	for (int i = 0; i < PROCMON_MAX_PIDS; i++)
		pids[i] = -42;
	return parse_pid_list(text, pids, n, PROCMON_MAX_PIDS);
}

static void test_parse_pid_list_takes_comma_lists(void)
{
	pid_t pids[PROCMON_MAX_PIDS];
	int n, err;

	err = pids_of("1234", pids, &n);
	CHECK(err == 0 && n == 1 && pids[0] == 1234, "\"1234\": got %s, n=%d, [0]=%d",
	      err_name(err), n, (int)pids[0]);
	err = pids_of("1,2,3", pids, &n);
	CHECK(err == 0 && n == 3 && pids[0] == 1 && pids[1] == 2 && pids[2] == 3,
	      "\"1,2,3\": got %s, n=%d, %d %d %d", err_name(err), n, (int)pids[0], (int)pids[1],
	      (int)pids[2]);
	err = pids_of("2147483647", pids, &n);
	CHECK(err == 0 && n == 1 && pids[0] == INT_MAX, "\"2147483647\": got %s, %d",
	      err_name(err), (int)pids[0]);
	err = pids_of("007", pids, &n);
	CHECK(err == 0 && n == 1 && pids[0] == 7, "\"007\": got %s, %d", err_name(err), (int)pids[0]);

	/* Repeated -p appends to the same list. */
	n = 0;
	err = parse_pid_list("5", pids, &n, PROCMON_MAX_PIDS);
	err |= parse_pid_list("6,7", pids, &n, PROCMON_MAX_PIDS);
	CHECK(err == 0 && n == 3 && pids[0] == 5 && pids[2] == 7, "-p 5 -p 6,7: n=%d", n);
}

/* -p 5,5 or -p 5 -p 5 is one target: otherwise every line comes twice. */
static void test_parse_pid_list_drops_repeats(void)
{
	pid_t pids[PROCMON_MAX_PIDS];
	int n, err;

	err = pids_of("1,2,1,2,3", pids, &n);
	CHECK(err == 0 && n == 3 && pids[0] == 1 && pids[1] == 2 && pids[2] == 3,
	      "\"1,2,1,2,3\": expected 3 PIDs 1 2 3, got %s, n=%d", err_name(err), n);
	n = 0;
	err = parse_pid_list("5", pids, &n, PROCMON_MAX_PIDS);
	err |= parse_pid_list("5", pids, &n, PROCMON_MAX_PIDS);
	CHECK(err == 0 && n == 1 && pids[0] == 5, "-p 5 -p 5: expected one PID, got n=%d", n);
	/* A full list takes a repeat without -E2BIG. */
	n = 0;
	for (int i = 1; i <= PROCMON_MAX_PIDS; i++)
		pids[n++] = i;
	err = parse_pid_list("7", pids, &n, PROCMON_MAX_PIDS);
	CHECK(err == 0 && n == PROCMON_MAX_PIDS, "a repeat into a full list: got %s, n=%d",
	      err_name(err), n);
}

static void test_parse_pid_list_is_strict(void)
{
	const char *bad[] = { "", "0", "-5", "1,,2", ",1", "1,", ",", "99999999999", "2147483648",
			      "4294967297", "abc", "12abc", "+1", " 1", "1 ", "1, 2", "0x10", "1e3",
			      "1.0", "1;2" };
	pid_t pids[PROCMON_MAX_PIDS];
	int n, err;

	err = parse_pid_list(NULL, pids, &(int){0}, PROCMON_MAX_PIDS);
	CHECK(err == -EINVAL, "NULL: expected -EINVAL, got %s", err_name(err));
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		err = pids_of(bad[i], pids, &n);
		CHECK(err == -EINVAL || err == -ERANGE,
		      "parse_pid_list(\"%s\"): expected -EINVAL or -ERANGE, got %s (n=%d)", bad[i],
		      err_name(err), n);
	}
}

static void test_parse_pid_list_stops_at_max(void)
{
	char text[PROCMON_MAX_PIDS * 4 + 8] = "";
	pid_t pids[PROCMON_MAX_PIDS];
	int n, err, len = 0;

	for (int i = 1; i <= PROCMON_MAX_PIDS; i++)
		len += snprintf(text + len, sizeof(text) - (size_t)len, "%s%d", i > 1 ? "," : "", i);
	err = pids_of(text, pids, &n);
	CHECK(err == 0 && n == PROCMON_MAX_PIDS && pids[PROCMON_MAX_PIDS - 1] == PROCMON_MAX_PIDS,
	      "%d PIDs: expected 0 and n=%d, got %s and n=%d", PROCMON_MAX_PIDS, PROCMON_MAX_PIDS,
	      err_name(err), n);
	snprintf(text + len, sizeof(text) - (size_t)len, ",99");
	err = pids_of(text, pids, &n);
	CHECK(err == -E2BIG && n <= PROCMON_MAX_PIDS, "%d PIDs: expected -E2BIG, got %s, n=%d",
	      PROCMON_MAX_PIDS + 1, err_name(err), n);
}

#define CHECK_SIZE(text, want_err, want)					\
	do {									\
		unsigned long v_ = 42;						\
		int e_ = parse_size((text), &v_);				\
		CHECK(e_ == (want_err) && (e_ || v_ == (unsigned long)(want)),	\
		      "parse_size(\"%s\"): expected %s and %lu, got %s and %lu", (text), \
		      err_name(want_err), (unsigned long)(want), err_name(e_), v_); \
	} while (0)

static void test_parse_size_takes_powers_of_two(void)
{
	CHECK_SIZE("4096", 0, 4096);
	CHECK_SIZE("4K", 0, 4096);
	CHECK_SIZE("4k", 0, 4096);
	CHECK_SIZE("256K", 0, 256 * 1024);
	CHECK_SIZE("1M", 0, 1 << 20);
	CHECK_SIZE("1024m", 0, 1ul << 30);
	CHECK_SIZE("1073741824", 0, 1ul << 30);
}

static void test_parse_size_is_strict(void)
{
	const char *invalid[] = { "", "12abc", " 1", "1 ", "1e400", "0x10", "-1", "+4096", "4KB",
				  "4G", "K", "4096.0", "1,024K" };
	const char *range[] = { "0", "3", "4095", "6000", "2048M", "2147483648", "3K",
				"18446744073709551616", "99999999999999999999999" };

	unsigned long v = 42;

	CHECK(parse_size(NULL, &v) == -EINVAL && v == 42, "parse_size(NULL): expected -EINVAL");
	for (size_t i = 0; i < sizeof(invalid) / sizeof(*invalid); i++)
		CHECK_SIZE(invalid[i], -EINVAL, 0);
	for (size_t i = 0; i < sizeof(range) / sizeof(*range); i++)
		CHECK_SIZE(range[i], -ERANGE, 0);
}

/* A huge count of K or M must not wrap around to a small power of two:
 * (2^54 + 4) K is 4096 modulo 2^64, (2^44 + 1) M is 1 MiB. */
static void test_parse_size_suffix_does_not_overflow(void)
{
	CHECK_SIZE("18014398509481988K", -ERANGE, 0);
	CHECK_SIZE("17592186044417M", -ERANGE, 0);
	CHECK_SIZE("4194304K", -ERANGE, 0);	/* 4 GiB */
}

static void test_options_parse_splits_options_and_command(void)
{
	char *argv[] = { "procmon", "-i", "0.25", "-d", "3", "--format", "jsonl", "-o", "run.log",
			 "-q", "sleep", "-i", "5", NULL };
	char *argv_pids[] = { "/some/path/procmon", "-p", "1,2", "-p", "3", "--buffer", "1M", NULL };
	struct procmon_opts o;

	options_parse(13, argv, &o);
	CHECK(o.interval_s == 0.25, "interval: expected 0.25, got %g", o.interval_s);
	CHECK(o.duration_s == 3, "duration: expected 3, got %g", o.duration_s);
	CHECK(o.format == LOG_FORMAT_JSONL, "format: expected jsonl, got %d", (int)o.format);
	CHECK_STR(o.output, "run.log");
	CHECK(o.quiet, "-q not seen");
	CHECK(o.n_pids == 0, "expected no PIDs, got %d", o.n_pids);
	/* Everything from the first non-option on is the command's, its -i included. */
	CHECK(o.command && o.command[0] && !strcmp(o.command[0], "sleep") && o.command[1] &&
	      !strcmp(o.command[1], "-i") && o.command[2] && !strcmp(o.command[2], "5") &&
	      !o.command[3], "command: expected sleep -i 5");
	CHECK_STR(argv[0], "procmon");

	options_parse(7, argv_pids, &o);
	CHECK(o.n_pids == 3 && o.pids[0] == 1 && o.pids[1] == 2 && o.pids[2] == 3,
	      "-p 1,2 -p 3: expected 3 PIDs 1 2 3, got %d", o.n_pids);
	CHECK(o.ringbuf_bytes == 1u << 20, "--buffer 1M: got %lu", o.ringbuf_bytes);
	CHECK(o.interval_s == 1.0, "default interval: expected 1, got %g", o.interval_s);
	CHECK(o.format == LOG_FORMAT_TOTALDEPTH, "default format: expected totaldepth");
	CHECK(!o.command, "expected no command");
	CHECK_STR(argv_pids[0], "/some/path/procmon");	/* argv[0] given back */
}

static void test_options_parse_takes_cgroup_and_prometheus(void)
{
	char *argv[] = { "procmon", "--cgroup", "/sys/fs/cgroup/unified/x", "--prometheus",
			 ":9464", "--prometheus-hold", "2.5", NULL };
	char *argv_unit[] = { "procmon", "--unit", "nginx.service", "--prometheus", "127.0.0.1:0",
			      NULL };
	struct procmon_opts o;

	options_parse(7, argv, &o);
	CHECK_STR(o.cgroup, "/sys/fs/cgroup/unified/x");
	CHECK(!o.command && !o.n_pids && !o.unit, "--cgroup alone is what to trace");
	CHECK(o.prometheus && o.prom.any, "\":9464\" is every interface");
	CHECK(o.prom_hold_s == 2.5, "--prometheus-hold 2.5: got %g", o.prom_hold_s);
	options_parse(5, argv_unit, &o);
	CHECK_STR(o.unit, "nginx.service");
	CHECK(o.prometheus && !o.prom.any, "127.0.0.1 is one interface");
	CHECK(o.prom_hold_s == 30, "default hold: expected 30, got %g", o.prom_hold_s);
}

static void test_parse_hold_seconds_takes_zero_and_is_strict(void)
{
	const char *bad[] = { "", "-1", "abc", "1e3", "nan", "86401", " 1", "0x10", NULL };
	double v = -42;

	CHECK(parse_hold_seconds("0", &v) == 0 && v == 0, "0: got %g", v);
	CHECK(parse_hold_seconds("30", &v) == 0 && v == 30, "30: got %g", v);
	CHECK(parse_hold_seconds("0.5", &v) == 0 && v == 0.5, "0.5: got %g", v);
	for (int i = 0; bad[i]; i++) {
		v = -42;
		CHECK(parse_hold_seconds(bad[i], &v) != 0 && v == -42, "\"%s\" was taken: %g", bad[i], v);
	}
}

int main(void)
{
	RUN(test_parse_seconds_takes_decimal_seconds);
	RUN(test_parse_seconds_is_strict);
	RUN(test_parse_pid_list_takes_comma_lists);
	RUN(test_parse_pid_list_drops_repeats);
	RUN(test_parse_pid_list_is_strict);
	RUN(test_parse_pid_list_stops_at_max);
	RUN(test_parse_size_takes_powers_of_two);
	RUN(test_parse_size_is_strict);
	RUN(test_parse_size_suffix_does_not_overflow);
	RUN(test_options_parse_splits_options_and_command);
	RUN(test_options_parse_takes_cgroup_and_prometheus);
	RUN(test_parse_hold_seconds_takes_zero_and_is_strict);
	return check_summary();
}
