// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Allocation-bound workload: N million malloc + free pairs, no page faults after
 * the first few. Beside `procmon --mark malloc` it shows whether processes that
 * are not traced trap on the uprobe. Usage: mallocs [MILLION_CALLS] */
#include "bench.h"

int main(int argc, char **argv)
{
	long n = bench_arg(argc, argv, 1, 3) * 1000000L;
	struct bench_clock t0 = bench_start();

	for (long i = 0; i < n; i++) {
		void *volatile p = malloc(32);

		free(p);
	}
	bench_end(t0);
	return 0;
}
