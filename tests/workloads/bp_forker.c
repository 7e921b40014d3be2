// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Workload: fork CHILDREN children that each touch PAGES fresh pages and write their
 * own getrusage to DIR/PID as `minflt majflt end_mono_s`, then exit. The last child
 * first sleeps LINGER_S and the parent does not wait for it: the parent exits with
 * EXITCODE while that child still runs. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* In the child: touch, report, exit. No stdio: its buffers would fault after the
 * getrusage call, and the report must hold all the child's faults. */
static void child(long pages, double linger_s, const char *dir)
{
	long page = sysconf(_SC_PAGESIZE);
	char path[4096], line[128];
	struct rusage ru;
	volatile char *p;
	int fd, len;

	if (linger_s > 0) {
		struct timespec ts = { (time_t)linger_s,
				       (long)((linger_s - (double)(time_t)linger_s) * 1e9) };

		while (nanosleep(&ts, &ts))
			;
	}
	p = mmap(NULL, (size_t)(pages * page), PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		_exit(1);
	madvise((void *)p, (size_t)(pages * page), MADV_NOHUGEPAGE);
	for (long i = 0; i < pages; i++)
		p[i * page] = 1;
	snprintf(path, sizeof(path), "%s/%d", dir, (int)getpid());
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	getrusage(RUSAGE_SELF, &ru);
	len = snprintf(line, sizeof(line), "%ld %ld %.6f\n", ru.ru_minflt, ru.ru_majflt, mono_s());
	if (fd < 0 || write(fd, line, (size_t)len) != len)
		_exit(1);
	_exit(0);
}

int main(int argc, char **argv)
{
	int children, failed = 0, status;
	double linger_s;
	long pages;

	if (argc != 6) {
		fprintf(stderr, "usage: bp_forker CHILDREN PAGES LINGER_S DIR EXITCODE\n");
		return 2;
	}
	children = atoi(argv[1]);
	pages = atol(argv[2]);
	linger_s = atof(argv[3]);
	for (int i = 0; i < children; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0)
			child(pages, i == children - 1 ? linger_s : 0, argv[4]);
	}
	/* All but the lingering one; it is reaped by whoever inherits it. */
	for (int i = 0; i < children - 1; i++)
		if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
			failed++;
	if (failed)
		fprintf(stderr, "bp_forker: %d children failed\n", failed);
	return failed ? 1 : atoi(argv[5]);
}
