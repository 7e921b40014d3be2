// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Calls count_me() N times, each a malloc and a free, and prints the loop's own
 * wall and CPU time: traced it gives an exact --mark count, untraced beside a
 * --mark run it shows whether other processes trap. Usage: malloc_loop N [HOLD_MS] */
#include "workload.h"

/* Never inlined: a --mark target with exactly one call per iteration. */
__attribute__((noinline, used)) void count_me(void)
{
	void *volatile p = malloc(32);

	free(p);
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000;
	struct timespec a, b, ca, cb;

	clock_gettime(CLOCK_MONOTONIC, &a);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ca);
	for (long i = 0; i < n; i++)
		count_me();
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cb);
	clock_gettime(CLOCK_MONOTONIC, &b);
	/* CPU time too: a trap is CPU time of the caller's, a busy machine's waits are not. */
	printf("loop_s %.6f cpu_s %.6f\n",
	       (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9,
	       (double)(cb.tv_sec - ca.tv_sec) + (double)(cb.tv_nsec - ca.tv_nsec) / 1e9);
	fflush(stdout);
	sleep_ms(argc > 2 ? atol(argv[2]) : 0);
	return 0;
}
