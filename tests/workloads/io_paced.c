// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Workload: `io_paced N BYTES` writes BYTES to /dev/null and touches a fresh
 * page every millisecond, N times: I/O and RSS that move between samples at 1 kHz. */
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec tick = { 0, 1000000 };
	int n = argc > 1 ? atoi(argv[1]) : 300;
	size_t bytes = argc > 2 ? (size_t)atol(argv[2]) : 4096;
	char *buf = calloc(1, bytes), *pages;
	long page = sysconf(_SC_PAGESIZE);
	int fd = open("/dev/null", O_WRONLY);

	pages = mmap(NULL, (size_t)n * (size_t)page, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!buf || fd < 0 || pages == MAP_FAILED)
		return 1;
	for (int i = 0; i < n; i++) {
		if (write(fd, buf, bytes) != (ssize_t)bytes)
			return 1;
		pages[(size_t)i * (size_t)page] = 1;
		nanosleep(&tick, NULL);
	}
	return 0;
}
