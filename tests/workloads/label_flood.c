// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Calls procmon_label N times as fast as it can (or one call every DELAY_US) and
 * reports N and the time per call: fills procmon's ring buffer, and measures the hook. */
#define WORKLOAD_LABEL_HOOK
#include "workload.h"

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ull + (unsigned long long)ts.tv_nsec;
}

/* "f<seq>" into buf, without printf's cost: the label names its call. */
static void seq_label(char *buf, unsigned long seq)
{
	char digits[24];
	int n = 0;

	do
		digits[n++] = (char)('0' + seq % 10);
	while ((seq /= 10));
	*buf++ = 'f';
	while (n)
		*buf++ = digits[--n];
	*buf = '\0';
}

static long arg_long(const char *s, long min)
{
	char *end;
	long v = strtol(s, &end, 10);

	return *s && !*end && v >= min ? v : -1;
}

/* Usage: label_flood N [DELAY_US [same]]: N calls; with DELAY_US > 0, call i falls
 * at start + i * DELAY_US (busy-waiting: a sleep could not keep a short period);
 * "same" labels every call "flood" instead of "f0", "f1", ... (no formatting cost).
 * Prints `label_flood: N calls, X ns per call` (X: the loop's time / N). */
int main(int argc, char **argv)
{
	long n = argc > 1 ? arg_long(argv[1], 1) : -1;
	long delay_us = argc > 2 ? arg_long(argv[2], 0) : 0;
	int same = argc > 3 && !strcmp(argv[3], "same");
	unsigned long long start, end;
	char buf[32];

	if (n < 0 || delay_us < 0) {
		fprintf(stderr, "usage: label_flood N [DELAY_US [same]]\n");
		return 2;
	}
	start = now_ns();
	for (long i = 0; i < n; i++) {
		if (delay_us)
			while (now_ns() < start + (unsigned long long)i * (unsigned long long)delay_us * 1000)
				;
		if (same) {
			procmon_label("flood");
		} else {
			seq_label(buf, (unsigned long)i);
			procmon_label(buf);
		}
	}
	end = now_ns();
	printf("label_flood: %ld calls, %.1f ns per call\n", n, (double)(end - start) / (double)n);
	return 0;
}
