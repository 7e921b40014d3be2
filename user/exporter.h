/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* --prometheus during a run: each sample of a target goes into the metrics
 * registry, each tick publishes it to the /metrics server. */
#ifndef PROCMON_EXPORTER_H
#define PROCMON_EXPORTER_H

#include <stdbool.h>
#include "logformat.h"
#include "metrics_http.h"

struct exporter;
struct target;

/* A registry (exited processes' series held @hold_s; run totals labelled with
 * @cgroup, or NULL) and its server bound to @a. 0 or -errno (-EADDRINUSE...). */
int exporter_start(const struct metrics_addr *a, double hold_s, const char *cgroup,
		   struct exporter **out);

/* @smp, a sample of @t, its last one when @last (the process exited or left). */
void exporter_sample(struct exporter *e, const struct target *t, const struct sample *smp,
		     bool last);

/* After a round of samples (and when the run ends): what scrapes see from now. */
void exporter_publish(struct exporter *e);

/* Stop serving and free @e; NULL is fine. */
void exporter_stop(struct exporter *e);

#endif /* PROCMON_EXPORTER_H */
