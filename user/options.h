/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Command-line options of `procmon` (tracing mode): what the user asked for,
 * parsed strictly, with the conflicts checked once parsing is done. */
#ifndef PROCMON_OPTIONS_H
#define PROCMON_OPTIONS_H

#include <stdbool.h>
#include <sys/types.h>
#include "metrics_http.h"

#define PROCMON_MAX_PIDS	64
#define PROCMON_MAX_MARKS	16

/* procmon's own failure, as timeout(1) and env(1) use it; the target's status
 * passes through otherwise. */
#define PROCMON_EXIT_FAILURE	125
#define PROCMON_EXIT_CANNOT_RUN	126
#define PROCMON_EXIT_NOT_FOUND	127

enum log_format {
	LOG_FORMAT_TOTALDEPTH,
	LOG_FORMAT_JSONL,
};

struct procmon_opts {
	double interval_s;
	double duration_s;		/* 0: until the targets exit */
	const char *output;		/* NULL: stderr; "-": stdout */
	enum log_format format;
	pid_t pids[PROCMON_MAX_PIDS];
	int n_pids;
	const char *user;		/* -u: run the command as this user */
	const char *marks[PROCMON_MAX_MARKS];
	int n_marks;
	unsigned long ringbuf_bytes;
	bool children;
	bool no_ptrace;		/* holds are SIGSTOPs: a debugger may attach */
	bool threads;
	bool quiet;
	bool verbose;
	bool light;			/* --light: no per-switch, no per-fault hook */
	const char *cgroup;		/* --cgroup: a cgroup v2 directory to trace */
	const char *unit;		/* --unit: a systemd unit whose cgroup to trace */
	bool prometheus;		/* --prometheus given: serve /metrics on @prom */
	struct metrics_addr prom;
	double prom_hold_s;		/* an exited process's series stay this long */
	bool prom_hold_set;
	char **command;			/* argv of the command to launch, or NULL */
};

/* Parse argv into @opts. Returns 0, or exits itself for --help/--version
 * (status 0) and usage errors (one line on stderr, PROCMON_EXIT_FAILURE). */
int options_parse(int argc, char **argv, struct procmon_opts *opts);

/* A user's value as it may appear inside a one-line message: control bytes as
 * \xNN (a newline in a value must not start a line of its own), cut with "..."
 * to fit @size bytes. Returns @buf. */
#define OPTIONS_SHOWN_SIZE 160
const char *options_shown(const char *s, char *buf, size_t size);

/* Strict parsers shared with tests: 0 on success, -EINVAL/-ERANGE otherwise. */
/* parse_pid_list appends to @pids[0..*n), skipping PIDs already there; -E2BIG past @max. */
int parse_seconds(const char *s, double *out);
int parse_pid_list(const char *s, pid_t *pids, int *n, int max);
int parse_size(const char *s, unsigned long *out);
/* Seconds >= 0 (0 allowed: --prometheus-hold 0 drops series at once). */
int parse_hold_seconds(const char *s, double *out);

#endif /* PROCMON_OPTIONS_H */
