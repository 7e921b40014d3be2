// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Workload: three named threads (pthread_setname_np) do known work: two burn 0.4 s
 * and 0.2 s of CPU, one naps. Each then measures its own CLOCK_THREAD_CPUTIME_ID
 * and parks; the process writes `tid name cpu_ns` per thread to OUTFILE and lives
 * HOLD_S more, so a sampler sees the parked threads. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

struct worker {
	const char *name;
	double burn_s;		/* CPU to burn; 0: nap instead */
	pthread_t thread;
	pid_t tid;
	long long cpu_ns;
};

static pthread_barrier_t measured;

static long long thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void *work(void *arg)
{
	struct worker *w = arg;
	volatile unsigned long x = 0;

	pthread_setname_np(pthread_self(), w->name);
	w->tid = gettid();
	if (w->burn_s > 0) {
		while (thread_cpu_ns() < (long long)(w->burn_s * 1e9))
			for (int i = 0; i < 10000; i++)
				x += (unsigned long)i;
	} else {
		for (int i = 0; i < 10; i++)
			usleep(20000);
	}
	w->cpu_ns = thread_cpu_ns();
	pthread_barrier_wait(&measured);
	for (;;)
		pause();	/* parked until the process exits */
	return NULL;
}

int main(int argc, char **argv)
{
	struct worker w[] = { { .name = "bp-burn-400", .burn_s = 0.4 },
			      { .name = "bp-burn-200", .burn_s = 0.2 },
			      { .name = "bp-nap", .burn_s = 0 } };
	const int n = sizeof(w) / sizeof(*w);
	double hold_s;
	FILE *out;

	if (argc != 3) {
		fprintf(stderr, "usage: bp_threads OUTFILE HOLD_S\n");
		return 2;
	}
	hold_s = atof(argv[2]);
	pthread_barrier_init(&measured, NULL, (unsigned)n + 1);
	for (int i = 0; i < n; i++)
		if (pthread_create(&w[i].thread, NULL, work, &w[i]))
			return 1;
	pthread_barrier_wait(&measured);
	out = fopen(argv[1], "w");
	if (!out) {
		perror(argv[1]);
		return 1;
	}
	for (int i = 0; i < n; i++)
		fprintf(out, "%d %s %lld\n", (int)w[i].tid, w[i].name, w[i].cpu_ns);
	if (fclose(out))
		return 1;
	usleep((useconds_t)(hold_s * 1e6));
	return 0;	/* exit_group ends the parked threads */
}
