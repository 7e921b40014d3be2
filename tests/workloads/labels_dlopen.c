// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Maps libprocmon_label.so only after a delay, then labels through dlsym: the
 * library appears in a process procmon was already tracing. */
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long env_ms(const char *name)
{
	const char *s = getenv(name);
	char *end;
	long ms;

	if (!s || !*s)
		return 0;
	ms = strtol(s, &end, 10);
	return *end || ms < 0 ? 0 : ms;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = ms % 1000 * 1000000L };

	while (ms > 0 && nanosleep(&ts, &ts))
		;
}

/* The library built beside us: OUTPUT/tests/workloads/x -> OUTPUT/lib/libprocmon_label.so.0 */
static int default_lib(char *path, size_t size)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (n < 0)
		return -1;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	n = snprintf(path, size, "%s/../../lib/libprocmon_label.so.0", exe);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* Usage: labels_dlopen LABEL...; LABELS_LIB is the library to dlopen (default: the
 * one in the same build directory), LABELS_DLOPEN_MS the wait before dlopen,
 * LABELS_DELAY_MS the wait between two labels. */
int main(int argc, char **argv)
{
	long delay_ms = env_ms("LABELS_DELAY_MS");
	void (*label)(const char *);
	char path[PATH_MAX];
	const char *lib = getenv("LABELS_LIB");
	void *handle;

	if (!lib || !*lib) {
		if (default_lib(path, sizeof(path))) {
			fprintf(stderr, "labels_dlopen: cannot find the library; set LABELS_LIB\n");
			return 2;
		}
		lib = path;
	}
	sleep_ms(env_ms("LABELS_DLOPEN_MS"));
	handle = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
	if (!handle) {
		fprintf(stderr, "labels_dlopen: %s\n", dlerror());
		return 2;
	}
	*(void **)&label = dlsym(handle, "procmon_label");
	if (!label) {
		fprintf(stderr, "labels_dlopen: %s\n", dlerror());
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		if (i > 1)
			sleep_ms(delay_ms);
		label(argv[i]);
	}
	return 0;	/* no dlclose: the library stays mapped for a late look at maps */
}
