// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* A phase's cost from the counters at its two ends, and totals of phases. */
#include <math.h>

#include "phase_cost.h"

/* b - a of a cumulative counter; NaN if either is unknown, 0 if it went back. */
static double delta(const double *a, const double *b, enum phase_at c)
{
	double d = b[c] - a[c];

	return isnan(d) ? NAN : d > 0 ? d : 0;
}

double phase_time_s(double t_s)
{
	return isfinite(t_s) ? (double)llround(t_s * 1e6) / 1e6 : t_s;
}

void phase_cost_between(const double *a, const double *b, double wall_s, struct phase_cost *c)
{
	c->wall_s = wall_s > 0 ? wall_s : 0;
	c->oncpu_s = delta(a, b, PHASE_AT_ONCPU_NS) / 1e9;
	c->runq_s = delta(a, b, PHASE_AT_RUNQ_WAIT_NS) / 1e9;
	c->blocked_s = delta(a, b, PHASE_AT_OFFCPU_BLOCKED_NS) / 1e9;
	c->sleep_s = delta(a, b, PHASE_AT_OFFCPU_SLEEP_NS) / 1e9;
	c->preempted_s = delta(a, b, PHASE_AT_OFFCPU_PREEMPTED_NS) / 1e9;
	c->faults = delta(a, b, PHASE_AT_PFAULTS);
	c->peak_rss_bytes = phase_max_known(phase_max_known(a[PHASE_AT_RSS_BYTES],
							    b[PHASE_AT_RSS_BYTES]),
					    b[PHASE_AT_PHASE_RSS_PEAK_BYTES]);
}

double phase_max_known(double a, double b)
{
	return isnan(a) ? b : isnan(b) ? a : fmax(a, b);
}

/* NaN stays NaN: a total of unknowns is unknown, unknown plus known is not. */
static double add_known(double a, double b)
{
	return isnan(a) ? b : isnan(b) ? a : a + b;
}

void phase_cost_add(struct phase_cost *sum, const struct phase_cost *c)
{
	sum->wall_s = add_known(sum->wall_s, c->wall_s);
	sum->oncpu_s = add_known(sum->oncpu_s, c->oncpu_s);
	sum->runq_s = add_known(sum->runq_s, c->runq_s);
	sum->blocked_s = add_known(sum->blocked_s, c->blocked_s);
	sum->sleep_s = add_known(sum->sleep_s, c->sleep_s);
	sum->preempted_s = add_known(sum->preempted_s, c->preempted_s);
	sum->faults = add_known(sum->faults, c->faults);
	sum->peak_rss_bytes = phase_max_known(sum->peak_rss_bytes, c->peak_rss_bytes);
}
