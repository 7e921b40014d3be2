// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Workload: sleep DELAY_S, then exec PROGRAM ARGS...: a traced process that
 * becomes another program halfway through its life. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: bp_exec DELAY_S PROGRAM [ARGS...]\n");
		return 2;
	}
	usleep((useconds_t)(atof(argv[1]) * 1e6));
	execv(argv[2], argv + 2);
	perror(argv[2]);
	return 127;
}
