// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* procmon_label as an IFUNC: the code behind it is chosen at run time, so no
 * uprobe can go on the symbol; procmon must say so once. Usage: label_ifunc [N]
 * (N children that label too, for "once per file"). */
#include <sys/wait.h>
#include "workload.h"

static void real_label(const char *msg)
{
	asm volatile("" : : "r"(msg) : "memory");
}

static void (*pick_label(void))(const char *)
{
	return real_label;
}

void procmon_label(const char *msg) __attribute__((ifunc("pick_label")));

int main(int argc, char **argv)
{
	int children = argc > 1 ? atoi(argv[1]) : 0;

	procmon_label("one");
	for (int i = 0; i < children; i++) {
		pid_t pid = fork();

		if (pid == 0) {
			procmon_label("child");
			_exit(0);
		}
		waitpid(pid, NULL, 0);
	}
	procmon_label("two");
	return 0;
}
