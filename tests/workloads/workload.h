/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Code the test workloads share. Header-only, as each workload is one .c file
 * built on its own; the helpers are static inline so a workload that does not use
 * one does not warn. Define WORKLOAD_LABEL_HOOK before including it for the
 * workload's own procmon_label. */
#ifndef PROCMON_WORKLOAD_H
#define PROCMON_WORKLOAD_H

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef WORKLOAD_LABEL_HOOK
/* Our own hook: procmon probes any function of this name, not only the library's.
 * Never inlined nor analysed away, so every call reaches the probed entry, and the
 * asm keeps @msg live as the hook's argument. */
#if defined(__has_attribute) && __has_attribute(noipa)
__attribute__((noipa))
#endif
__attribute__((noinline, used))
void procmon_label(const char *msg)
{
	asm volatile("" : : "r"(msg) : "memory");
}
#endif

/* Milliseconds from the environment variable @name, 0 when unset or not a number. */
static inline long env_ms(const char *name)
{
	const char *s = getenv(name);
	char *end;
	long ms;

	if (!s || !*s)
		return 0;
	ms = strtol(s, &end, 10);
	return *end || ms < 0 ? 0 : ms;
}

static inline void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = ms % 1000 * 1000000L };

	while (ms > 0 && nanosleep(&ts, &ts))
		;
}

/* The library built beside us: OUTPUT/tests/workloads/x -> OUTPUT/lib/libprocmon_label.so.0 */
static inline int default_lib(char *path, size_t size)
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

#endif /* PROCMON_WORKLOAD_H */
