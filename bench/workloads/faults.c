// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Page-fault-heavy workload: ROUNDS x (mmap MIB MiB, touch every 4K page, munmap),
 * THP off for the mapping so each page is its own fault. Usage: faults [ROUNDS [MIB]] */
#include <sys/mman.h>
#include "bench.h"

int main(int argc, char **argv)
{
	long rounds = bench_arg(argc, argv, 1, 8), mib = bench_arg(argc, argv, 2, 64);
	size_t bytes = (size_t)mib << 20, page = (size_t)sysconf(_SC_PAGESIZE);
	struct bench_clock t0 = bench_start();

	for (long r = 0; r < rounds; r++) {
		volatile char *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
					MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED) {
			perror("faults: mmap");
			return 1;
		}
		madvise((void *)p, bytes, MADV_NOHUGEPAGE);
		for (size_t off = 0; off < bytes; off += page)
			p[off] = 1;
		munmap((void *)p, bytes);
	}
	bench_end(t0);
	return 0;
}
