// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Integration tests of procmon's errors: each mistake gives exactly one
 * `procmon: ` line on stderr and the documented exit status, and breaks nothing
 * else (no output, no log file, no file written through a hostile symlink). */
#include <pwd.h>

#include <sys/stat.h>
#include "check.h"
#include "itest.h"

#define TIMEOUT_S 20.0
#define EXIT_FAILURE_PROCMON 125

/* Run procmon with @args; expect exit @want, one `procmon: ` line on stderr
 * containing @needle (if any), and nothing on stdout. */
static void check_error_how(const char *const *args, int want, const char *needle,
			    const struct it_spawn *how)
{
	const char *argv[32] = { it_procmon() };
	char cmdline[512] = "procmon", line[300];
	struct it_proc p;
	int i, code, len = 7;

	for (i = 0; args[i] && i < 30; i++) {
		argv[i + 1] = args[i];
		len += snprintf(cmdline + len, sizeof(cmdline) - (size_t)len, " '%s'", args[i]);
		if (len >= (int)sizeof(cmdline))
			len = (int)sizeof(cmdline) - 1;
	}
	argv[i + 1] = NULL;
	it_run(&p, argv, how, TIMEOUT_S);
	code = it_exit_code(p.status);
	CHECK(code == want, "%s: expected exit %d, got %d", cmdline, want, code);
	CHECK(!strncmp(p.err, "procmon: ", 9) && it_count_lines(p.err) == 1,
	      "%s: expected one line starting 'procmon: ' on stderr, got %d lines:\n%s", cmdline,
	      it_count_lines(p.err), p.err);
	if (needle)
		CHECK(strstr(p.err, needle), "%s: expected '%s' in the message, got: %s", cmdline,
		      needle, it_first_line(p.err, line, sizeof(line)));
	CHECK(!*p.out, "%s: expected nothing on stdout, got: %s", cmdline,
	      it_first_line(p.out, line, sizeof(line)));
	it_proc_free(&p);
}

static void check_error(const char *const *args, int want, const char *needle)
{
	check_error_how(args, want, needle, NULL);
}

#define ARGS(...) ((const char *const[]){ __VA_ARGS__, NULL })

static void test_no_such_pid(void)
{
	check_error(ARGS("-p", "999999"), EXIT_FAILURE_PROCMON, "999999");
	check_error(ARGS("-p", "1,999999"), EXIT_FAILURE_PROCMON, "999999");
}

static void test_kernel_thread_pid(void)
{
	check_error(ARGS("-p", "2"), EXIT_FAILURE_PROCMON, "kernel thread");
}

static void test_bad_intervals(void)
{
	const char *bad[] = { "0", "-1", "nan", "inf", "abc", "1x", "", "-0", "1e400", " 1",
			      "0x", "1 " };

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		check_error(ARGS("-i", bad[i], "--", "true"), EXIT_FAILURE_PROCMON, "interval");
		check_error(ARGS("-d", bad[i], "--", "true"), EXIT_FAILURE_PROCMON, "duration");
	}
	check_error(ARGS("-i"), EXIT_FAILURE_PROCMON, NULL);	/* no argument at all */
}

static void test_bad_pids(void)
{
	const char *bad[] = { "0", "-5", "1,,2", "99999999999", "", ",1", "1,", "abc", "12abc",
			      "+1", " 1", "2147483648" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		check_error(ARGS("-p", bad[i]), EXIT_FAILURE_PROCMON, "PID");
}

static void test_unknown_format_and_option(void)
{
	check_error(ARGS("--format", "xml", "--", "true"), EXIT_FAILURE_PROCMON, "xml");
	check_error(ARGS("--format", "", "--", "true"), EXIT_FAILURE_PROCMON, "format");
	check_error(ARGS("--no-such-option", "--", "true"), EXIT_FAILURE_PROCMON, "no-such-option");
	check_error(ARGS("-Z", "--", "true"), EXIT_FAILURE_PROCMON, NULL);
}

static void test_conflicts_and_nothing_to_trace(void)
{
	check_error(ARGS("-p", "1", "--", "true"), EXIT_FAILURE_PROCMON, "not both");
	check_error(ARGS("-p", "1", "true"), EXIT_FAILURE_PROCMON, "not both");
	check_error(ARGS("-i", "1"), EXIT_FAILURE_PROCMON, "nothing to trace");
	check_error(ARGS("--"), EXIT_FAILURE_PROCMON, "nothing to trace");
	check_error(ARGS("-u", "root", "-p", "1"), EXIT_FAILURE_PROCMON, "-u");
	check_error(ARGS("-u", "procmon-no-such-user", "--", "true"), EXIT_FAILURE_PROCMON,
		    "procmon-no-such-user");
}

static void test_unwritable_output(void)
{
	struct stat st;

	check_error(ARGS("-o", "/nonexistent/dir/x.log", "--", "true"), EXIT_FAILURE_PROCMON,
		    "/nonexistent/dir/x.log");
	check_error(ARGS("-o", "/proc/version", "--", "true"), EXIT_FAILURE_PROCMON, NULL);
	check_error(ARGS("-o", "", "--", "true"), EXIT_FAILURE_PROCMON, "output");
	CHECK(stat("/nonexistent/dir/x.log", &st) != 0, "the impossible log exists");
}

/* An error in the options must not leave a log file behind. */
static void test_usage_error_creates_no_log(void)
{
	char dir[64], log_path[128];
	struct stat st;

	if (!it_tmpdir(dir, sizeof(dir)))
		SKIP("no temporary directory");
	snprintf(log_path, sizeof(log_path), "%s/log", dir);
	check_error(ARGS("-o", log_path, "-i", "0", "--", "true"), EXIT_FAILURE_PROCMON, NULL);
	CHECK(lstat(log_path, &st) != 0, "a usage error left a log file %s", log_path);
	check_error(ARGS("-o", log_path, "-p", "999999"), EXIT_FAILURE_PROCMON, NULL);
	CHECK(lstat(log_path, &st) != 0, "a bad PID left a log file %s", log_path);
	it_rmdir(dir);
}

static void test_command_not_found_and_not_executable(void)
{
	char dir[64], file[128];
	int fd;

	check_error(ARGS("--", "procmon-no-such-command"), 127, "procmon-no-such-command");
	if (!it_tmpdir(dir, sizeof(dir)))
		SKIP("no temporary directory");
	snprintf(file, sizeof(file), "%s/no-x-bit", dir);
	fd = open(file, O_WRONLY | O_CREAT | O_EXCL, 0644);
	CHECK(fd >= 0 && write(fd, "#!/bin/sh\n", 10) == 10, "cannot write %s", file);
	if (fd >= 0)
		close(fd);
	check_error(ARGS("--", file), 126, "no-x-bit");
	it_rmdir(dir);
}

/* As nobody, without CAP_BPF/CAP_PERFMON: "run it with sudo", 125. */
/* A copy of procmon that user nobody can reach: the build tree may sit in a
 * directory only root can enter (CI's clone, mktemp -d). */
static bool copy_procmon_for_nobody(const char *dir, char *copy, size_t size)
{
	const char *argv[] = { "cp", it_procmon(), copy, NULL };
	struct it_proc p;
	bool ok;

	snprintf(copy, size, "%s/procmon", dir);
	it_run(&p, argv, NULL, 10);
	ok = it_exit_code(p.status) == 0 && chmod(dir, 0755) == 0 && chmod(copy, 0755) == 0;
	it_proc_free(&p);
	return ok;
}

static void check_nobody(const char *procmon, const char *const *args)
{
	const struct it_spawn nobody = { .as_user = true, .uid = 65534, .gid = 65534, .cwd = "/" };
	const char *argv[8] = { procmon };
	char line[300];
	struct it_proc p;
	int i;

	for (i = 0; args[i] && i < 6; i++)
		argv[i + 1] = args[i];
	it_run(&p, argv, &nobody, TIMEOUT_S);
	CHECK(it_exit_code(p.status) == EXIT_FAILURE_PROCMON, "as nobody: expected exit %d, got %d",
	      EXIT_FAILURE_PROCMON, it_exit_code(p.status));
	CHECK(!strncmp(p.err, "procmon: ", 9) && it_count_lines(p.err) == 1 &&
	      strstr(p.err, "run it with sudo"),
	      "as nobody: expected one line 'procmon: ... run it with sudo', got: %s",
	      it_first_line(p.err, line, sizeof(line)));
	it_proc_free(&p);
}

static void test_not_root_says_sudo(void)
{
	char dir[64], copy[128];

	if (!it_tmpdir(dir, sizeof(dir)))
		SKIP("no temporary directory");
	REQUIRE_GOTO(copy_procmon_for_nobody(dir, copy, sizeof(copy)), out,
		     "cannot copy procmon to %s", dir);
	check_nobody(copy, ARGS("--", "true"));
	check_nobody(copy, ARGS("-p", "1"));
out:
	it_rmdir(dir);
}

static void write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	CHECK(fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text),
	      "cannot write %s", path);
	if (fd >= 0)
		close(fd);
}

static void test_existing_output_is_truncated(void)
{
	char dir[64], log_path[128], *text;
	const char *argv[] = { it_procmon(), "-q", "-i", "0.05", "-o", log_path, "--", "true", NULL };
	struct it_proc p;
	struct it_log log = { 0 };

	if (!it_tmpdir(dir, sizeof(dir)))
		SKIP("no temporary directory");
	snprintf(log_path, sizeof(log_path), "%s/log", dir);
	write_text(log_path, "OLD LINE that must go, and it is longer than any line procmon writes "
		   "................................................................................"
		   "................................................................................"
		   "................................................................................"
		   "................................................................................"
		   "................................................................................"
		   "................................................................................"
		   "..................................................................\nOLD 2\n");
	it_run(&p, argv, NULL, TIMEOUT_S);
	CHECK(it_exit_code(p.status) == 0, "exit %d: %s", it_exit_code(p.status), p.err);
	text = it_read_file(log_path);
	CHECK(text && !strstr(text, "OLD"), "the old content is still in the log");
	/* START and STOP, and a sample between them if `true` outlived -i 0.05
	 * on a busy machine: whole lines, none of the old ones. */
	CHECK(text && it_log_parse(text, &log) == 0 && log.bad == 0 && log.n >= 2 && log.n <= 4,
	      "expected 2-4 good lines (START, STOP), got %d and %d bad: %s", log.n, log.bad,
	      log.first_bad);
	free(text);
	it_log_free(&log);
	it_proc_free(&p);
	it_rmdir(dir);
}

static void test_symlink_in_sticky_dir_is_refused(void)
{
	char victim_dir[64], sticky[64], victim[128], link_path[128], *text;
	const char *original = "precious content\n";
	struct stat st;

	if (!it_tmpdir(victim_dir, sizeof(victim_dir)) || !it_tmpdir(sticky, sizeof(sticky)))
		SKIP("no temporary directory");
	REQUIRE_GOTO(chmod(sticky, 01777) == 0, out, "chmod 1777 %s: %s", sticky, strerror(errno));
	snprintf(victim, sizeof(victim), "%s/victim", victim_dir);
	snprintf(link_path, sizeof(link_path), "%s/procmon.log", sticky);
	write_text(victim, original);
	REQUIRE_GOTO(symlink(victim, link_path) == 0, out, "symlink: %s", strerror(errno));
	REQUIRE_GOTO(lchown(link_path, 65534, 65534) == 0, out, "lchown: %s", strerror(errno));

	check_error(ARGS("-o", link_path, "--", "true"), EXIT_FAILURE_PROCMON, "symlink");
	text = it_read_file(victim);
	CHECK_STR(text, original);
	free(text);
	CHECK(lstat(link_path, &st) == 0 && S_ISLNK(st.st_mode), "the symlink was replaced");

	/* The same link owned by the one who runs procmon is followed (and truncates). */
	REQUIRE_GOTO(lchown(link_path, 0, 0) == 0, out, "lchown: %s", strerror(errno));
	{
		const char *argv[] = { it_procmon(), "-q", "-o", link_path, "--", "true", NULL };
		struct it_log log = { 0 };
		struct it_proc p;

		it_run(&p, argv, NULL, TIMEOUT_S);
		CHECK(it_exit_code(p.status) == 0, "own symlink: exit %d: %s",
		      it_exit_code(p.status), p.err);
		CHECK(it_log_load(victim, &log) == 0 && log.n == 2 && log.bad == 0,
		      "own symlink: expected the log (2 lines) in its target, got %d lines, %d bad",
		      log.n, log.bad);
		it_log_free(&log);
		it_proc_free(&p);
	}
out:
	it_rmdir(sticky);
	it_rmdir(victim_dir);
}

static void check_log_on_stdout(const char *target)
{
	const char *argv[] = { it_procmon(), "-q", "-i", "0.05", "-o", target, "--",
			       it_workload("exit_with"), "sleep", "0.2", NULL };
	struct it_log log = { 0 };
	struct it_proc p;

	it_run(&p, argv, NULL, TIMEOUT_S);
	CHECK(it_exit_code(p.status) == 0, "-o %s: exit %d: %s", target, it_exit_code(p.status),
	      p.err);
	CHECK(!*p.err, "-o %s -q: expected nothing on stderr, got: %s", target, p.err);
	CHECK(it_log_parse(p.out, &log) == 0 && log.bad == 0 && log.n >= 4,
	      "-o %s: expected >= 4 log lines on stdout, got %d, %d bad: %s", target, log.n,
	      log.bad, log.first_bad);
	CHECK(log.n && log.mark[0] == IT_MARK_START && log.mark[log.n - 1] == IT_MARK_STOP,
	      "-o %s: START first and STOP last expected", target);
	it_log_free(&log);
	it_proc_free(&p);
}

static void test_output_to_stdout(void)
{
	check_log_on_stdout("-");
	check_log_on_stdout("/dev/stdout");
}

/* -h, -? and --help: the help on stdout, exit 0, nothing on stderr, no run. */
static void test_help_exits_0(void)
{
	static const char *const flags[] = { "-h", "-?", "--help" };

	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		const char *argv[] = { it_procmon(), flags[i], NULL };
		struct it_proc p;

		it_run(&p, argv, NULL, TIMEOUT_S);
		CHECK(it_exit_code(p.status) == 0, "procmon %s: expected exit 0, got %d: %s",
		      flags[i], it_exit_code(p.status), p.err);
		CHECK(!strncmp(p.out, "Usage: procmon", 14) && strstr(p.out, "--children"),
		      "procmon %s: expected the help on stdout, got: %.80s", flags[i], p.out);
		CHECK(!*p.err, "procmon %s: expected nothing on stderr, got: %s", flags[i], p.err);
		it_proc_free(&p);
	}
}

int main(void)
{
	if (geteuid() != 0)
		check_skip_all("needs root (BPF, chown, setuid)");
	RUN(test_no_such_pid);
	RUN(test_kernel_thread_pid);
	RUN(test_bad_intervals);
	RUN(test_bad_pids);
	RUN(test_unknown_format_and_option);
	RUN(test_conflicts_and_nothing_to_trace);
	RUN(test_unwritable_output);
	RUN(test_usage_error_creates_no_log);
	RUN(test_command_not_found_and_not_executable);
	RUN(test_not_root_says_sudo);
	RUN(test_existing_output_is_truncated);
	RUN(test_symlink_in_sticky_dir_is_refused);
	RUN(test_output_to_stdout);
	RUN(test_help_exits_0);
	return check_summary();
}
