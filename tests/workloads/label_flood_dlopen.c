// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* One thread floods its own procmon_label while the main thread dlopens
 * libprocmon_label.so, then labels through the library once the flood is over:
 * the library must be probed even when the ring buffer was full as it was mapped. */
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>

#define WORKLOAD_LABEL_HOOK
#include "workload.h"

static atomic_int flooding = 1;
static atomic_long flood_calls;

static void *flood(void *arg)
{
	(void)arg;
	while (atomic_load(&flooding)) {
		procmon_label("flood");
		atomic_fetch_add(&flood_calls, 1);
	}
	return NULL;
}

/* Usage: label_flood_dlopen N_LIB_LABELS [AFTER_MS]: flood 100 ms, dlopen during it,
 * flood 100 ms more, stop, wait AFTER_MS (default 200), then N_LIB_LABELS calls of
 * the library's procmon_label("lib"). Prints `label_flood_dlopen: F flood calls, N lib calls`. */
int main(int argc, char **argv)
{
	long n_lib = argc > 1 ? strtol(argv[1], NULL, 10) : 3;
	long after_ms = argc > 2 ? strtol(argv[2], NULL, 10) : 200;
	void (*label)(const char *);
	char path[PATH_MAX];
	pthread_t th;
	void *handle;

	if (default_lib(path, sizeof(path)) || pthread_create(&th, NULL, flood, NULL))
		return 2;
	sleep_ms(100);
	handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!handle) {
		fprintf(stderr, "label_flood_dlopen: %s\n", dlerror());
		return 2;
	}
	*(void **)&label = dlsym(handle, "procmon_label");
	sleep_ms(100);
	atomic_store(&flooding, 0);
	pthread_join(th, NULL);
	sleep_ms(after_ms);
	for (long i = 0; i < n_lib; i++)
		label("lib");
	printf("label_flood_dlopen: %ld flood calls, %ld lib calls\n", atomic_load(&flood_calls), n_lib);
	return 0;
}
