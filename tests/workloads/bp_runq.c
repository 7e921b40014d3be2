// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Workload: THREADS threads pinned to one CPU spin for SECONDS of wall time each,
 * so each gets about 1/THREADS of the CPU and waits in the run queue the rest;
 * THREADS 0: the main thread alone sleeps SECONDS in 10 ms naps. Writes one line
 * per thread to OUTFILE, `wall_s cpu_s` from the common start to its end: a thread
 * that never blocks was waiting for the CPU for wall - cpu. The sleeper adds its
 * run_delay from /proc/thread-self/schedstat at the start of main and at the end. */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define MAX_THREADS 16

struct spinner {
	pthread_t thread;
	double end_s, cpu_s;
};

static double seconds, spin_until;
static pthread_barrier_t ready;

static double clock_s(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The kernel's own run_delay of this thread, as /proc shows it (what procmon
 * harvests); -1 if unreadable. */
static double run_delay_s(void)
{
	unsigned long long oncpu_ns, delay_ns;
	FILE *f = fopen("/proc/thread-self/schedstat", "r");
	int n = f ? fscanf(f, "%llu %llu", &oncpu_ns, &delay_ns) : 0;

	if (f)
		fclose(f);
	return n == 2 ? (double)delay_ns / 1e9 : -1;
}

static void *spin(void *arg)
{
	struct spinner *sp = arg;
	volatile unsigned long x = 0;
	double cpu_before = clock_s(CLOCK_THREAD_CPUTIME_ID);

	pthread_barrier_wait(&ready);
	while (clock_s(CLOCK_MONOTONIC) < spin_until)
		for (int i = 0; i < 10000; i++)
			x += (unsigned long)i;
	sp->cpu_s = clock_s(CLOCK_THREAD_CPUTIME_ID) - cpu_before;
	sp->end_s = clock_s(CLOCK_MONOTONIC);
	return NULL;
}

int main(int argc, char **argv)
{
	struct spinner sp[MAX_THREADS];
	cpu_set_t one;
	int threads, cpu;
	FILE *out;

	if (argc != 4) {
		fprintf(stderr, "usage: bp_runq SECONDS THREADS OUTFILE\n");
		return 2;
	}
	seconds = atof(argv[1]);
	threads = atoi(argv[2]);
	if (threads < 0 || threads > MAX_THREADS)
		return 2;
	out = fopen(argv[3], "w");
	if (!out) {
		perror(argv[3]);
		return 1;
	}
	if (threads == 0) {
		double start = clock_s(CLOCK_MONOTONIC);
		struct timespec nap = { 0, 10 * 1000 * 1000 };

		double delay_at_start = run_delay_s(), delay_at_end;

		while (clock_s(CLOCK_MONOTONIC) < start + seconds)
			nanosleep(&nap, NULL);
		delay_at_end = run_delay_s();
		if (delay_at_start < 0 || delay_at_end < 0)
			return 1;
		fprintf(out, "%.6f %.6f %.6f %.6f\n", clock_s(CLOCK_MONOTONIC) - start,
			clock_s(CLOCK_THREAD_CPUTIME_ID), delay_at_start, delay_at_end);
		return fclose(out) ? 1 : 0;
	}
	/* Every thread inherits the main thread's affinity: one CPU for all. */
	cpu = sched_getcpu();
	CPU_ZERO(&one);
	CPU_SET(cpu < 0 ? 0 : cpu, &one);
	if (sched_setaffinity(0, sizeof(one), &one)) {
		perror("sched_setaffinity");
		return 1;
	}
	pthread_barrier_init(&ready, NULL, (unsigned)threads + 1);
	for (int i = 0; i < threads; i++)
		if (pthread_create(&sp[i].thread, NULL, spin, &sp[i]))
			return 1;
	spin_until = clock_s(CLOCK_MONOTONIC) + seconds;
	pthread_barrier_wait(&ready);
	for (int i = 0; i < threads; i++) {
		pthread_join(sp[i].thread, NULL);
		fprintf(out, "%.6f %.6f\n", sp[i].end_s - (spin_until - seconds), sp[i].cpu_s);
	}
	return fclose(out) ? 1 : 0;
}
