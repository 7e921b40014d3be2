// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Workload: THREADS threads (the main one included) each burn SECONDS of CPU,
 * then the process writes its getrusage(RUSAGE_SELF) to OUTFILE as
 * `minflt majflt utime_us stime_us threads`, the ground truth for procmon. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

static double seconds;

static double thread_cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *burn(void *arg)
{
	volatile unsigned long x = 0;

	(void)arg;
	while (thread_cpu_s() < seconds)
		for (int i = 0; i < 100000; i++)
			x += (unsigned long)i;
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t tids[64];
	struct rusage ru;
	int threads;
	FILE *out;

	if (argc != 4) {
		fprintf(stderr, "usage: spin SECONDS THREADS OUTFILE\n");
		return 2;
	}
	seconds = atof(argv[1]);
	threads = atoi(argv[2]);
	if (threads < 1 || threads > 64)
		return 2;
	for (int i = 1; i < threads; i++)
		if (pthread_create(&tids[i], NULL, burn, NULL))
			return 1;
	burn(NULL);
	for (int i = 1; i < threads; i++)
		pthread_join(tids[i], NULL);
	getrusage(RUSAGE_SELF, &ru);
	out = fopen(argv[3], "w");
	if (!out) {
		perror(argv[3]);
		return 1;
	}
	fprintf(out, "%ld %ld %lld %lld %d\n", ru.ru_minflt, ru.ru_majflt,
		(long long)ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec,
		(long long)ru.ru_stime.tv_sec * 1000000 + ru.ru_stime.tv_usec, threads);
	return fclose(out) ? 1 : 0;
}
