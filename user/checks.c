// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Preflight checks, so a user gets "run it with sudo" rather than libbpf's
 * verifier noise or a bare -EPERM; each failure says why, and what to do. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>
#include "as_user.h"
#include "checks.h"
#include "fail.h"
#include "privs.h"
#include "proc.h"

int check_btf(const char **why, const char **hint)
{
	*why = *hint = NULL;
	if (access("/sys/kernel/btf/vmlinux", R_OK) == 0)
		return 0;
	*why = "this kernel has no BTF (/sys/kernel/btf/vmlinux is missing)";
	*hint = "use a kernel built with CONFIG_DEBUG_INFO_BTF=y";
	return -ENOENT;
}

static int has_cap(const struct __user_cap_data_struct *d, int cap)
{
	return !!(d[cap / 32].effective & (1u << (cap % 32)));
}

int check_capabilities(const char **why, const char **hint)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = {};

	*why = *hint = NULL;
	if (syscall(SYS_capget, &h, d)) {
		*why = "capget failed: cannot read procmon's own capabilities";
		return -errno;
	}
	if (has_cap(d, CAP_SYS_ADMIN) || (has_cap(d, CAP_BPF) && has_cap(d, CAP_PERFMON)))
		return 0;
	*why = "loading BPF programs needs root, or CAP_BPF and CAP_PERFMON";
	*hint = "run it with sudo";
	return -EPERM;
}

int check_tracefs(const char **why, const char **hint)
{
	*why = *hint = NULL;
	/* With the effective ids and capabilities (access() would use the real
	 * ones): a file-capability install reads tracefs with CAP_DAC_READ_SEARCH. */
	if (faccessat(AT_FDCWD, "/sys/kernel/tracing/events/syscalls", X_OK, AT_EACCESS) == 0 ||
	    faccessat(AT_FDCWD, "/sys/kernel/debug/tracing/events/syscalls", X_OK, AT_EACCESS) == 0)
		return 0;
	/* libbpf looks the tracepoint's id up there; a fresh boot may not have it. */
	if (mount("nodev", "/sys/kernel/tracing", "tracefs", 0, NULL) == 0 &&
	    faccessat(AT_FDCWD, "/sys/kernel/tracing/events/syscalls", X_OK, AT_EACCESS) == 0)
		return 0;
	*why = "tracefs is not mounted and could not be (it lists the syscall tracepoints)";
	*hint = "mount -t tracefs nodev /sys/kernel/tracing";
	return -ENOENT;
}

int check_attach_pid(pid_t pid, const char **why, const char **hint)
{
	struct proc_files pf;
	struct proc_stat st;
	int err;

	*why = *hint = NULL;
	if (pid == getpid()) {
		*why = "that is procmon itself";
		return -EINVAL;
	}
	if (kill(pid, 0) && errno == ESRCH) {
		*why = "no such process";
		*hint = "check the PID with ps";
		return -ESRCH;
	}
	err = proc_open(&pf, pid);
	if (err) {
		*why = err == -ENOENT ? "no such process" : "cannot read its /proc files";
		return err;
	}
	err = proc_read(&pf, &st);
	proc_close(&pf);
	if (err) {
		*why = "no such process";
		return err;
	}
	if (st.flags & PROC_PF_KTHREAD) {
		*why = "it is a kernel thread";
		*hint = "procmon traces user-space processes";
		return -EINVAL;
	}
	/* A zombie main thread with others alive (pthread_exit in main) is a
	 * running process. */
	if (st.state == 'Z' && proc_live_thread(pid, NULL) < 0) {
		*why = "it has already exited (zombie)";
		return -ESRCH;
	}
	return 0;
}

/* -p @pid: a user-space process that is not procmon, and one the invoking user
 * could trace themselves (under sudo, or in a file-capability install). */
static int check_pid(pid_t pid, const struct run_as *ra, const char **why, const char **hint)
{
	int err = check_attach_pid(pid, why, hint);

	if (err)
		return err;
	err = as_user_may_trace(ra, pid);
	if (err == -EPERM) {
		*why = "permission denied";
		*hint = "you may trace only your own processes";
	} else if (err) {
		*why = "no such process";
		*hint = "check the PID with ps";
	}
	return err;
}

int preflight(const struct procmon_opts *o, struct run_as *ra)
{
	const char *why, *hint;
	char what[64 + OPTIONS_SHOWN_SIZE], shown[OPTIONS_SHOWN_SIZE];
	int i, err;

	err = check_btf(&why, &hint);
	if (!err)
		err = check_capabilities(&why, &hint);
	if (!err)
		err = check_tracefs(&why, &hint);
	if (err) {
		fail_line(stderr, NULL, why, hint);
		return err;
	}
	/* Whom procmon acts for comes first: the PIDs are checked as that user. */
	err = run_as_resolve(o->user, ra, &why);
	if (err) {
		snprintf(what, sizeof(what), "cannot run as '%s'",
			 options_shown(o->user, shown, sizeof(shown)));
		fail_line(stderr, what, why, NULL);
		return err;
	}
	for (i = 0; i < o->n_pids; i++) {
		err = check_pid(o->pids[i], ra, &why, &hint);
		if (err) {
			snprintf(what, sizeof(what), "cannot attach to PID %d", (int)o->pids[i]);
			fail_line(stderr, what, why, hint);
			return err;
		}
	}
	return 0;
}
