// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Forks N children one after another; each labels "child" at once and exits
 * (no exec: its uprobes must be its own before its first instruction). Then
 * prints "done", waits (10 s at most) for the file GO to exist, and labels
 * "end". Usage: fork_labels N [GO] */
#include <sys/wait.h>
#define WORKLOAD_LABEL_HOOK
#include "workload.h"

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 10;

	procmon_label("parent");
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			return 1;
		if (pid == 0) {
			procmon_label("child");
			_exit(0);
		}
		waitpid(pid, NULL, 0);
	}
	printf("done\n");
	fflush(stdout);
	for (int i = 0; argc > 2 && i < 1000 && access(argv[2], F_OK); i++)
		sleep_ms(10);
	procmon_label("end");
	return 0;
}
