// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Maps libprocmon_label.so only after a delay, then labels through dlsym: the
 * library appears in a process procmon was already tracing. */
#include <dlfcn.h>

#include "workload.h"

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
