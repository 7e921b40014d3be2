// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Feeds the metrics registry from the samples the sampler takes anyway (no read
 * of its own) and publishes it once per tick; the server thread does the rest. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include "clock.h"
#include "exporter.h"
#include "metrics.h"
#include "targets.h"

struct exporter {
	struct metrics *m;
	struct metrics_server *srv;
	bool said_enomem;
};

int exporter_start(const struct metrics_addr *a, double hold_s, const char *cgroup,
		   struct exporter **out)
{
	struct metrics_config cfg = { .hold_s = hold_s, .max_procs = METRICS_MAX_PROCS_DEFAULT,
				      .cgroup = cgroup };
	struct exporter *e = calloc(1, sizeof(*e));
	int err;

	*out = NULL;
	if (!e || !(e->m = metrics_new(&cfg))) {
		free(e);
		return -ENOMEM;
	}
	err = metrics_http_start(a, &e->srv);
	if (err) {
		metrics_free(e->m);
		free(e);
		return err;
	}
	*out = e;
	return 0;
}

void exporter_sample(struct exporter *e, const struct target *t, const struct sample *smp,
		     bool last)
{
	struct metrics_proc mp = {
		.pid = t->pid, .start_s = t->start_mono_s, .comm = t->stat.comm,
		.cgroup = t->cgroup,
		.page_faults = smp->pfaults, .major_faults = smp->pageins,
		.oncpu_ns = smp->oncpu_ns, .runq_wait_ns = smp->runq_wait_ns,
		.voluntary = smp->voluntary, .involuntary = smp->involuntary,
		.labels = t->counters.labels,
		/* sched_switch splits every traced thread's off-CPU time. */
		.offcpu_measured = true,
		.offcpu_preempted_ns = smp->offcpu_preempted_ns,
		.offcpu_blocked_ns = smp->offcpu_blocked_ns,
		.offcpu_sleep_ns = smp->offcpu_sleep_ns,
		.rss_bytes = smp->rss_bytes, .rss_peak_bytes = smp->rss_peak_bytes,
	};
	double now = mono_now_s();
	int err = last ? metrics_exit(e->m, &mp, now) : metrics_update(e->m, &mp, now);

	if (err && !e->said_enomem) {
		e->said_enomem = true;
		fprintf(stderr, "procmon: warning: cannot record metrics: %s (the log goes on)\n",
			"out of memory");
	}
}

void exporter_publish(struct exporter *e)
{
	/* -ENOMEM: scrapes keep the previous view; the next tick tries again. */
	metrics_http_publish(e->srv, e->m, mono_now_s());
}

void exporter_stop(struct exporter *e)
{
	if (!e)
		return;
	metrics_http_stop(e->srv);
	metrics_free(e->m);
	free(e);
}
