// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The label uprobe program: a libbpf skeleton of its own on the core's maps, loaded
 * at the first label site a target has (libbpf parses the kernel BTF: ~30 ms). */
#include <errno.h>
#include <stddef.h>
#include <bpf/libbpf.h>
#include "procmon.lskel.h"
#include "procmon_label.skel.h"
#include "tracer.h"

/* Every map of the label object is one of the core's: the same targets, threads,
 * events... (the light skeleton created them). 0 or -errno. */
static int share_maps(struct procmon_label_bpf *l, const struct procmon_core *c)
{
	const struct {
		struct bpf_map *map;
		int fd;
	} share[] = {
		{ l->maps.targets, c->maps.targets.map_fd },
		{ l->maps.threads, c->maps.threads.map_fd },
		{ l->maps.events, c->maps.events.map_fd },
		{ l->maps.target_bits, c->maps.target_bits.map_fd },
		{ l->maps.probed, c->maps.probed.map_fd },
		{ l->maps.plain_files, c->maps.plain_files.map_fd },
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

static int load(struct tracer *t)
{
	const struct procmon_core *c = t->skel;
	struct procmon_label_bpf *l;
	int err;

	l = procmon_label_bpf__open();
	if (!l)
		return -errno;
	/* The core's settings (its rodata, frozen and mapped read-only). */
	l->rodata->follow_children = c->rodata->follow_children;
	l->rodata->page_shift = c->rodata->page_shift;
	l->rodata->holder_tgid = c->rodata->holder_tgid;
	l->rodata->cgroup_id = c->rodata->cgroup_id;
	l->rodata->light = c->rodata->light;
	l->rodata->schedstats = c->rodata->schedstats;
	err = share_maps(l, c);
	if (!err)
		err = procmon_label_bpf__load(l);
	if (err) {
		procmon_label_bpf__destroy(l);
		return err;
	}
	t->label_skel = l;
	return 0;
}

struct bpf_program *tracer_label_prog(void *tracer)
{
	struct tracer *t = tracer;

	if (!t->label_skel && !t->label_err)
		t->label_err = load(t);
	if (t->label_err) {
		errno = -t->label_err;
		return NULL;
	}
	return t->label_skel->progs.on_label;
}

void tracer_label_close(struct tracer *t)
{
	procmon_label_bpf__destroy(t->label_skel);
	t->label_skel = NULL;
}
