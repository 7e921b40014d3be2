// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Workload for -c accounting: `seq N` forks N children one after another (child i
 * exits with i % 251); `wide N` keeps N alive at once; `wuntraced N` runs
 * /bin/true N times and waits with WUNTRACED|WCONTINUED. Prints the truth. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int seq(int n)
{
	long sum = 0;

	for (int i = 0; i < n; i++) {
		int st;
		pid_t p = fork();

		if (p == 0)
			_exit(i % 251);
		if (p < 0 || waitpid(p, &st, 0) != p)
			return 1;
		sum += WEXITSTATUS(st);
	}
	printf("children %d sum %ld\n", n, sum);
	return 3;
}

static int wide(int n)
{
	pid_t *kids = calloc((size_t)n, sizeof(*kids));
	int gate[2];
	long sum = 0;

	if (!kids || pipe(gate))
		return 1;
	for (int i = 0; i < n; i++) {
		char c;

		kids[i] = fork();
		if (kids[i] == 0) {
			close(gate[1]);
			while (read(gate[0], &c, 1) > 0)
				;
			_exit(i % 251);
		}
	}
	close(gate[1]);	/* all alive now; EOF lets them go */
	usleep(200000);
	close(gate[0]);
	for (int i = 0; i < n; i++) {
		int st;

		if (waitpid(kids[i], &st, 0) == kids[i])
			sum += WEXITSTATUS(st);
	}
	printf("children %d sum %ld\n", n, sum);
	return 0;
}

static int wuntraced(int n)
{
	int stops = 0, conts = 0;

	for (int i = 0; i < n; i++) {
		int st;
		pid_t p = fork();

		if (p == 0) {
			execl("/bin/true", "true", (char *)NULL);
			_exit(127);
		}
		while (waitpid(p, &st, WUNTRACED | WCONTINUED) == p) {
			if (WIFSTOPPED(st))
				stops++;
			else if (WIFCONTINUED(st))
				conts++;
			else
				break;
		}
	}
	printf("stops %d continues %d\n", stops, conts);
	return 0;
}

int main(int argc, char **argv)
{
	int n = argc > 2 ? atoi(argv[2]) : 0;

	if (argc > 2 && !strcmp(argv[1], "seq"))
		return seq(n);
	if (argc > 2 && !strcmp(argv[1], "wide"))
		return wide(n);
	if (argc > 2 && !strcmp(argv[1], "wuntraced"))
		return wuntraced(n);
	fprintf(stderr, "usage: ch_forker seq|wide|wuntraced N\n");
	return 2;
}
