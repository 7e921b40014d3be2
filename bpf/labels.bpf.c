// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Labels: executable mappings of a target are reported so user space can probe a
 * library before its code runs (the label uprobe itself is in counters.bpf.c). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "maps.bpf.h"

#define PROCMON_PROT_EXEC	0x4

/* syscalls:sys_enter_mmap: a traced process maps a file with PROT_EXEC (the
 * dynamic loader at start-up, dlopen). The SIGSTOP lands when the syscall returns,
 * before the new code can run; user space probes the file and sends SIGCONT. */
SEC("tracepoint/syscalls/sys_enter_mmap")
int on_mmap(struct trace_event_raw_sys_enter *ctx)
{
	struct task_struct *t = bpf_get_current_task_btf();
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct procmon_event_map *ev;
	struct procmon_counters *c;
	long fd = (long)ctx->args[4];

	if (!traced_thread(t) || !(ctx->args[2] & PROCMON_PROT_EXEC) || fd < 0)
		return 0;
	ev = bpf_ringbuf_reserve(&events, sizeof(*ev), 0);
	if (!ev) {
		/* User space sees the count move and rescans /proc/PID/maps. */
		c = bpf_map_lookup_elem(&targets, &tgid);
		if (c)
			__sync_fetch_and_add(&c->map_events_lost, 1);
		return 0;
	}
	event_head(&ev->head, PROCMON_EV_MAP, t);
	ev->fd = (__s32)fd;
	ev->stopped = hold_for_probes(t);
	bpf_ringbuf_submit(ev, 0);
	return 0;
}
