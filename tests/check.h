/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* A tiny test harness: each test binary runs its tests with RUN() and ends with
 * the summary line `N passed, N failed` that tests/run-tests adds up. */
#ifndef PROCMON_CHECK_H
#define PROCMON_CHECK_H

#include <stdio.h>
#include <string.h>
#include <math.h>

static int check_failed_now;	/* failures inside the running test */
static int check_passed, check_failed;

/* Record a failure with the expectation and what was seen; the test goes on. */
#define CHECK(cond, ...)							\
	do {									\
		if (!(cond)) {							\
			fprintf(stderr, "  %s:%d: CHECK(%s) failed: ", __FILE__,	\
				__LINE__, #cond);					\
			fprintf(stderr, __VA_ARGS__);				\
			fputc('\n', stderr);					\
			check_failed_now++;					\
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

/* Skip the rest of a test: only for a kernel that truly lacks a feature. */
#define SKIP(...)								\
	do {									\
		printf("skip - %s: ", __func__);					\
		printf(__VA_ARGS__);						\
		printf("\n");							\
		return;								\
	} while (0)

#define RUN(test)								\
	do {									\
		check_failed_now = 0;						\
		test();								\
		if (check_failed_now) {						\
			check_failed++;						\
			printf("FAIL - %s\n", #test);				\
		} else {							\
			check_passed++;						\
			printf("ok - %s\n", #test);				\
		}								\
		fflush(stdout);							\
	} while (0)

static inline int check_summary(void)
{
	printf("%d passed, %d failed\n", check_passed, check_failed);
	return check_failed ? 1 : 0;
}

#endif /* PROCMON_CHECK_H */
