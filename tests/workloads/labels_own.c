// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Calls procmon_label once per argument, in order, so tests can check that each
 * label arrives exactly once; defines its own hook unless built against the library. */
#include <stdlib.h>
#include <time.h>

#ifdef LABELS_FROM_LIB
#include "procmon_label.h"
#else
/* Our own hook: procmon probes any function of this name, not only the library's. */
#if defined(__has_attribute) && __has_attribute(noipa)
__attribute__((noipa))
#endif
__attribute__((noinline, used))
void procmon_label(const char *msg)
{
	asm volatile("" : : "r"(msg) : "memory");
}
#endif

/* Milliseconds from the environment variable name, 0 when unset or not a number. */
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

/* Usage: labels_own LABEL...; LABELS_START_MS waits before the first label (to
 * attach to a running pid), LABELS_DELAY_MS between two labels. */
int main(int argc, char **argv)
{
	long delay_ms = env_ms("LABELS_DELAY_MS");

	sleep_ms(env_ms("LABELS_START_MS"));
	for (int i = 1; i < argc; i++) {
		if (i > 1)
			sleep_ms(delay_ms);
		procmon_label(argv[i]);
	}
	return 0;
}
