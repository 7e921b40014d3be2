// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The clocks procmon reads, in seconds as doubles. */
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
