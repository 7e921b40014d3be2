// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Drops every capability a running procmon does not use: it never again creates
 * files as another user, changes credentials, binds sockets or loads modules. */
#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>
#include "privs.h"

/* Kept: uprobes on libraries loaded later (CAP_BPF, CAP_PERFMON, and CAP_SYS_ADMIN
 * where the kernel predates those two), /proc/PID/{maps,fd,exe} of a target owned
 * by another user (CAP_SYS_PTRACE, CAP_DAC_READ_SEARCH), SIGCONT after a hold
 * (CAP_KILL). */
static const int kept[] = {
	CAP_BPF, CAP_PERFMON, CAP_SYS_ADMIN, CAP_SYS_PTRACE, CAP_DAC_READ_SEARCH, CAP_KILL,
};

int privs_drop_unneeded(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = {}, want[2] = {};
	size_t i;

	if (syscall(SYS_capget, &h, d))
		return -errno;
	for (i = 0; i < sizeof(kept) / sizeof(kept[0]); i++) {
		int cap = kept[i];
		__u32 bit = 1u << (cap % 32);

		want[cap / 32].permitted |= d[cap / 32].permitted & bit;
		want[cap / 32].effective |= d[cap / 32].effective & bit;
	}
	return syscall(SYS_capset, &h, want) ? -errno : 0;
}
