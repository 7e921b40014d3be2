// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The clocks procmon reads, in seconds as doubles. */
#include <stdio.h>
#include <time.h>

#include "clock.h"

static double clock_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double mono_now_s(void)
{
	return clock_s(CLOCK_MONOTONIC);
}

unsigned long long mono_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ull + (unsigned long long)ts.tv_nsec;
}

double boot_now_s(void)
{
	return clock_s(CLOCK_BOOTTIME);
}

struct timespec seconds_to_timespec(double t)
{
	struct timespec ts = { .tv_sec = (time_t)t };

	ts.tv_nsec = (long)((t - (double)ts.tv_sec) * 1e9);
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return ts;
}

void local_seconds_text(time_t sec, char *buf, size_t size)
{
	static __thread time_t last_sec = (time_t)-1;
	static __thread char last[32];
	struct tm tm;

	/* A time zone change shows from the next second on, as with logging's cache. */
	if (sec != last_sec) {
		localtime_r(&sec, &tm);
		if (!strftime(last, sizeof(last), "%Y-%m-%d %H:%M:%S", &tm))
			last[0] = '\0';
		last_sec = sec;
	}
	snprintf(buf, size, "%s", last);
}
