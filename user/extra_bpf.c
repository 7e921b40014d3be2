// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The BPF programs outside the core, the label uprobe and the --cgroup hooks: a libbpf
 * skeleton on all the core's maps, loaded only by the runs that need it (~30 ms). */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "procmon.lskel.h"
#include "procmon_extra.skel.h"
#include "tracer.h"

/* Every map of the extra object is the core's: the same targets, threads, events...
 * and the same settings and counters (.rodata, frozen, and .bss). 0 or -errno. */
static int share_maps(struct procmon_extra_bpf *x, const struct procmon_core *c)
{
	const struct {
		struct bpf_map *map;
		int fd;
	} share[] = {
		{ x->maps.targets, c->maps.targets.map_fd },
		{ x->maps.threads, c->maps.threads.map_fd },
		{ x->maps.events, c->maps.events.map_fd },
		{ x->maps.target_bits, c->maps.target_bits.map_fd },
		{ x->maps.probed, c->maps.probed.map_fd },
		{ x->maps.plain_files, c->maps.plain_files.map_fd },
		{ x->maps.rodata, c->maps.rodata.map_fd },
		{ x->maps.bss, c->maps.bss.map_fd },
	};
	size_t i;
	int err;

	for (i = 0; i < sizeof(share) / sizeof(share[0]); i++) {
		err = bpf_map__reuse_fd(share[i].map, share[i].fd);
		if (err)
			return err;
	}
	return 0;
}

/* The label uprobe, and with @cgroup the --cgroup hooks, loaded and attached (the
 * uprobe is attached per process by labels.c). 0 or -errno. */
static int load(struct tracer *t, bool cgroup)
{
	struct procmon_extra_bpf *x;
	int err;

	x = procmon_extra_bpf__open();
	if (!x)
		return -errno;
	bpf_program__set_autoload(x->progs.on_fork_in_cgroup, cgroup);
	bpf_program__set_autoload(x->progs.on_cgroup_attach, cgroup);
	err = share_maps(x, t->skel);
	if (!err)
		err = procmon_extra_bpf__load(x);
	if (!err)
		err = procmon_extra_bpf__attach(x);
	if (err) {
		procmon_extra_bpf__destroy(x);
		return err;
	}
	t->extra = x;
	return 0;
}

/* Load the extra object once; a failure is kept, not tried again. */
static int extra_load(struct tracer *t)
{
	if (!t->extra && !t->extra_err)
		t->extra_err = load(t, false);
	return t->extra_err;
}

int tracer_extra_open_cgroup(struct tracer *t)
{
	/* The label uprobe comes along: one kernel BTF parse instead of two. */
	return load(t, true);
}

struct bpf_program *tracer_label_prog(void *tracer)
{
	struct tracer *t = tracer;

	if (extra_load(t)) {
		errno = -t->extra_err;
		return NULL;
	}
	return t->extra->progs.on_label;
}

int tracer_ticker_prepare(struct tracer *t)
{
	if (extra_load(t))
		return t->extra_err;
	t->tick_pids = calloc(PROCMON_MAX_TARGETS, sizeof(*t->tick_pids));
	return t->tick_pids ? 0 : -ENOMEM;
}

/* Publish the list's length after its entries: the timer reads it first. */
static void set_tick_count(struct tracer *t, __u32 n)
{
	t->n_tick = n;
	__atomic_store_n(&t->skel->bss->tick_targets_n, n, __ATOMIC_RELEASE);
}

void tracer_tick_list_add(struct tracer *t, pid_t pid)
{
	__u32 key = t->n_tick, tgid = (__u32)pid;

	if (!t->tick_pids || t->n_tick >= PROCMON_MAX_TARGETS ||
	    bpf_map_update_elem(bpf_map__fd(t->extra->maps.tick_targets), &key, &tgid, BPF_ANY))
		return;
	t->tick_pids[key] = pid;
	set_tick_count(t, key + 1);
}

void tracer_tick_list_remove(struct tracer *t, pid_t pid)
{
	__u32 i, last, tgid;

	if (!t->tick_pids)
		return;
	for (i = 0; i < t->n_tick && t->tick_pids[i] != pid; i++)
		;
	if (i == t->n_tick)
		return;
	/* The last entry moves into the hole, then the list is one shorter. */
	last = t->n_tick - 1;
	if (i != last) {
		tgid = (__u32)t->tick_pids[last];
		bpf_map_update_elem(bpf_map__fd(t->extra->maps.tick_targets), &i, &tgid, BPF_ANY);
		t->tick_pids[i] = t->tick_pids[last];
	}
	set_tick_count(t, last);
}

int tracer_ticker(struct tracer *t, double first_mono_s, double period_s)
{
	struct procmon_ticker_args a = {
		.first_ns = (__u64)(first_mono_s * 1e9),
		.period_ns = (__u64)(period_s * 1e9 + 0.5),
	};
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = &a, .ctx_size_in = sizeof(a));

	if (!period_s && !t->extra)
		return 0;
	if (extra_load(t))
		return t->extra_err;
	/* Events wake the reader each from now on (event_submit). */
	t->skel->bss->ticking = period_s > 0;
	if (bpf_prog_test_run_opts(bpf_program__fd(t->extra->progs.ticker_start), &opts))
		return -errno;
	return period_s ? a.err : 0;
}

void tracer_extra_close(struct tracer *t)
{
	procmon_extra_bpf__destroy(t->extra);	/* links are fds: closing them detaches */
	t->extra = NULL;
	free(t->tick_pids);
	t->tick_pids = NULL;
	t->n_tick = 0;
}
