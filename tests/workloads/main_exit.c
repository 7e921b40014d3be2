// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The main thread touches MIB MiB, starts a thread and leaves with pthread_exit:
 * /proc/PID/stat then shows a zombie with no memory while the process runs on.
 * The thread labels "alive N" every 50 ms for MS ms, then exits the process.
 * Prints "ready" once the main thread is gone. Usage: main_exit MIB MS */
#include <pthread.h>
#include <sys/mman.h>
#define WORKLOAD_LABEL_HOOK
#include "workload.h"

static long run_ms;
static pthread_t main_thread;

static void *worker(void *arg)
{
	char text[32];

	(void)arg;
	pthread_join(main_thread, NULL);	/* the main thread is gone from here on */
	printf("ready\n");
	fflush(stdout);
	for (long t = 0, n = 0; t < run_ms; t += 50, n++) {
		snprintf(text, sizeof(text), "alive %ld", n);
		procmon_label(text);
		sleep_ms(50);
	}
	exit(0);
}

int main(int argc, char **argv)
{
	size_t bytes = (size_t)(argc > 1 ? atol(argv[1]) : 200) << 20;
	pthread_t th;
	char *mem;

	run_ms = argc > 2 ? atol(argv[2]) : 2000;
	mem = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return 1;
	for (size_t i = 0; i < bytes; i += 4096)
		mem[i] = 1;
	main_thread = pthread_self();
	if (pthread_create(&th, NULL, worker, NULL))
		return 1;
	pthread_exit(NULL);
}
