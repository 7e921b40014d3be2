// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Workload: forks N children, at most 16 alive at once; child i touches 16 pages,
 * sleeps 20 ms if i is odd (an even one exits at once, likely reaped before procmon
 * reads its fork event) and exits with status i % 200 + 1. REPORT gets `pid status` per
 * child as the parent reaped it: the truth for procmon -c's exit lines. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_ALIVE 16

static void child(long i)
{
	static volatile char pages[16 * 4096];
	struct timespec ts = { 0, 20 * 1000000L };

	for (size_t off = 0; off < sizeof(pages); off += 4096)
		pages[off] = 1;
	while (i % 2 && nanosleep(&ts, &ts))
		;
	_exit((int)(i % 200 + 1));
}

static int reap_one(FILE *out)
{
	int status;
	pid_t pid = wait(&status);

	if (pid < 0)
		return -1;
	fprintf(out, "%d %d\n", (int)pid, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return 0;
}

int main(int argc, char **argv)
{
	long n, alive = 0;
	FILE *out;

	if (argc != 3) {
		fprintf(stderr, "usage: rel_forker N REPORT\n");
		return 2;
	}
	n = atol(argv[1]);
	out = fopen(argv[2], "w");
	if (!out)
		return 1;
	for (long i = 0; i < n; i++) {
		pid_t pid;

		if (alive == MAX_ALIVE && !reap_one(out))
			alive--;
		fflush(out);
		pid = fork();
		if (pid < 0)
			return 1;
		if (pid == 0)
			child(i);
		alive++;
	}
	while (alive > 0 && !reap_one(out))
		alive--;
	return fclose(out) ? 1 : 0;
}
