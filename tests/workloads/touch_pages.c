// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Workload: map MIB MiB of anonymous memory, write one byte per page, unmap;
 * REPEAT times. Then write its own getrusage(RUSAGE_SELF) to OUTFILE as
 * `minflt majflt utime_us stime_us pages_touched`, the ground truth for procmon. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long page = sysconf(_SC_PAGESIZE), pages_touched = 0;
	struct rusage ru;
	size_t bytes;
	int repeat;
	FILE *out;

	if (argc != 4) {
		fprintf(stderr, "usage: touch_pages MIB REPEAT OUTFILE\n");
		return 2;
	}
	bytes = (size_t)atol(argv[1]) << 20;
	repeat = atoi(argv[2]);
	for (int r = 0; r < repeat; r++) {
		volatile char *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
					MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED) {
			perror("mmap");
			return 1;
		}
		/* One fault per 4K page, not one per 2M: the count must be known. */
		madvise((void *)p, bytes, MADV_NOHUGEPAGE);
		for (size_t off = 0; off < bytes; off += (size_t)page) {
			p[off] = 1;
			pages_touched++;
		}
		munmap((void *)p, bytes);
	}
	getrusage(RUSAGE_SELF, &ru);
	out = fopen(argv[3], "w");
	if (!out) {
		perror(argv[3]);
		return 1;
	}
	fprintf(out, "%ld %ld %lld %lld %ld\n", ru.ru_minflt, ru.ru_majflt,
		(long long)ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec,
		(long long)ru.ru_stime.tv_sec * 1000000 + ru.ru_stime.tv_usec, pages_touched);
	return fclose(out) ? 1 : 0;
}
