// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Workload: writes READY (its pid and uid) once its SIGTERM handler is in place,
 * then waits up to 20 s; on SIGTERM it writes `SIGTERM uid=N` to MARK and exits 0.
 * Shows whether a launched command learns of procmon's death. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *mark_path;
static char mark_text[64];

static void on_sigterm(int sig)
{
	int fd = open(mark_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	(void)sig;
	if (fd >= 0) {
		ssize_t ignored = write(fd, mark_text, strlen(mark_text));

		(void)ignored;
		close(fd);
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_sigterm };
	struct timespec ts = { 20, 0 };
	FILE *ready;

	if (argc != 3) {
		fprintf(stderr, "usage: rel_sigterm READY MARK\n");
		return 2;
	}
	mark_path = argv[2];
	snprintf(mark_text, sizeof(mark_text), "SIGTERM uid=%d\n", (int)getuid());
	sigaction(SIGTERM, &sa, NULL);
	ready = fopen(argv[1], "w");
	if (!ready)
		return 1;
	fprintf(ready, "%d %d\n", (int)getpid(), (int)getuid());
	if (fclose(ready))
		return 1;
	while (nanosleep(&ts, &ts))
		;
	return 3;	/* nobody told us */
}
