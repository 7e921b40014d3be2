/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The log writer: a line's JSON text (logformat.h) put on one line, in
 * TotalDepth's logging layout or alone (jsonl), whole or not at all. */
#ifndef PROCMON_LOGLINE_H
#define PROCMON_LOGLINE_H

#include <stdbool.h>
#include <sys/types.h>
#include <time.h>
#include "options.h"

enum logline_mark {
	LOGLINE_PLAIN,
	LOGLINE_START,	/* the first line of a process: ProcessLoggingThread-JSON-START */
	LOGLINE_STOP,	/* its last line: ProcessLoggingThread-JSON-STOP */
	/* A thread line (-t): ProcessLoggingThread-THREAD, a marker TotalDepth's regex
	 * (`ProcessLoggingThread-JSON(-START|-STOP)?`) does not match, so its readers,
	 * which want a sample on every marked line, never see one. */
	LOGLINE_THREAD,
};

struct logwriter {
	int fd;
	enum log_format format;
	pid_t self;		/* procmon's PID, as Python logging's %(process)d */
	off_t good_bytes;	/* end of the last whole line written (regular files) */
	bool regular;		/* the log is a regular file: a failed line can be cut off */
	int err;		/* first write error, -errno; nothing more is written after it */
	unsigned long lines;
	double hold_s;		/* gather lines this long before a write; 0: write each */
	double first_pending_s;	/* when the oldest gathered line came */
	size_t n_pending;
	unsigned long pending_lines;
	char pending[131072];
	/* Each gathered line's time and place: lines are written in time order (below
	 * 10 ms an event's line is read after the timer's samples of other targets). */
	struct logline_at {
		double wall_s;
		unsigned int off, len;
	} at[1024];
	bool unsorted;
	double last_wall_s;
};

void logwriter_init(struct logwriter *w, int fd, enum log_format format);

/* Write @json (one line of JSON text) as a line stamped @wall, whole. 0 or -errno;
 * after an error the writer keeps the file at its last whole line and refuses more. */
int logwriter_put(struct logwriter *w, enum logline_mark mark, const char *json,
		  const struct timespec *wall);

/* Gather lines for up to @hold_s (CLOCK_MONOTONIC) and write them at once: at
 * 1 kHz a write per line is a tenth of procmon's CPU. 0: a write per line. */
void logwriter_batch(struct logwriter *w, double hold_s);

/* Write the gathered lines. 0 or -errno (then as logwriter_put's errors). */
int logwriter_flush(struct logwriter *w);

/* Write, in time order, the gathered lines stamped at or before @wall_s (seconds
 * since the epoch); keep the newer ones for the next write. 0 or the write error. */
int logwriter_flush_upto(struct logwriter *w, double wall_s);

/* Write the gathered lines if the oldest has waited hold_s: for a loop's timer,
 * so that lines do not wait for the next one when no more come. 0 or -errno. */
int logwriter_tick(struct logwriter *w);

/* Format into @buf (for tests); returns the length, or -ENOSPC if it does not fit. */
int logline_format(char *buf, size_t size, enum log_format format, pid_t self,
		   enum logline_mark mark, const char *json, const struct timespec *wall);

#endif /* PROCMON_LOGLINE_H */
