// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* CPU-bound workload: an arithmetic loop of a fixed number of iterations, no
 * system calls and no page faults while it runs. Usage: cpu [MILLION_ITERATIONS] */
#include "bench.h"

int main(int argc, char **argv)
{
	long n = bench_arg(argc, argv, 1, 200) * 1000000L;
	volatile unsigned long sink;
	unsigned long x = 88172645463325252ul;
	struct bench_clock t0 = bench_start();

	for (long i = 0; i < n; i++) {	/* xorshift: the compiler cannot fold it */
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
	}
	sink = x;
	(void)sink;
	bench_end(t0);
	return 0;
}
