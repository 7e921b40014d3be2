/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Phases: from one label to the next (the first from the start, the last to the
 * exit), with exact costs from the counters BPF snapshots at each label. */
#ifndef PROCMON_PHASES_H
#define PROCMON_PHASES_H

#include <stdio.h>
#include <linux/types.h>
#include "phase_cost.h"
#include "procmon.h"

#define PHASES_MAX_ROWS		1000	/* phases kept one by one; later ones only in totals */
#define PHASES_MAX_NAMES	1000	/* distinct names totalled; more go to "(other names)" */

struct phase_row {
	char *name;
	double start_s;			/* since the process started */
	struct phase_cost cost;
	unsigned long long count;	/* phases added up (totals) */
};

struct phases {
	char *open_name;		/* the phase running now; NULL: "(start)" */
	double open_since_s;
	struct procmon_counters open_at;	/* counters when it began */
	struct phase_row *rows;
	size_t n_rows, cap_rows;
	struct phase_row *totals;	/* one per name; count = how many phases */
	size_t n_totals, cap_totals;
	unsigned long long dropped_rows;
};

void phases_init(struct phases *p);
void phases_free(struct phases *p);

/* Counting began at @t_s (the START line's traced_since), the RSS then
 * @rss_bytes (its memory_info.rss): where the first phase, "(start)", begins. */
void phases_start(struct phases *p, double t_s, __u64 rss_bytes);

/* A label @name at @t_s with the counters @at (its at_label): closes the open phase. */
void phases_label(struct phases *p, const char *name, double t_s,
		  const struct procmon_counters *at);

/* The process ended (or tracing stopped) at @t_s with the counters @end (the
 * STOP line's elapsed_time and at_stop). Times are taken to the microsecond, as
 * the log has them, so `procmon plot` computes the same phases from the log. */
void phases_finish(struct phases *p, double t_s, const struct procmon_counters *end);

/* The table, one row per phase, then totals per name when a name repeats. */
void phases_print(const struct phases *p, FILE *out);

#endif /* PROCMON_PHASES_H */
