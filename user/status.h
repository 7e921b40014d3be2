/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The live status line: one line on stderr, a terminal, rewritten in place every
 * second while the log goes elsewhere; any other message clears it first. */
#ifndef PROCMON_STATUS_H
#define PROCMON_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

struct session;
struct status_line;

/* What the line shows. */
struct status_numbers {
	double elapsed_s;
	int alive;			/* targets alive */
	unsigned long long rss_bytes;	/* summed over the live targets */
	unsigned long long rss_peak_bytes;	/* the highest such sum seen */
	double cpu_pct;			/* on-CPU over the last second, % of one CPU */
	double faults_per_s;
	unsigned long long labels;
	const char *last_label;		/* valid UTF-8, or NULL */
	unsigned long long labels_lost, children_lost;
};

/* Should the line be shown: stderr a terminal, the log (@log_fd) not one, no -q. */
bool status_wanted(int log_fd, bool quiet);

/* @n as the line's text (no control character: the label is escaped), cut to
 * @columns - 1 characters, into @buf. Returns @buf. */
char *status_format(const struct status_numbers *n, int columns, char *buf, size_t size);

/* Start the line: a 1 s timer in @epoll_fd under @key, and stderr wrapped so a
 * message clears the line before it is written. NULL with errno on failure. */
struct status_line *status_start(int epoll_fd, __u64 key);

/* The timer fired: read the targets of @s afresh and redraw. */
void status_tick(struct status_line *st, struct session *s);

/* A label was seen: the line shows the last one. */
void status_label(struct status_line *st, const char *text);

/* Erase the line, give stderr back and free @st (the summary comes next). NULL is fine. */
void status_stop(struct status_line *st);

#endif /* PROCMON_STATUS_H */
