// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Sampling-fidelity target: ROUNDS x (malloc MIB MiB, write every page, hold it
 * HOLD_MS, free), hundreds of MiB in flight, the way TotalDepth's demo allocates.
 * Usage: alloc [ROUNDS [MIB [HOLD_MS]]] */
#include "bench.h"

int main(int argc, char **argv)
{
	long rounds = bench_arg(argc, argv, 1, 4), mib = bench_arg(argc, argv, 2, 256);
	long hold_ms = bench_arg(argc, argv, 3, 100);
	size_t bytes = (size_t)mib << 20;
	struct bench_clock t0 = bench_start();

	for (long r = 0; r < rounds; r++) {
		char *p = malloc(bytes);

		if (!p) {
			fprintf(stderr, "alloc: cannot allocate %ld MiB\n", mib);
			return 1;
		}
		/* Page by page through a volatile pointer: a memset before free() is a
		 * dead store the compiler may drop. */
		for (size_t off = 0; off < bytes; off += 4096)
			((volatile char *)p)[off] = (char)(r + 1);
		usleep((useconds_t)hold_ms * 1000);
		free(p);
	}
	bench_end(t0);
	return 0;
}
