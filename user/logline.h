/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Log lines: the JSON object of a sample (built with json-c), and the writer that
 * puts it on one line, in TotalDepth's logging layout or alone (jsonl). */
#ifndef PROCMON_LOGLINE_H
#define PROCMON_LOGLINE_H

#include <stdbool.h>
#include <sys/types.h>
#include <time.h>
#include <json-c/json.h>
#include "options.h"

/* What one sample line says about one process; cumulative values throughout. */
struct sample {
	struct timespec wall;		/* CLOCK_REALTIME when taken */
	double elapsed_s;		/* since the process was created */
	pid_t pid, ppid;
	unsigned long long rss_bytes, vms_bytes, rss_peak_bytes;
	unsigned long long pfaults, pageins;
	double user_s, system_s, children_user_s, children_system_s;
	unsigned long long oncpu_ns, runq_wait_ns, voluntary, involuntary;
	unsigned long long offcpu_preempted_ns, offcpu_blocked_ns, offcpu_sleep_ns;
	long num_threads;
	unsigned long long labels_lost;	/* written once non-zero */
};

/* A new JSON object for @s; the caller puts it. NULL when out of memory. */
json_object *logline_sample(const struct sample *s);

/* Add a number with a fixed count of decimals (json-c's default prints 17 digits). */
int logline_add_double(json_object *obj, const char *key, double v, int decimals);

/* "%Y-%m-%d %H:%M:%S.%f", local time: TotalDepth's `timestamp`. */
void logline_timestamp(const struct timespec *ts, char *buf, size_t size);

enum logline_mark {
	LOGLINE_PLAIN,
	LOGLINE_START,	/* the first line of a process: ProcessLoggingThread-JSON-START */
	LOGLINE_STOP,	/* its last line: ProcessLoggingThread-JSON-STOP */
};

struct logwriter {
	int fd;
	enum log_format format;
	pid_t self;		/* procmon's PID, as Python logging's %(process)d */
	off_t good_bytes;	/* end of the last whole line written (regular files) */
	bool regular;		/* the log is a regular file: a failed line can be cut off */
	int err;		/* first write error, -errno; nothing more is written after it */
	unsigned long lines;
};

void logwriter_init(struct logwriter *w, int fd, enum log_format format);

/* Format @obj as one line stamped @wall and write it whole. 0 or -errno; after
 * an error the writer keeps the file at its last whole line and refuses more. */
int logwriter_put(struct logwriter *w, enum logline_mark mark, json_object *obj,
		  const struct timespec *wall);

/* Format into @buf (for tests); returns the length, or -ENOSPC if it does not fit. */
int logline_format(char *buf, size_t size, enum log_format format, pid_t self,
		   enum logline_mark mark, json_object *obj, const struct timespec *wall);

#endif /* PROCMON_LOGLINE_H */
