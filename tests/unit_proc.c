// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests of the /proc readers: stat lines whose command name holds spaces
 * and ')', this process's own files, a zombie, a reaped child, a kernel thread. */
#include <errno.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "proc.h"

/* A stat line as proc(5) lays it out, with @comm and known values in every
 * field the parser reads (and different junk in those it skips). */
static void stat_line(char *buf, size_t size, const char *comm)
{
	snprintf(buf, size,
		 "4242 (%s) S 77 4242 4242 0 -1 4194560 1111 9 2222 8 333 444 55 66 20 0 "
		 "5 0 987654 123456789 321 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n",
		 comm);
}

static void check_fields(const struct proc_stat *st, const char *comm)
{
	CHECK_STR(st->comm, comm);
	CHECK(st->state == 'S', "state: expected 'S', got '%c'", st->state);
	CHECK(st->ppid == 77, "ppid: expected 77, got %d", (int)st->ppid);
	CHECK(st->flags == 4194560u, "flags: expected 4194560, got %u", st->flags);
	CHECK(st->minflt == 1111, "minflt: expected 1111, got %lu", st->minflt);
	CHECK(st->majflt == 2222, "majflt: expected 2222, got %lu", st->majflt);
	CHECK(st->utime == 333 && st->stime == 444, "utime/stime: expected 333/444, got %llu/%llu",
	      st->utime, st->stime);
	CHECK(st->cutime == 55 && st->cstime == 66, "cutime/cstime: expected 55/66, got %llu/%llu",
	      st->cutime, st->cstime);
	CHECK(st->num_threads == 5, "num_threads: expected 5, got %ld", st->num_threads);
	CHECK(st->starttime == 987654, "starttime: expected 987654, got %llu", st->starttime);
	CHECK(st->vsize_bytes == 123456789, "vsize: expected 123456789, got %llu", st->vsize_bytes);
}

static void test_parse_stat_reads_every_field(void)
{
	char buf[512];
	struct proc_stat st;

	stat_line(buf, sizeof(buf), "sleep");
	memset(&st, 0, sizeof(st));
	CHECK(proc_parse_stat(buf, &st) == 0, "parse failed: %s", buf);
	check_fields(&st, "sleep");
}

/* The command name is the process's to choose: "a) R 1 2 (b" must not shift
 * the fields, nor must spaces or an empty name. */
static void test_parse_stat_survives_hostile_comm(void)
{
	const char *comms[] = { "a b", "x) R 1 2 3", ") (", "((", "))", " ", "", "web (worker 1)",
				"0123456789abcde" };
	char buf[512];
	struct proc_stat st;

	for (size_t i = 0; i < sizeof(comms) / sizeof(*comms); i++) {
		stat_line(buf, sizeof(buf), comms[i]);
		memset(&st, 0x55, sizeof(st));
		CHECK(proc_parse_stat(buf, &st) == 0, "comm \"%s\": parse failed", comms[i]);
		check_fields(&st, comms[i]);
	}
}

static void test_parse_stat_rejects_broken_lines(void)
{
	const char *bad[] = { "", "4242", "4242 (sleep", "4242 sleep) S 1", "4242 (sleep) S 77 1 2",
			      "4242 (sleep) S x 4242 4242 0 -1 0 1 0 2 0 3 4 5 6 20 0 1 0 7 8 9" };
	struct proc_stat st;

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		CHECK(proc_parse_stat(bad[i], &st) == -EINVAL, "\"%s\": expected -EINVAL", bad[i]);
}

static void test_read_self_matches_the_process(void)
{
	struct proc_files pf;
	struct proc_stat st;
	char name[17] = "";
	int err;

	prctl(PR_GET_NAME, name);
	err = proc_open(&pf, getpid());
	REQUIRE(err == 0, "proc_open(self): %s", strerror(-err));
	err = proc_read(&pf, &st);
	REQUIRE_GOTO(err == 0, out, "proc_read(self): %s", strerror(-err));
	CHECK_STR(st.comm, name);
	CHECK(st.state == 'R', "state of a running self: expected 'R', got '%c'", st.state);
	CHECK(st.ppid == getppid(), "ppid: expected %d, got %d", (int)getppid(), (int)st.ppid);
	CHECK(st.num_threads == 1, "num_threads: expected 1, got %ld", st.num_threads);
	CHECK(st.rss_bytes > 0 && st.rss_bytes % (unsigned long long)sysconf(_SC_PAGESIZE) == 0,
	      "rss %llu: expected a positive count of pages", st.rss_bytes);
	CHECK(st.vsize_bytes >= st.rss_bytes, "vsize %llu < rss %llu", st.vsize_bytes, st.rss_bytes);
	CHECK(!(st.flags & PROC_PF_KTHREAD), "self flagged a kernel thread");
out:
	proc_close(&pf);
	CHECK(pf.stat_fd == -1, "proc_close left its descriptor");
}

/* A zombie still has a stat file (state Z, no memory); once reaped, the files
 * opened before say ESRCH, never another process's numbers. */
static void test_zombie_then_reaped(void)
{
	struct proc_files pf;
	struct proc_stat st;
	int gate[2], err, status;
	char c;
	pid_t pid;

	if (pipe(gate))
		SKIP("no pipe");
	pid = fork();
	REQUIRE(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		close(gate[1]);
		_exit(read(gate[0], &c, 1) == 0 ? 7 : 8);
	}
	close(gate[0]);
	err = proc_open(&pf, pid);
	CHECK(err == 0, "proc_open(child): %s", strerror(-err));
	close(gate[1]);		/* the child exits */
	waitid(P_PID, (id_t)pid, &(siginfo_t){0}, WEXITED | WNOWAIT);
	if (!err) {
		err = proc_read(&pf, &st);
		CHECK(err == 0 && st.state == 'Z', "zombie: expected state Z, got %d, '%c'", err,
		      err ? '?' : st.state);
		CHECK(err || st.rss_bytes == 0, "zombie rss: expected 0, got %llu", st.rss_bytes);
		/* The STOP line of a process is written from its zombie. */
		CHECK(proc_read_io(&pf, &(struct proc_io){ 0 }) == 0, "zombie: io not readable");
	}
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 7, "child status %d", status);
	if (!err) {
		err = proc_read(&pf, &st);
		CHECK(err == -ESRCH, "reaped: expected -ESRCH, got %d (%s)", err, strerror(-err));
		proc_close(&pf);
	}
	err = proc_open(&pf, pid);
	CHECK(err == -ENOENT, "proc_open(reaped): expected -ENOENT, got %d", err);
}

static void test_parse_io_reads_every_field(void)
{
	struct proc_io io;

	CHECK(proc_parse_io("rchar: 1\nwchar: 2\nsyscr: 3\nsyscw: 4\nread_bytes: 5\n"
			    "write_bytes: 6\ncancelled_write_bytes: 18446744073709551615\n", &io) == 0,
	      "a well-formed io file");
	CHECK(io.rchar == 1 && io.wchar == 2 && io.syscr == 3 && io.syscw == 4 &&
	      io.read_bytes == 5 && io.write_bytes == 6 && io.cancelled_write_bytes == ~0ull,
	      "fields %llu %llu %llu %llu %llu %llu", io.rchar, io.wchar, io.syscr, io.syscw,
	      io.read_bytes, io.write_bytes);
	CHECK(proc_parse_io("rchar: 1\nwchar: 2\n", &io) == -EINVAL, "a cut file");
	CHECK(proc_parse_io("wchar: 2\nrchar: 1\nsyscr: 3\nsyscw: 4\nread_bytes: 5\n"
			    "write_bytes: 6\ncancelled_write_bytes: 7\n", &io) == -EINVAL,
	      "fields out of order");
}

/* Our own write() calls, byte for byte, in write_chars (wchar) and write_count. */
static void test_read_io_counts_own_writes(void)
{
	char path[] = "/tmp/procmon-unit-io-XXXXXX", block[4096] = { 0 };
	struct proc_io before = { 0 }, after = { 0 };
	struct proc_files pf;
	int fd, err = proc_open(&pf, getpid()), e1, e2;

	REQUIRE(err == 0, "proc_open(self): %s", strerror(-err));
	fd = mkstemp(path);
	REQUIRE_GOTO(fd >= 0, out, "mkstemp: %s", strerror(errno));
	unlink(path);
	e1 = proc_read_io(&pf, &before);
	for (int i = 0; i < 25; i++)
		if (write(fd, block, sizeof(block)) != (ssize_t)sizeof(block))
			break;
	e2 = proc_read_io(&pf, &after);
	close(fd);
	REQUIRE_GOTO(e1 == 0 && e2 == 0, out, "proc_read_io(self): %s",
		     strerror(-(e1 ? e1 : e2)));
	CHECK(after.wchar - before.wchar == 25 * sizeof(block), "wchar: expected +%zu, got +%llu",
	      25 * sizeof(block), after.wchar - before.wchar);
	CHECK(after.syscw - before.syscw == 25, "syscw: expected +25, got +%llu",
	      after.syscw - before.syscw);
out:
	proc_close(&pf);
	CHECK(pf.io_fd == -1, "proc_close left the io descriptor");
}

static void test_kernel_thread_is_flagged(void)
{
	struct proc_files pf;
	struct proc_stat st;
	char *cmdline;
	int err = proc_open(&pf, 2);	/* kthreadd */

	if (err)
		SKIP("no PID 2 in this PID namespace");
	err = proc_read(&pf, &st);
	CHECK(err == 0 && (st.flags & PROC_PF_KTHREAD), "PID 2: expected PF_KTHREAD, got %d, %#x",
	      err, st.flags);
	proc_close(&pf);
	bool truncated = true;

	cmdline = proc_cmdline(2, &truncated);
	CHECK_STR(cmdline, "");
	CHECK(!truncated, "an empty command line is not cut");
	free(cmdline);
}

static char **saved_argv;

static void test_cmdline_joins_arguments(void)
{
	bool truncated;
	char *got = proc_cmdline(getpid(), &truncated), want[1024] = "";
	size_t len = 0;

	for (int i = 0; saved_argv[i]; i++)
		len += (size_t)snprintf(want + len, sizeof(want) - len, "%s%s", i ? " " : "",
					saved_argv[i]);
	CHECK_STR(got, want);
	free(got);
	got = proc_cmdline(999999999, &truncated);
	CHECK(got == NULL, "no such process: expected NULL, got \"%s\"", got);
	free(got);
}

/* A child with @n arguments of @len bytes of 'a' each (one argument may not pass
 * 128 KiB): its command line as read, once exec has set it. */
static char *cmdline_of_child_with(int n, size_t len, bool *truncated)
{
	char *arg = malloc(len + 1), *got = NULL, *argv[16] = { "sh", "-c", "read x" };
	size_t want = 13 + (size_t)n * (len + 1) - 1;
	int gate[2];
	pid_t pid;

	if (!arg || n > 12 || pipe(gate))
		return NULL;
	memset(arg, 'a', len);
	arg[len] = '\0';
	for (int i = 0; i < n; i++)
		argv[3 + i] = arg;
	argv[3 + n] = NULL;
	pid = fork();
	if (pid == 0) {
		close(gate[1]);
		dup2(gate[0], 0);
		execv("/bin/sh", argv);	/* waits on stdin, its argv in place */
		_exit(1);
	}
	close(gate[0]);
	for (int i = 0; i < 200 && pid > 0; i++) {
		free(got);
		got = proc_cmdline(pid, truncated);
		if (got && (strlen(got) >= want || *truncated))
			break;
		usleep(5000);
	}
	close(gate[1]);
	waitpid(pid, NULL, 0);
	free(arg);
	return got;
}

/* Past 4 KiB the command line is whole; past PROC_CMDLINE_MAX it is cut there and
 * says so. */
static void test_cmdline_whole_to_the_cap_then_marked_cut(void)
{
	bool truncated = true;
	char *got = cmdline_of_child_with(1, 10000, &truncated);

	/* "sh -c read x " and the argument */
	CHECK(got && strlen(got) == 13 + 10000 && !truncated,
	      "a 10000-byte argument: want %d bytes, not cut; got %zu, cut %d", 13 + 10000,
	      got ? strlen(got) : 0, truncated);
	free(got);
	got = cmdline_of_child_with(4, 50000, &truncated);
	CHECK(got && strlen(got) == PROC_CMDLINE_MAX && truncated,
	      "4 arguments of 50000 bytes: want %d bytes and cut; got %zu, cut %d",
	      PROC_CMDLINE_MAX, got ? strlen(got) : 0, truncated);
	free(got);
}

static void test_read_file_reads_small_files(void)
{
	char buf[16], big[8192];
	ssize_t n;

	n = proc_read_file("/proc/self/stat", buf, sizeof(buf));
	CHECK(n == (ssize_t)sizeof(buf) - 1 && strlen(buf) == sizeof(buf) - 1,
	      "a file longer than the buffer: expected %zu bytes, got %zd", sizeof(buf) - 1, n);
	n = proc_read_file("/proc/self/status", big, sizeof(big));
	CHECK(n > 100 && (size_t)n == strlen(big) && strstr(big, "Name:"),
	      "/proc/self/status: got %zd bytes", n);
	n = proc_read_file("/nonexistent", buf, sizeof(buf));
	CHECK(n == -ENOENT, "missing file: expected -ENOENT, got %zd", n);
}

int main(int argc, char **argv)
{
	(void)argc;
	saved_argv = argv;
	RUN(test_parse_stat_reads_every_field);
	RUN(test_parse_stat_survives_hostile_comm);
	RUN(test_parse_stat_rejects_broken_lines);
	RUN(test_read_self_matches_the_process);
	RUN(test_zombie_then_reaped);
	RUN(test_kernel_thread_is_flagged);
	RUN(test_parse_io_reads_every_field);
	RUN(test_read_io_counts_own_writes);
	RUN(test_cmdline_joins_arguments);
	RUN(test_cmdline_whole_to_the_cap_then_marked_cut);
	RUN(test_read_file_reads_small_files);
	return check_summary();
}
