// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Workload: `exit_with code N` exits with status N; `exit_with signal N` dies of
 * signal N (no core file: RLIMIT_CORE is 0); `exit_with sleep S` sleeps S seconds. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

int main(int argc, char **argv)
{
	struct rlimit no_core = { 0, 0 };

	if (argc != 3) {
		fprintf(stderr, "usage: exit_with code|signal|sleep N\n");
		return 2;
	}
	if (!strcmp(argv[1], "code"))
		return atoi(argv[2]);
	if (!strcmp(argv[1], "signal")) {
		int sig = atoi(argv[2]);

		setrlimit(RLIMIT_CORE, &no_core);
		signal(sig, SIG_DFL);
		raise(sig);
		return 2;	/* a signal that does not kill */
	}
	if (!strcmp(argv[1], "sleep")) {
		double s = atof(argv[2]);
		struct timespec ts = { (time_t)s, (long)((s - (double)(time_t)s) * 1e9) };

		/* A shell without job control starts `cmd &` with SIGINT ignored, and
		 * exec keeps that: the tests that stop it must not depend on how the
		 * suite was started. */
		signal(SIGINT, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		while (nanosleep(&ts, &ts))
			;
		return 0;
	}
	return 2;
}
