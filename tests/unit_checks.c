// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests of the preflight checks' messages: a failing capget (forced with a
 * seccomp filter) still says why, and the error line never prints "(null)". */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "check.h"
#include "checks.h"
#include "fail.h"

/* The line fail_line() writes, into @buf. */
static const char *line_of(char *buf, size_t size, const char *what, const char *why,
			   const char *hint)
{
	FILE *f = fmemopen(buf, size, "w");

	buf[0] = '\0';
	if (f) {
		fail_line(f, what, why, hint);
		fclose(f);
	}
	return buf;
}

static void test_error_line_leaves_out_what_is_missing(void)
{
	char buf[256];

	CHECK_STR(line_of(buf, sizeof(buf), "cannot attach to PID 7", "no such process",
			  "check the PID with ps"),
		  "procmon: cannot attach to PID 7: no such process (check the PID with ps)\n");
	CHECK_STR(line_of(buf, sizeof(buf), NULL, "this kernel has no BTF", NULL),
		  "procmon: this kernel has no BTF\n");
	CHECK_STR(line_of(buf, sizeof(buf), "cannot run as 'x'", NULL, NULL),
		  "procmon: cannot run as 'x': unknown error\n");
	CHECK(!strstr(line_of(buf, sizeof(buf), NULL, NULL, NULL), "(null)"),
	      "a line with nothing known prints (null): %s", buf);
}

/* Make capget fail with EPERM in this process (and only this one: a child). */
static int forbid_capget(void)
{
	struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_capget, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(filter) / sizeof(filter[0]), .filter = filter };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -errno;
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) ? -errno : 0;
}

static void capget_child(void)
{
	const char *why = NULL, *hint = NULL;
	char buf[512];
	int err;

	if (forbid_capget()) {
		printf("  cannot install a seccomp filter: %s\n", strerror(errno));
		_exit(2);
	}
	err = check_capabilities(&why, &hint);
	CHECK(err == -EPERM, "check_capabilities with capget forbidden: expected %d, got %d",
	      -EPERM, err);
	CHECK(why != NULL, "a failed capget leaves why unset");
	line_of(buf, sizeof(buf), NULL, why, hint);
	printf("  %s", buf);
	CHECK(!strstr(buf, "(null)") && strstr(buf, "capget"), "error line: %s", buf);
	fflush(NULL);
	_exit(check_failed_now ? 1 : 0);
}

static void test_failed_capget_says_why(void)
{
	int status = -1;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0)
		capget_child();
	waitpid(pid, &status, 0);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 2)
		SKIP("no seccomp filters in this kernel");
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "the check with capget forbidden failed (wait status %#x)", status);
}

static void test_success_leaves_why_and_hint_null(void)
{
	const char *why = "stale", *hint = "stale";

	if (check_btf(&why, &hint))
		SKIP("this kernel has no BTF");
	CHECK(why == NULL && hint == NULL, "after a success: why %s, hint %s",
	      why ? why : "NULL", hint ? hint : "NULL");
}

int main(void)
{
	RUN(test_error_line_leaves_out_what_is_missing);
	RUN(test_failed_capget_says_why);
	RUN(test_success_leaves_why_and_hint_null);
	return check_summary();
}
