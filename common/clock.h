/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The clocks procmon reads, in seconds as doubles: the monotonic clock times
 * intervals, the boot clock converts the kernel's task start times. */
#ifndef PROCMON_CLOCK_H
#define PROCMON_CLOCK_H

#include <time.h>

/* CLOCK_MONOTONIC now, in seconds. */
double mono_now_s(void);

/* CLOCK_MONOTONIC now, in nanoseconds: bpf_ktime_get_ns()'s clock. */
unsigned long long mono_now_ns(void);

/* CLOCK_BOOTTIME now, in seconds (includes suspend, as /proc's start times do). */
double boot_now_s(void);

/* @sec as local "YYYY-MM-DD HH:MM:SS" into @buf (at least 20 bytes): the last
 * second's text is kept, so lines within one second pay no localtime(). */
void local_seconds_text(time_t sec, char *buf, size_t size);

/* A time in seconds as a struct timespec (for timerfd). */
struct timespec seconds_to_timespec(double t);

#endif /* PROCMON_CLOCK_H */
