// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* --cgroup: processes become targets as they are created in the traced cgroup or move
 * into it, by their ancestors' v2 ids; hooks that fire rarely, loaded by --cgroup only. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "maps.bpf.h"

/* Deeper cgroups than this are not looked into (systemd nests 3 to 5 levels). */
#define PROCMON_CGROUP_MAX_DEPTH 64

/* Before 6.1 a cgroup kept its ancestors' ids, not pointers to them. */
struct cgroup___old {
	int level;
	__u64 ancestor_ids[];
} __attribute__((preserve_access_index));

/* Is cgroup @cg the traced one or below it? Walks its ancestors (the cgroup's
 * own level in the hierarchy, whatever cgroup namespace procmon sees it from). */
static __always_inline bool cgroup_inside(struct cgroup *cg)
{
	int level = BPF_CORE_READ(cg, level);
	struct cgroup *anc;
	__u64 id;

	for (int i = 0; i < PROCMON_CGROUP_MAX_DEPTH; i++) {
		if (i > level)
			break;
		if (bpf_core_field_exists(cg->ancestors)) {
			anc = NULL;
			bpf_probe_read_kernel(&anc, sizeof(anc), &cg->ancestors[i]);
			id = anc ? BPF_CORE_READ(anc, kn, id) : 0;
		} else {
			struct cgroup___old *old = (void *)cg;

			id = 0;
			bpf_probe_read_kernel(&id, sizeof(id), &old->ancestor_ids[i]);
		}
		if (id == cgroup_id)
			return true;
	}
	return false;
}

/* @task's cgroup on the v2 hierarchy: the one cgroup.procs lists it in. */
static __always_inline struct cgroup *dfl_cgroup(struct task_struct *task)
{
	return BPF_CORE_READ(task, cgroups, dfl_cgrp);
}

static __always_inline void send_move(struct task_struct *task, __u32 move)
{
	struct procmon_event_cgroup *ev = bpf_ringbuf_reserve(&events, sizeof(*ev), 0);

	if (!ev) {
		__sync_fetch_and_add(&cgroup_events_lost, 1);
		return;
	}
	event_head(&ev->head, PROCMON_EV_CGROUP, task);
	ev->cgroup_id = BPF_CORE_READ(dfl_cgroup(task), kn, id);
	ev->move = move;
	ev->pad = 0;
	event_submit(ev);
}

/* sched_process_fork(struct task_struct *parent, struct task_struct *child): a
 * new process in the cgroup is a target from its first instruction, as with -c;
 * its parent need not be traced (it may have been created into the cgroup). */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(on_fork_in_cgroup, struct task_struct *parent, struct task_struct *child)
{
	/* A thread, or one of procmon's own helpers (a check run as the sudo user). */
	if (!cgroup_id || child->tgid == parent->tgid || parent->tgid == holder_tgid)
		return 0;
	if (!cgroup_inside(dfl_cgroup(child)))
		return 0;
	if (add_child_target(parent, child) == -11)
		__sync_fetch_and_add(&cgroup_events_lost, 1);
	return 0;
}

/* A process moved in: a target from this instant. Its leader is marked here; its
 * other threads, and the baseline of its counters (what it did before is not the
 * cgroup's), by user space on the event. */
static __always_inline void enter(struct task_struct *task)
{
	struct procmon_counters fresh = {};
	struct procmon_thread *th;
	__u32 tgid = task->tgid;

	fresh.ppid = BPF_CORE_READ(task, real_parent, tgid);
	fresh.flags = PROCMON_TARGET_ENTERED;
	if (bpf_map_update_elem(&targets, &tgid, &fresh, BPF_NOEXIST)) {
		__sync_fetch_and_add(&children_lost, 1);
		return;
	}
	th = bpf_task_storage_get(&threads, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (th) {
		th->tgid = tgid;
		th->flags = PROCMON_THREAD_BASELINE;	/* a storage left from an earlier stay is stale */
		th->out_ns = 0;
		th->blocked_ns = th->sleep_ns = 0;
	}

	set_target_bit(tgid);
	send_move(task, PROCMON_CGROUP_ENTER);
}

/* cgroup_attach_task(struct cgroup *dst_cgrp, const char *path,
 *                    struct task_struct *task, bool threadgroup):
 * runs in the writer of cgroup.procs once the move is done, for v1 and v2 alike. */
SEC("tp_btf/cgroup_attach_task")
int BPF_PROG(on_cgroup_attach, struct cgroup *dst, const char *path, struct task_struct *task,
	     bool threadgroup)
{
	__u32 tgid = task->tgid;
	bool inside, traced;

	/* Hierarchy 0 is v2; a v1 move leaves the v2 cgroup as it was. */
	if (!cgroup_id || BPF_CORE_READ(dst, root, hierarchy_id) != 0 || tgid == holder_tgid)
		return 0;
	inside = cgroup_inside(dfl_cgroup(task));
	traced = bpf_map_lookup_elem(&targets, &tgid) != NULL;
	if (inside && !traced) {
		enter(task);
	} else if (!inside && traced) {
		clear_target_bit(tgid);	/* its counters stop here; user space ends it */
		send_move(task, PROCMON_CGROUP_LEAVE);
	} else if (inside) {
		send_move(task, PROCMON_CGROUP_WITHIN);
	}
	return 0;
}
