// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Workload: N threads alive at once, each touching a few pages, holding HOLD_MS,
 * then exiting; writes its own getrusage to REPORT as the ground truth:
 * `created minflt majflt utime_us stime_us`. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static pthread_barrier_t all_up;
static long hold_ms;

static void *thread_main(void *arg)
{
	volatile char pages[4 * 4096];
	struct timespec ts = { hold_ms / 1000, hold_ms % 1000 * 1000000L };

	(void)arg;
	for (size_t i = 0; i < sizeof(pages); i += 4096)
		pages[i] = 1;
	pthread_barrier_wait(&all_up);
	while (nanosleep(&ts, &ts))
		;
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_attr_t attr;
	pthread_t *tids;
	struct rusage ru;
	long n, created = 0;
	FILE *out;

	if (argc != 4) {
		fprintf(stderr, "usage: rel_threads N HOLD_MS REPORT\n");
		return 2;
	}
	n = atol(argv[1]);
	hold_ms = atol(argv[2]);
	tids = calloc((size_t)n, sizeof(*tids));
	if (n < 1 || !tids || pthread_barrier_init(&all_up, NULL, (unsigned)n))
		return 2;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);	/* 1000 default 8 MiB stacks is 8 GiB of VM */
	for (long i = 0; i < n; i++) {
		int err = pthread_create(&tids[i], &attr, thread_main, NULL);

		if (err) {
			fprintf(stderr, "rel_threads: thread %ld: %s\n", i, strerror(err));
			return 1;	/* the barrier would never open */
		}
		created++;
	}
	for (long i = 0; i < created; i++)
		pthread_join(tids[i], NULL);
	getrusage(RUSAGE_SELF, &ru);
	out = fopen(argv[3], "w");
	if (!out)
		return 1;
	fprintf(out, "%ld %ld %ld %lld %lld\n", created, ru.ru_minflt, ru.ru_majflt,
		(long long)ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec,
		(long long)ru.ru_stime.tv_sec * 1000000 + ru.ru_stime.tv_usec);
	return fclose(out) ? 1 : 0;
}
