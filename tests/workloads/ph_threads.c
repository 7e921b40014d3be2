// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Workload: two threads spin and label in turn, ROUNDS times each ("t0", "t1"),
 * each spinning MS ms (a decimal) of wall time before its label, so one labels while
 * the other is still on a CPU. Usage: ph_threads ROUNDS MS. */
#include <pthread.h>
#include <stdatomic.h>

#define WORKLOAD_LABEL_HOOK
#include "workload.h"

static atomic_int turn;
static int rounds;
static double spin_s;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *run(void *arg)
{
	int me = (int)(long)arg;
	char name[8];

	snprintf(name, sizeof(name), "t%d", me);
	for (int i = 0; i < rounds; i++) {
		double until;

		while (atomic_load(&turn) != me)
			;	/* spinning: on a CPU when the other one labels */
		until = now_s() + spin_s;
		while (now_s() < until)
			;
		procmon_label(name);
		atomic_store(&turn, 1 - me);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t a, b;

	if (argc != 3) {
		fprintf(stderr, "usage: ph_threads ROUNDS MS\n");
		return 2;
	}
	rounds = atoi(argv[1]);
	spin_s = atof(argv[2]) / 1000;
	if (pthread_create(&a, NULL, run, (void *)0L) || pthread_create(&b, NULL, run, (void *)1L))
		return 1;
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	return 0;
}
