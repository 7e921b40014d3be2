/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* A tiny test harness: each test binary runs its tests with RUN() and ends with
 * the summary line `N passed, N failed, N skipped` that tests/run-tests adds up. */
#ifndef PROCMON_CHECK_H
#define PROCMON_CHECK_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <math.h>

static int check_failed_now;	/* failures inside the running test */
static int check_skipped_now;	/* the running test called SKIP */
static char check_skip_why[256];	/* and why */
static const char *check_skip_all_why;	/* set: RUN skips every test with this reason */
static int check_passed, check_failed, check_skipped;

static inline void check_fail_at(const char *file, int line, const char *macro,
				  const char *cond)
{
	fprintf(stderr, "  %s:%d: %s(%s) failed: ", file, line, macro, cond);
	check_failed_now++;
}

/* Record a failure with the expectation and what was seen; the test goes on. */
#define CHECK(cond, ...)							\
	do {									\
		if (!(cond)) {							\
			check_fail_at(__FILE__, __LINE__, "CHECK", #cond);	\
			fprintf(stderr, __VA_ARGS__);				\
			fputc('\n', stderr);					\
		}								\
	} while (0)

/* A CHECK on what the rest of the test needs (a report read, a file opened):
 * on failure the test is failed and stops here rather than go on with data that
 * was never set. In a helper it returns from the helper alone (the failure is
 * recorded all the same). */
#define REQUIRE(cond, ...)							\
	do {									\
		if (!(cond)) {							\
			check_fail_at(__FILE__, __LINE__, "REQUIRE", #cond);	\
			fprintf(stderr, __VA_ARGS__);				\
			fputc('\n', stderr);					\
			return;							\
		}								\
	} while (0)

/* REQUIRE for a test with cleanup to do: on failure, goto @label (its cleanup,
 * which must cope with what was not set up yet) instead of returning. */
#define REQUIRE_GOTO(cond, label, ...)						\
	do {									\
		if (!(cond)) {							\
			check_fail_at(__FILE__, __LINE__, "REQUIRE", #cond);	\
			fprintf(stderr, __VA_ARGS__);				\
			fputc('\n', stderr);					\
			goto label;						\
		}								\
	} while (0)

/* |got - want| <= tol, printing both. */
#define CHECK_NEAR(got, want, tol, what)					\
	CHECK(fabs((double)(got) - (double)(want)) <= (double)(tol),		\
	      "%s: expected %.6g ± %.3g, got %.6g", (what), (double)(want),	\
	      (double)(tol), (double)(got))

#define CHECK_STR(got, want)							\
	CHECK((got) && strcmp((got), (want)) == 0, "expected \"%s\", got \"%s\"", \
	      (want), (got) ? (got) : "(null)")

/* Mark the running test skipped, with its reason (cut to fit). */
static inline __attribute__((format(printf, 1, 2))) void check_skip_now(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(check_skip_why, sizeof(check_skip_why), fmt, ap);
	va_end(ap);
	check_skipped_now = 1;
}

/* Skip the rest of a test: only for a kernel or system that truly lacks a
 * feature. The test counts as skipped, neither passed nor failed (failed if a
 * CHECK failed before). */
#define SKIP(...)								\
	do {									\
		check_skip_now(__VA_ARGS__);					\
		return;								\
	} while (0)

/* Skip every test RUN from now on, each printed as skipped with @why: for a
 * program that cannot run at all here (no root to load BPF). */
static inline void check_skip_all(const char *why)
{
	check_skip_all_why = why;
}

#define RUN(test)								\
	do {									\
		check_failed_now = check_skipped_now = 0;			\
		if (check_skip_all_why)						\
			check_skip_now("%s", check_skip_all_why);		\
		else								\
			test();							\
		if (check_failed_now) {						\
			check_failed++;						\
			printf("FAIL - %s\n", #test);				\
		} else if (check_skipped_now) {					\
			check_skipped++;					\
			printf("skip - %s: %s\n", #test, check_skip_why);	\
		} else {							\
			check_passed++;						\
			printf("ok - %s\n", #test);				\
		}								\
		fflush(stdout);							\
	} while (0)

static inline int check_summary(void)
{
	printf("%d passed, %d failed, %d skipped\n", check_passed, check_failed, check_skipped);
	return check_failed ? 1 : 0;
}

#endif /* PROCMON_CHECK_H */
