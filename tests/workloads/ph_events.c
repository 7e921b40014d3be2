// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Workload with every lifecycle event a plot marks, between labels: it forks a
 * child (which labels "child" and exits), then execs itself; the new image labels
 * "after exec" and exits. Usage: ph_events [after]. */
#include <sys/wait.h>

#define WORKLOAD_LABEL_HOOK
#include "workload.h"

static void nap_ms(long ms)
{
	struct timespec ts = { 0, ms * 1000000L };

	while (nanosleep(&ts, &ts))
		;
}

int main(int argc, char **argv)
{
	pid_t child;

	if (argc > 1 && !strcmp(argv[1], "after")) {
		procmon_label("after exec");
		nap_ms(150);
		return 0;
	}
	nap_ms(100);
	procmon_label("before fork");
	child = fork();
	if (child < 0) {
		perror("fork");
		return 1;
	}
	if (child == 0) {
		nap_ms(50);
		procmon_label("child");
		nap_ms(50);
		_exit(0);
	}
	waitpid(child, NULL, 0);
	nap_ms(100);
	procmon_label("before exec");
	nap_ms(100);
	execl("/proc/self/exe", argv[0], "after", (char *)NULL);
	perror("exec");
	return 1;
}
