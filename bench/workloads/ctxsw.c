// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Context-switch-heavy workload: two threads pinned to one CPU pass a byte back and
 * forth over two pipes ROUNDTRIPS times (two switches per round trip).
 * Usage: ctxsw [ROUNDTRIPS [CPU]]; CPU defaults to the last one. */
#include <pthread.h>
#include <sched.h>
#include "bench.h"

static int ping[2], pong[2];
static long roundtrips;

static void pin(long cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET((int)cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		perror("ctxsw: sched_setaffinity");
}

static void *echo(void *arg)
{
	char c;

	pin((long)arg);
	for (long i = 0; i < roundtrips; i++)
		if (read(ping[0], &c, 1) != 1 || write(pong[1], &c, 1) != 1)
			break;
	return NULL;
}

int main(int argc, char **argv)
{
	long cpu = sysconf(_SC_NPROCESSORS_ONLN) - 1;
	pthread_t thread;
	struct bench_clock t0;
	char c = 'x';

	roundtrips = bench_arg(argc, argv, 1, 100000);
	if (argc > 2)
		cpu = atol(argv[2]);
	if (pipe(ping) || pipe(pong)) {
		perror("ctxsw: pipe");
		return 1;
	}
	pin(cpu);
	if (pthread_create(&thread, NULL, echo, (void *)cpu)) {
		fprintf(stderr, "ctxsw: cannot create a thread\n");
		return 1;
	}
	t0 = bench_start();
	for (long i = 0; i < roundtrips; i++)
		if (write(ping[1], &c, 1) != 1 || read(pong[0], &c, 1) != 1) {
			perror("ctxsw: pipe");
			return 1;
		}
	pthread_join(thread, NULL);
	bench_end(t0);
	return 0;
}
