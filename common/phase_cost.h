/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What a phase (from one label to the next) cost: the differences of the counters
 * procmon snapshots at each label. One definition for the exit summary and the plots. */
#ifndef PROCMON_PHASE_COST_H
#define PROCMON_PHASE_COST_H

/* The counters a cost is made of, in the order of the log's `at_label` object
 * (and `at_stop`, the same at the end): cumulative but the last two, as doubles
 * (exact below 2^53), NaN when unknown. */
enum phase_at {
	PHASE_AT_PFAULTS,
	PHASE_AT_PAGEINS,
	PHASE_AT_ONCPU_NS,
	PHASE_AT_RUNQ_WAIT_NS,
	PHASE_AT_OFFCPU_PREEMPTED_NS,
	PHASE_AT_OFFCPU_BLOCKED_NS,
	PHASE_AT_OFFCPU_SLEEP_NS,
	PHASE_AT_RSS_BYTES,		/* RSS at that instant */
	PHASE_AT_PHASE_RSS_PEAK_BYTES,	/* highest RSS since the previous boundary */
	PHASE_NR_AT
};

/* What a phase cost; NaN where a counter is unknown. */
struct phase_cost {
	double wall_s, oncpu_s, runq_s;
	double blocked_s, sleep_s, preempted_s;	/* off-CPU, by why */
	double faults;
	double peak_rss_bytes;		/* highest RSS within the phase */
};

/* A phase boundary's time as the log writes it, to the microsecond: the summary
 * rounds its times so, and the plot reads them so, so their walls are the same
 * doubles (an integer of microseconds / 1e6 is the double strtod gives). */
double phase_time_s(double t_s);

/*
 * The cost from counters @a (PHASE_NR_AT, at the phase's start) to @b (at its
 * end) in @wall_s. A counter that went back gives 0: each label's snapshot adds
 * only the calling thread's unharvested run, so when another thread labels next
 * while the first still runs, the second snapshot can be smaller. The peak is
 * the one rule both sides use: the highest of the RSS at the start, the RSS at
 * the end and the peak the tracer saw between them (0 when it saw no change).
 */
void phase_cost_between(const double *a, const double *b, double wall_s, struct phase_cost *c);

/* Add @c to @sum; the peak is the higher. Unknown plus known is the known one. */
void phase_cost_add(struct phase_cost *sum, const struct phase_cost *c);

/* The larger of @a and @b; NaN only when both are unknown. */
double phase_max_known(double a, double b);

#endif /* PROCMON_PHASE_COST_H */
