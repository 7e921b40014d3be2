/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What every bench workload shares: wait for the driver's "go" on stdin, time the
 * work itself, print it, and stay alive until stdin closes. */
#ifndef PROCMON_BENCH_H
#define PROCMON_BENCH_H

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

struct bench_clock {
	double wall_s, cpu_s;
};

/* Wall time on CLOCK_MONOTONIC and CPU time (user + system, every thread). CPU
 * time is the steadier figure on a busy machine: BPF programs run in the target's
 * own context and count in it, while time spent waiting for a CPU does not. */
static inline struct bench_clock bench_now(void)
{
	struct timespec ts;
	struct rusage ru;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	getrusage(RUSAGE_SELF, &ru);
	return (struct bench_clock){
		.wall_s = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9,
		.cpu_s = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
			 (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6,
	};
}

/* Block until the driver writes a byte (or closes stdin): a monitor that attaches
 * to a running PID is in place before the work starts. */
static inline struct bench_clock bench_start(void)
{
	char c;

	if (read(0, &c, 1) < 0)
		perror("bench: read stdin");
	return bench_now();
}

/* Print the work's wall and CPU time, then wait for stdin to close, so the driver
 * can read the monitor's state (BPF stats, CPU time) while the target still lives. */
static inline void bench_end(struct bench_clock start)
{
	struct bench_clock end = bench_now();
	char c;

	printf("wall_s %.6f cpu_s %.6f\n", end.wall_s - start.wall_s, end.cpu_s - start.cpu_s);
	fflush(stdout);
	while (read(0, &c, 1) > 0)
		;
}

/* A positive integer argument, or @def when absent; exits on anything else. */
static inline long bench_arg(int argc, char **argv, int i, long def)
{
	char *end;
	long v;

	if (argc <= i)
		return def;
	v = strtol(argv[i], &end, 10);
	if (*end || v <= 0) {
		fprintf(stderr, "bench: argument %d must be a positive integer, not '%s'\n", i, argv[i]);
		exit(2);
	}
	return v;
}

#endif /* PROCMON_BENCH_H */
