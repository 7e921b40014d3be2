// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Labels: executable mappings of a target are reported so user space can probe a
 * library before its code runs (the label uprobe itself is in label_uprobe.bpf.c). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "maps.bpf.h"

#define PROCMON_PROT_EXEC	0x4
#define PROCMON_MAP_DENYWRITE	0x0800	/* glibc's ld.so maps every object with it */
#define PROCMON_NR_MMAP		9	/* x86_64 */

/* Is @fd of @t a file user space found no symbol in? */
static __always_inline bool plain_file(struct task_struct *t, long fd)
{
	struct procmon_file_key key = {};
	struct fdtable *fdt = BPF_CORE_READ(t, files, fdt);
	struct file **fds = BPF_CORE_READ(fdt, fd);
	struct file *f = NULL;

	if (fd >= BPF_CORE_READ(fdt, max_fds) ||
	    bpf_probe_read_kernel(&f, sizeof(f), fds + fd) || !f)
		return false;
	key.dev = BPF_CORE_READ(f, f_inode, i_sb, s_dev);
	key.ino = BPF_CORE_READ(f, f_inode, i_ino);
	return bpf_map_lookup_elem(&plain_files, &key) != NULL;
}

/* mmap:vm_unmapped_area, prototype (unsigned long addr, struct vm_unmapped_area_info *):
 * the kernel picks an address for a new mapping. For mmap(2) of a file by a traced
 * process with PROT_EXEC, or with MAP_DENYWRITE (the dynamic loader's first mapping
 * of each object, at start-up and dlopen, before its code segment), report the fd.
 * The hold (hold_for_probes) lands when the syscall returns, before the new code can
 * run; user space probes the file and lets it go. A raw tracepoint, not syscalls:sys_enter_mmap:
 * detaching that (a faultable syscall tracepoint) waits for an RCU-tasks-trace grace
 * period, 25-80 ms of every run's exit here; this one detaches at once. */
SEC("tp_btf/vm_unmapped_area")
int BPF_PROG(on_mmap, unsigned long addr, struct vm_unmapped_area_info *info)
{
	struct task_struct *t = bpf_get_current_task_btf();
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct procmon_event_map *ev;
	struct procmon_counters *c;
	struct pt_regs *regs;
	long fd;

	if (!traced_thread(t))
		return 0;
	/* The syscall's own arguments: what mmap(2) was asked (x86_64 ABI). */
	regs = (struct pt_regs *)bpf_task_pt_regs(t);
	if (!regs || regs->orig_ax != PROCMON_NR_MMAP)
		return 0;
	fd = (int)regs->r8;	/* the kernel reads an int too */
	if (fd < 0 || !(regs->dx & PROCMON_PROT_EXEC || regs->r10 & PROCMON_MAP_DENYWRITE))
		return 0;
	if (plain_file(t, fd))
		return 0;	/* read before: nothing to probe, no hold */
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
	ev->stopped = hold_for_probes(t, false);
	event_submit(ev);
	return 0;
}
