/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Finished processes folded into totals and two top-10 lists, so that the target
 * table holds only what may still write a line, however many processes a run sees. */
#ifndef PROCMON_RETIRED_H
#define PROCMON_RETIRED_H

#include "target_brief.h"

#define RETIRED_TOP 10

struct retired {
	unsigned long n, failed;	/* processes folded; those that exited non-zero */
	double first_start_s, last_end_s, cpu_s;
	unsigned long long oncpu_ns, faults, labels, labels_lost, peak_bytes;
	struct target_brief by_peak[RETIRED_TOP], by_cpu[RETIRED_TOP];	/* largest first */
	int n_by_peak, n_by_cpu;
};

/* Fold finished @t in. */
void retired_add(struct retired *r, const struct target *t);

#endif /* PROCMON_RETIRED_H */
