// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Workload: three labelled phases of about a second each, off the CPU for three
 * different reasons: "cpu" spins 1 s of CPU time, "sleep" nanosleeps 1 s, "fsync"
 * appends 4 KiB and fsyncs, again and again for 1 s, to a file in DIR (a real
 * disk: the caller checks it is not tmpfs), then "done".
 * Usage: ph_offcpu DIR OUTFILE; OUTFILE gets `fsyncs wall_cpu_s wall_sleep_s wall_fsync_s`. */
#include <fcntl.h>

#define WORKLOAD_LABEL_HOOK
#include "workload.h"

static double clock_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	static char block[4096];
	struct timespec one_s = { 1, 0 };
	double t0, t1, t2, t3, until;
	char path[4096];
	long fsyncs = 0;
	FILE *out;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: ph_offcpu DIR OUTFILE\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/ph_offcpu.XXXXXX", argv[1]);
	fd = mkstemp(path);
	if (fd < 0) {
		perror(path);
		return 1;
	}
	unlink(path);
	memset(block, 'x', sizeof(block));

	t0 = clock_s(CLOCK_MONOTONIC);
	procmon_label("cpu");
	until = clock_s(CLOCK_THREAD_CPUTIME_ID) + 1.0;
	while (clock_s(CLOCK_THREAD_CPUTIME_ID) < until)
		;
	t1 = clock_s(CLOCK_MONOTONIC);
	procmon_label("sleep");
	while (nanosleep(&one_s, &one_s))
		;
	t2 = clock_s(CLOCK_MONOTONIC);
	procmon_label("fsync");
	until = t2 + 1.0;
	while (clock_s(CLOCK_MONOTONIC) < until) {
		if (write(fd, block, sizeof(block)) != sizeof(block) || fsync(fd)) {
			perror("write/fsync");
			return 1;
		}
		fsyncs++;
	}
	t3 = clock_s(CLOCK_MONOTONIC);
	procmon_label("done");
	close(fd);
	out = fopen(argv[2], "w");
	if (!out)
		return 1;
	fprintf(out, "%ld %.6f %.6f %.6f\n", fsyncs, t1 - t0, t2 - t1, t3 - t2);
	return fclose(out) ? 1 : 0;
}
