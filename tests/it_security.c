// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Integration tests of procmon's security: no descriptor leaks into the command,
 * the command learns of procmon's death, no shell anywhere, numbers the same in
 * any locale, and no memory error under valgrind where valgrind can run it. */
#include <locale.h>

#include "check.h"
#include "reltest.h"

#define TIMEOUT_S 20.0

static const char *const sudo_nobody[] = { "SUDO_UID=65534", "SUDO_GID=65534", "SUDO_USER=nobody",
					   NULL };

/* --------------------------------------------------------- descriptors */

/* procmon @opts -- rel_fds, started with fds 0-2 only: the command must have
 * exactly 0, 1 and 2 (libbpf's, the log's, pidfds, the ring buffer's all CLOEXEC). */
static void check_fds(const char *what, const char *const *opts, const char *const *env,
		      const char *dir)
{
	char log_path[128];
	const char *argv[16] = { it_procmon(), "-q" };
	struct rel_run r;
	const char *fds;
	char line[200];
	int i = 2;

	snprintf(log_path, sizeof(log_path), "%s/log", dir);
	/* A fresh log each time: under sudo it is the user's to create, and they may
	 * not write into the one root's run left. */
	unlink(log_path);
	for (int k = 0; opts[k]; k++)
		argv[i++] = opts[k];
	if (!opts[0] || strcmp(opts[0], "-o")) {
		argv[i++] = "-o";
		argv[i++] = log_path;
	}
	argv[i++] = "--";
	argv[i++] = it_public_workload("rel_fds");
	argv[i] = NULL;
	rel_start(&r, argv, &(struct it_spawn){ .env_set = env, .cwd = dir }, -1);
	rel_finish(&r, TIMEOUT_S, true);
	CHECK(it_exit_code(r.p.status) == 0, "%s: exit %d: %s", what, it_exit_code(r.p.status),
	      it_first_line(r.p.err, line, sizeof(line)));
	fds = strstr(r.p.out, "fds:");
	printf("  %s: the command had %s", what, fds ? it_first_line(fds, line, sizeof(line)) : "?");
	printf("\n");
	CHECK(fds && !strncmp(fds, "fds: 0 1 2\n", 11),
	      "%s: the command inherited more than 0 1 2:\n%s", what, fds ? fds : r.p.out);
	it_proc_free(&r.p);
}

static void test_no_descriptor_leaks_into_the_command(void)
{
	char dir[64];
	const char *plain[] = { NULL };
	const char *children[] = { "-c", "-i", "0.05", NULL };
	const char *to_stdout[] = { "-o", "-", "--format", "jsonl", NULL };

	if (!it_tmpdir(dir, sizeof(dir)))
		SKIP("no temporary directory");
	chmod(dir, 0777);
	check_fds("procmon -- CMD", plain, NULL, dir);
	check_fds("procmon -c", children, NULL, dir);
	check_fds("procmon -o -", to_stdout, NULL, dir);
	check_fds("SUDO_UID=65534 procmon", plain, sudo_nobody, dir);
	it_rmdir(dir);
}

/* ------------------------------------------------------ procmon's death */

/* SIGKILL procmon while its command waits: the command gets SIGTERM from
 * PR_SET_PDEATHSIG (set after the credential change, which would clear it). */
static void check_pdeathsig(const char *what, const char *const *env, int want_uid)
{
	char dir[64], log_path[128], ready[128], mark[128], want[64], *text;
	const char *argv[] = { it_procmon(), "-q", "-i", "0.05", "-o", log_path, "--",
			       it_public_workload("rel_sigterm"), ready, mark, NULL };
	struct rel_run r;
	int cmd_pid = -1, cmd_uid = -1;
	bool marked;
	FILE *f;

	if (!it_tmpdir(dir, sizeof(dir))) {
		CHECK(0, "no temporary directory");
		return;
	}
	chmod(dir, 0777);
	snprintf(log_path, sizeof(log_path), "%s/log", dir);
	snprintf(ready, sizeof(ready), "%s/ready", dir);
	snprintf(mark, sizeof(mark), "%s/mark", dir);
	/* Not started, r.p.pid is 0: kill(0, SIGKILL) below would hit our own group. */
	REQUIRE_GOTO(rel_start(&r, argv, &(struct it_spawn){ .env_set = env, .cwd = "/" }, -1) == 0,
		     out, "%s: cannot start procmon", what);
	CHECK(rel_wait_file(ready, 10) && rel_wait_lines(log_path, 2, 10),
	      "%s: the command never got ready", what);
	usleep(20000);	/* the ready file is written whole: fclose before we read */
	f = fopen(ready, "r");
	if (f) {
		if (fscanf(f, "%d %d", &cmd_pid, &cmd_uid) != 2)
			cmd_pid = -1;
		fclose(f);
	}
	kill(r.p.pid, SIGKILL);
	rel_finish(&r, 5, false);	/* leave the command alone: it must end itself */
	marked = rel_wait_file(mark, 5);
	usleep(20000);
	text = it_read_file(mark);
	snprintf(want, sizeof(want), "SIGTERM uid=%d\n", want_uid);
	printf("  %s: command pid %d uid %d; after SIGKILL of procmon it wrote: %s", what, cmd_pid,
	       cmd_uid, text ? text : "nothing\n");
	CHECK(cmd_uid == want_uid, "%s: the command ran as uid %d, expected %d", what, cmd_uid,
	      want_uid);
	CHECK(marked && text && !strcmp(text, want),
	      "%s: the command did not get SIGTERM when procmon died (mark: %s)", what,
	      text ? text : "none");
	if (!marked && cmd_pid > 0)
		kill(cmd_pid, SIGKILL);
	free(text);
	it_proc_free(&r.p);
out:
	it_rmdir(dir);
}

static void test_command_gets_sigterm_when_procmon_is_killed(void)
{
	check_pdeathsig("as root", NULL, 0);
	check_pdeathsig("SUDO_UID=65534", sudo_nobody, 65534);
}

/* ------------------------------------------------------------- no shell */

/* `nm -D --undefined-only FILE`: the names it imports, or NULL if nm failed. */
static char *imports(const char *file)
{
	const char *argv[] = { "nm", "-D", "--undefined-only", file, NULL };
	struct it_proc p;
	char *out = NULL;

	it_run(&p, argv, NULL, 20);
	if (it_exit_code(p.status) == 0) {
		out = p.out;
		p.out = NULL;
	}
	it_proc_free(&p);
	return out;
}

/* Does nm's output import @name (as "U name" or "U name@VERSION")? */
static bool imports_name(const char *nm_out, const char *name)
{
	size_t len = strlen(name);

	for (const char *p = nm_out; (p = strstr(p, " U ")); p += 3) {
		const char *s = p + 3;

		if (!strncmp(s, name, len) && (s[len] == '@' || s[len] == '\n' || !s[len]))
			return true;
	}
	return false;
}

static void test_no_binary_calls_system_or_popen(void)
{
	const char *files[] = { it_procmon(), it_path("lib/libprocmon_label.so.0") };
	static const char *const banned[] = { "system", "popen", "wordexp" };

	for (size_t f = 0; f < 2; f++) {
		char *out = imports(files[f]);

		CHECK(out, "nm -D --undefined-only %s failed", files[f]);
		if (!out)
			continue;
		CHECK(f == 1 || imports_name(out, "execvp") || imports_name(out, "posix_spawnp") ||
		      imports_name(out, "execve"),
		      "nm shows no exec* in %s: is this the right file?", files[f]);
		for (size_t b = 0; b < 3; b++)
			CHECK(!imports_name(out, banned[b]), "%s imports %s()", files[f], banned[b]);
		printf("  %s: imports no system(), popen(), wordexp()\n", files[f]);
		free(out);
	}
}

/* --------------------------------------------------------------- locale */

/* de_DE.UTF-8 (decimal comma): installed, or compiled into @dir by localedef, in
 * which case *locpath is set to @dir. False if neither works. */
static bool german_locale(const char *dir, const char **locpath)
{
	const char *argv[] = { "localedef", "-i", "de_DE", "-f", "UTF-8", NULL, NULL };
	char out[256];
	locale_t de = newlocale(LC_ALL_MASK, "de_DE.UTF-8", (locale_t)0);
	struct it_proc p;

	*locpath = NULL;
	if (de) {
		freelocale(de);
		return true;
	}
	snprintf(out, sizeof(out), "%s/de_DE.UTF-8", dir);
	argv[5] = out;
	it_run(&p, argv, NULL, 60);
	it_proc_free(&p);
	if (access(out, F_OK))
		return false;
	*locpath = dir;
	return true;
}

/* Under LC_ALL=de_DE.UTF-8, `-i 0.5` means half a second (and `-i 0,5` is
 * refused), every JSON number keeps '.', and the plot's data file too. */
static void test_numbers_parse_and_print_the_same_under_a_comma_locale(void)
{
	char dir[64], log_path[128], out_dir[128], locpath_env[128], dat_path[256], line[200];
	const char *env[4] = { "LC_ALL=de_DE.UTF-8", NULL, NULL, NULL };
	const char *argv[] = { it_procmon(), "-q", "-i", "0.5", "--format", "jsonl", "-o", log_path,
			       "--", it_workload("exit_with"), "sleep", "1.2", NULL };
	const char *comma[] = { it_procmon(), "-q", "-i", "0,5", "--", "true", NULL };
	const char *plot[] = { it_procmon(), "plot", log_path, out_dir, NULL };
	const char *locpath;
	struct rel_run r;
	struct it_log log;
	char *text, *dat;

	if (!it_tmpdir(dir, sizeof(dir)))
		SKIP("no temporary directory");
	if (!german_locale(dir, &locpath)) {
		it_rmdir(dir);
		SKIP("no de_DE.UTF-8 locale and localedef cannot make one "
		     "(apt-get install locales): the comma-locale check did not run");
	}
	if (locpath) {
		snprintf(locpath_env, sizeof(locpath_env), "LOCPATH=%s", locpath);
		env[1] = locpath_env;
	}
	snprintf(log_path, sizeof(log_path), "%s/log", dir);
	snprintf(out_dir, sizeof(out_dir), "%s/plots", dir);

	rel_start(&r, argv, &(struct it_spawn){ .env_set = env }, -1);
	rel_finish(&r, TIMEOUT_S, true);
	CHECK(it_exit_code(r.p.status) == 0, "LC_ALL=de_DE.UTF-8 procmon -i 0.5: exit %d: %s",
	      it_exit_code(r.p.status), it_first_line(r.p.err, line, sizeof(line)));
	it_proc_free(&r.p);
	CHECK(it_log_load(log_path, &log) == 0 && log.bad == 0, "log unreadable or %d bad lines: %s",
	      log.bad, log.first_bad);
	/* START, samples at 0.5 and 1.0, STOP at 1.2: the interval was read as 0.5. */
	CHECK(log.n == 4, "expected 4 lines (START, 0.5 s, 1.0 s, STOP), got %d", log.n);
	if (log.n >= 3)
		CHECK_NEAR(it_get_num(log.obj[1], "elapsed_time"), 0.5, 0.05, "first sample's time");
	text = it_read_file(log_path);
	CHECK(text && strstr(text, "\"elapsed_time\": 0.") && !strstr(text, "\"elapsed_time\": 0,"),
	      "elapsed_time not written with a '.'");
	free(text);
	it_log_free(&log);

	rel_start(&r, comma, &(struct it_spawn){ .env_set = env }, -1);
	rel_finish(&r, TIMEOUT_S, true);
	CHECK(it_exit_code(r.p.status) == 125 && it_count_lines(r.p.err) == 1,
	      "-i 0,5 under de_DE: exit %d, %d stderr lines (expected a refusal)",
	      it_exit_code(r.p.status), it_count_lines(r.p.err));
	it_proc_free(&r.p);

	rel_start(&r, plot, &(struct it_spawn){ .env_set = env }, -1);
	rel_finish(&r, TIMEOUT_S, true);
	CHECK(it_exit_code(r.p.status) == 0, "procmon plot under de_DE: exit %d: %s",
	      it_exit_code(r.p.status), it_first_line(r.p.err, line, sizeof(line)));
	it_proc_free(&r.p);
	if (it_log_load(log_path, &log) == 0 && log.n) {
		snprintf(dat_path, sizeof(dat_path), "%s/log_%lld.dat", out_dir,
			 it_get_int(log.obj[0], "pid", -1));
		dat = it_read_file(dat_path);
		CHECK(dat, "no %s", dat_path);
		for (const char *p = dat; p && (p = strchr(p, ',')); p++)
			if (p > dat && p[-1] >= '0' && p[-1] <= '9' && p[1] >= '0' && p[1] <= '9') {
				CHECK(0, "a decimal comma in %s: ...%.20s", dat_path, p - 1);
				break;
			}
		CHECK(dat && strchr(dat, '.'), "no decimal point in %s", dat_path);
		free(dat);
	}
	it_log_free(&log);
	printf("  de_DE.UTF-8 (%s): -i 0.5 read as 0.5 s, -i 0,5 refused, JSON and .dat keep '.'\n",
	       locpath ? "compiled by localedef" : "installed");
	it_rmdir(dir);
}

/* -------------------------------------------------------------- valgrind */

/* procmon's tracing cannot run under valgrind 3.19 (it does not implement
 * pidfd_open or pidfd_send_signal: ENOSYS); its user-space-only paths can:
 * `procmon plot` on a real log and a usage error, with no leak and no error. */
static void test_plot_and_usage_error_clean_under_valgrind(void)
{
	char dir[64], log_path[128], out_dir[128], line[200];
	const char *trace[] = { it_procmon(), "-q", "-i", "0.05", "-o", log_path, "--",
				it_workload("labels_own"), "one", "two", NULL };
	const char *plot[] = { "valgrind", "-q", "--leak-check=full", "--error-exitcode=99",
			       it_procmon(), "plot", log_path, out_dir, NULL };
	const char *usage[] = { "valgrind", "-q", "--leak-check=full", "--error-exitcode=99",
				it_procmon(), "-i", "nan", "--", "true", NULL };
	struct rel_run r;

	if (access("/usr/bin/valgrind", X_OK))
		SKIP("valgrind is not installed (apt-get install valgrind)");
	if (!it_tmpdir(dir, sizeof(dir)))
		SKIP("no temporary directory");
	snprintf(log_path, sizeof(log_path), "%s/log", dir);
	snprintf(out_dir, sizeof(out_dir), "%s/plots", dir);
	rel_start(&r, trace, NULL, -1);
	rel_finish(&r, TIMEOUT_S, true);
	CHECK(it_exit_code(r.p.status) == 0, "tracing for the log: exit %d", it_exit_code(r.p.status));
	it_proc_free(&r.p);

	rel_start(&r, plot, NULL, -1);
	rel_finish(&r, 120, true);
	printf("  valgrind procmon plot: exit %d in %.1f s\n", it_exit_code(r.p.status), r.p.secs);
	CHECK(it_exit_code(r.p.status) == 0 && !strstr(r.p.err, "=="),
	      "valgrind procmon plot: exit %d, report: %s", it_exit_code(r.p.status), r.p.err);
	it_proc_free(&r.p);

	rel_start(&r, usage, NULL, -1);
	rel_finish(&r, 120, true);
	CHECK(it_exit_code(r.p.status) == 125 && !strstr(r.p.err, "=="),
	      "valgrind procmon -i nan: exit %d, report: %s", it_exit_code(r.p.status),
	      it_first_line(r.p.err, line, sizeof(line)));
	it_proc_free(&r.p);
	it_rmdir(dir);
}

/* ------------------------------------------------------ least privilege */

/* The effective capability set of @pid, from /proc/PID/status. */
static unsigned long long cap_eff(pid_t pid)
{
	char path[64], *text, *p;
	unsigned long long caps = ~0ull;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	text = it_read_file(path);
	p = text ? strstr(text, "CapEff:") : NULL;
	if (p)
		caps = strtoull(p + 7, NULL, 16);
	free(text);
	return caps;
}

/* Once the command runs, procmon keeps only what the rest of a run uses (BPF,
 * perf, ptrace-read of /proc, SIGCONT), not root's whole set: no setuid, chown,
 * module loading, raw I/O or network administration. */
static void test_procmon_drops_capabilities_it_no_longer_needs(void)
{
	char dir[64], log_path[128];
	const char *argv[] = { it_procmon(), "-q", "-i", "0.05", "-o", log_path, "--", "sleep", "1",
			       NULL };
	static const struct { int cap; const char *name; } gone[] = {
		{ 0, "CAP_CHOWN" }, { 6, "CAP_SETGID" }, { 7, "CAP_SETUID" },
		{ 12, "CAP_NET_ADMIN" }, { 16, "CAP_SYS_MODULE" }, { 17, "CAP_SYS_RAWIO" },
	};
	unsigned long long caps = ~0ull;
	struct it_proc p;

	if (!it_tmpdir(dir, sizeof(dir)))
		SKIP("no temporary directory");
	snprintf(log_path, sizeof(log_path), "%s/log", dir);
	it_start(&p, argv, NULL);
	for (int i = 0; i < 200; i++) {	/* until it samples: the command runs */
		char *text = it_read_file(log_path);
		int lines = text ? it_count_lines(text) : 0;

		free(text);
		if (lines >= 2) {
			caps = cap_eff(p.pid);
			break;
		}
		usleep(10000);
	}
	printf("  procmon's effective capabilities while tracing: %#llx\n", caps);
	CHECK(caps != ~0ull, "could not read procmon's capabilities mid-run");
	for (size_t i = 0; i < sizeof(gone) / sizeof(*gone); i++)
		CHECK(!(caps & (1ull << gone[i].cap)), "procmon still holds %s while tracing",
		      gone[i].name);
	CHECK(caps & (1ull << 39), "procmon dropped CAP_BPF, which later probes need");
	it_finish(&p, 10);
	CHECK(it_exit_code(p.status) == 0, "procmon exit %d", it_exit_code(p.status));
	it_proc_free(&p);
	it_rmdir(dir);
}

int main(void)
{
	if (geteuid() != 0)
		check_skip_all("needs root to load BPF programs");
	RUN(test_no_descriptor_leaks_into_the_command);
	RUN(test_command_gets_sigterm_when_procmon_is_killed);
	RUN(test_no_binary_calls_system_or_popen);
	RUN(test_numbers_parse_and_print_the_same_under_a_comma_locale);
	/* Not a skip: there is nothing to test on an ASan build, and make check runs
	 * the plain build's too (a skip as root fails the run). */
	if (getenv("PROCMON_TEST_SANITIZED"))
		printf("not run - test_plot_and_usage_error_clean_under_valgrind: valgrind cannot "
		       "run a build made with ASan; the plain build's run has it\n");
	else
		RUN(test_plot_and_usage_error_clean_under_valgrind);
	RUN(test_procmon_drops_capabilities_it_no_longer_needs);
	return check_summary();
}
