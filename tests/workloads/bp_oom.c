// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Workload: move itself into the cgroup whose process list is PROCS_FILE (made
 * memory-limited by the test), then touch MIB MiB one MiB at a time: the cgroup's
 * OOM killer should kill it. Exits 3 if it survives. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t chunk = 1 << 20;
	FILE *procs;
	long mib;

	if (argc != 3) {
		fprintf(stderr, "usage: bp_oom PROCS_FILE MIB\n");
		return 2;
	}
	mib = atol(argv[2]);
	procs = fopen(argv[1], "w");
	if (!procs || fprintf(procs, "%d\n", (int)getpid()) < 0 || fclose(procs)) {
		perror(argv[1]);
		return 1;
	}
	for (long i = 0; i < mib; i++) {
		char *p = mmap(NULL, chunk, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			       -1, 0);

		if (p == MAP_FAILED) {
			perror("mmap");
			return 1;
		}
		for (size_t off = 0; off < chunk; off += (size_t)page)
			p[off] = 1;
	}
	fprintf(stderr, "bp_oom: touched %ld MiB and was not killed\n", mib);
	return 3;
}
