// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Integration tests of what a sudo rule for procmon grants (the invoking user's
 * own files and processes only), of root's procmon in /tmp, and of the
 * file-capability install: run as root, with a real useradd user, SUDO_UID
 * simulated and through a real sudo rule for procmon alone. */
#include <pwd.h>

#include "itest.h"

#define TIMEOUT_S 30.0
#define TEST_USER "procmon-it"
#define OTHER_USER "procmon-it2"
#define CAPS_GROUP "procmon-it-caps"
#define SUDOERS "/etc/sudoers.d/procmon-test"

static uid_t user_uid, other_uid;
static gid_t user_gid, caps_gid;
static char public_dir[64];	/* 0755: procmon and the workloads, reachable by the user */
static char public_procmon[128];

/* Run @argv as root, quietly; its exit code. */
static int run_quiet(const char *const *argv)
{
	struct it_proc p;
	int code;

	it_run(&p, argv, NULL, TIMEOUT_S);
	code = it_exit_code(p.status);
	it_proc_free(&p);
	return code;
}

/* The test users and group, made if missing (idempotent). */
static bool make_users(void)
{
	const char *u1[] = { "useradd", "-m", "-s", "/bin/sh", TEST_USER, NULL };
	const char *u2[] = { "useradd", "-M", "-s", "/bin/sh", OTHER_USER, NULL };
	const char *g[] = { "groupadd", CAPS_GROUP, NULL };
	struct passwd *pw;
	struct group *gr;

	if (!getpwnam(TEST_USER))
		run_quiet(u1);
	if (!getpwnam(OTHER_USER))
		run_quiet(u2);
	if (!getgrnam(CAPS_GROUP))
		run_quiet(g);
	pw = getpwnam(TEST_USER);
	if (!pw)
		return false;
	user_uid = pw->pw_uid;
	user_gid = pw->pw_gid;
	pw = getpwnam(OTHER_USER);
	gr = getgrnam(CAPS_GROUP);
	if (!pw || !gr)
		return false;
	other_uid = pw->pw_uid;
	caps_gid = gr->gr_gid;
	return true;
}

static void remove_sudoers(void)
{
	unlink(SUDOERS);
}

/* A copy of procmon in a directory anyone can enter (the build tree may not be). */
static bool make_public_procmon(void)
{
	const char *cp[] = { "cp", it_procmon(), public_procmon, NULL };

	if (!it_tmpdir(public_dir, sizeof(public_dir)))
		return false;
	chmod(public_dir, 0755);
	snprintf(public_procmon, sizeof(public_procmon), "%s/procmon", public_dir);
	return run_quiet(cp) == 0 && chmod(public_procmon, 0755) == 0;
}

/* A sudo rule for procmon alone, for TEST_USER (removed at exit). */
static bool write_sudoers(void)
{
	const char *check[] = { "visudo", "-cf", SUDOERS, NULL };
	FILE *f = fopen(SUDOERS, "we");

	if (!f)
		return false;
	atexit(remove_sudoers);
	fprintf(f, "%s ALL=(root) NOPASSWD: %s\n", TEST_USER, public_procmon);
	fclose(f);
	chmod(SUDOERS, 0440);
	return run_quiet(check) == 0;
}

/* procmon @args as TEST_USER through `sudo -n` (the rule above), or as root with
 * SUDO_UID/SUDO_GID of TEST_USER when !@real_sudo. Exit code; stderr in @err. */
static int procmon_for_user(bool real_sudo, const char *const *args, char **err)
{
	char uid_env[32], gid_env[32];
	const char *env[] = { uid_env, gid_env, "SUDO_USER=" TEST_USER, NULL };
	const char *argv[48];
	struct it_spawn how = { .cwd = "/" };
	struct it_proc p;
	int n = 0, code;

	snprintf(uid_env, sizeof(uid_env), "SUDO_UID=%u", (unsigned)user_uid);
	snprintf(gid_env, sizeof(gid_env), "SUDO_GID=%u", (unsigned)user_gid);
	if (real_sudo) {
		argv[n++] = "sudo";
		argv[n++] = "-n";
		how.as_user = true;
		how.uid = user_uid;
		how.gid = user_gid;
	} else {
		how.env_set = env;
	}
	argv[n++] = public_procmon;
	for (int i = 0; args[i] && n < 47; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	it_run(&p, argv, &how, TIMEOUT_S);
	code = it_exit_code(p.status);
	*err = p.err;
	p.err = NULL;
	it_proc_free(&p);
	return code;
}

static const char *how_name(bool real_sudo)
{
	return real_sudo ? "sudo" : "SUDO_UID";
}

/* S1: `sudo procmon -q -o /etc/shadow -- true` leaves /etc/shadow byte for byte;
 * a symlink in the user's home to a root-only file writes nothing there; no file
 * appears in /etc/profile.d. */
static void check_log_opened_as_user(bool real_sudo)
{
	char victim[128], link_path[PATH_MAX], *before, *after, *err;
	const char *shadow[] = { "-q", "-o", "/etc/shadow", "--", "true", NULL };
	const char *via_link[] = { "-q", "-o", link_path, "--", "true", NULL };
	const char *profile[] = { "-q", "-o", "/etc/profile.d/zz-procmon-test.sh", "--", "true",
				  NULL };
	struct passwd *pw = getpwnam(TEST_USER);
	int code;
	FILE *f;

	before = it_read_file("/etc/shadow");	/* just before: the system may change it */
	code = procmon_for_user(real_sudo, shadow, &err);
	after = it_read_file("/etc/shadow");
	CHECK(code == 125 && strstr(err, "procmon: cannot open the log '/etc/shadow'"),
	      "%s -o /etc/shadow: exit %d: %s", how_name(real_sudo), code, err);
	CHECK(before && after && !strcmp(before, after), "%s: /etc/shadow changed",
	      how_name(real_sudo));
	free(before);
	free(after);
	free(err);

	snprintf(victim, sizeof(victim), "%s/victim", public_dir);
	f = fopen(victim, "we");
	REQUIRE(f && pw, "cannot make the root-only file");
	fputs("root's secret\n", f);
	fclose(f);
	chmod(victim, 0600);
	snprintf(link_path, sizeof(link_path), "%s/procmon-lnk", pw->pw_dir);
	unlink(link_path);
	CHECK(symlink(victim, link_path) == 0 && lchown(link_path, user_uid, user_gid) == 0,
	      "symlink in the user's home: %s", strerror(errno));
	code = procmon_for_user(real_sudo, via_link, &err);
	after = it_read_file(victim);
	CHECK(code == 125, "%s -o ~/lnk -> root-only file: exit %d: %s", how_name(real_sudo), code,
	      err);
	CHECK(after && !strcmp(after, "root's secret\n"), "%s: the root-only file behind the link "
	      "changed: %s", how_name(real_sudo), after ? after : "(gone)");
	free(after);
	free(err);
	unlink(link_path);

	unlink("/etc/profile.d/zz-procmon-test.sh");
	code = procmon_for_user(real_sudo, profile, &err);
	CHECK(code == 125 && access("/etc/profile.d/zz-procmon-test.sh", F_OK) != 0,
	      "%s -o /etc/profile.d/zz-procmon-test.sh: exit %d, file %s: %s", how_name(real_sudo),
	      code, access("/etc/profile.d/zz-procmon-test.sh", F_OK) ? "absent" : "created", err);
	unlink("/etc/profile.d/zz-procmon-test.sh");
	free(err);
}

static void test_simulated_sudo_log_is_opened_as_the_user(void)
{
	check_log_opened_as_user(false);
}

static void test_real_sudo_rule_for_procmon_grants_no_root_file(void)
{
	check_log_opened_as_user(true);
}

/* S3: -u root under sudo is refused (a rule for procmon is not a rule for root);
 * the command runs as the user. */
static void test_sudo_cannot_run_the_command_as_root(void)
{
	const char *as_root[] = { "-q", "-o", "/dev/null", "-u", "root", "--", "id", "-u", NULL };
	const char *plain[] = { "-q", "-o", "/dev/null", "--", "/bin/sh", "-c",
				"test \"$(id -u)\" != 0", NULL };
	char *err;
	int code;

	for (int real = 0; real < 2; real++) {
		code = procmon_for_user(real, as_root, &err);
		CHECK(code == 125 && strstr(err, "procmon: cannot run as 'root': "),
		      "%s -u root: exit %d: %s", how_name(real), code, err);
		free(err);
		code = procmon_for_user(real, plain, &err);
		CHECK(code == 0, "%s: the command ran as root (exit %d): %s", how_name(real), code,
		      err);
		free(err);
	}
}

/* -p under sudo: only what the user could ptrace. PID 1 is refused with the
 * reason; a process of the user's own is traced. */
static void test_sudo_attaches_only_to_the_users_processes(void)
{
	const char *sl[] = { "sleep", "3", NULL };
	char pid_text[16];
	const char *init[] = { "-q", "-o", "/dev/null", "-p", "1", NULL };
	const char *own[] = { "-q", "-d", "0.3", "-o", "/dev/null", "-p", pid_text, NULL };
	struct it_spawn as_user = { .as_user = true, .uid = user_uid, .gid = user_gid };
	struct it_proc s;
	char *err;
	int code;

	code = procmon_for_user(false, init, &err);
	CHECK(code == 125 && !strcmp(err, "procmon: cannot attach to PID 1: permission denied "
				     "(you may trace only your own processes)\n"),
	      "SUDO_UID -p 1: exit %d: %s", code, err);
	free(err);
	REQUIRE(it_start(&s, sl, &as_user) == 0, "cannot start the user's sleep");
	usleep(100000);
	snprintf(pid_text, sizeof(pid_text), "%d", (int)s.pid);
	for (int real = 0; real < 2; real++) {
		code = procmon_for_user(real, own, &err);
		CHECK(code == 0, "%s -p (the user's own sleep): exit %d: %s", how_name(real), code,
		      err);
		free(err);
	}
	code = procmon_for_user(true, init, &err);
	CHECK(code == 125 && strstr(err, "permission denied"), "sudo -p 1: exit %d: %s", code, err);
	free(err);
	kill(s.pid, SIGKILL);
	it_finish(&s, TIMEOUT_S);
	it_proc_free(&s);
}

/* S4: a file another user planted in a sticky world-writable directory, mode
 * 666: root's procmon (no sudo) does not write into it. */
static void test_root_does_not_write_a_file_planted_in_tmp(void)
{
	char dir[64], planted[128], *after;
	const char *args[] = { "-q", "-o", planted, "--", "true", NULL };
	const char *argv[16];
	struct it_proc p;
	FILE *f;

	if (!it_tmpdir(dir, sizeof(dir)))
		SKIP("no temporary directory");
	chmod(dir, 01777);
	snprintf(planted, sizeof(planted), "%s/run.log", dir);
	f = fopen(planted, "we");
	REQUIRE_GOTO(f, out, "cannot plant the file");
	fputs("planted\n", f);
	fclose(f);
	CHECK(chown(planted, other_uid, other_uid) == 0 && chmod(planted, 0666) == 0,
	      "chown: %s", strerror(errno));
	it_run(&p, it_procmon_argv(argv, 16, args), NULL, TIMEOUT_S);
	after = it_read_file(planted);
	CHECK(it_exit_code(p.status) == 125, "root -o planted file: exit %d: %s",
	      it_exit_code(p.status), p.err);
	CHECK(after && !strcmp(after, "planted\n"), "the planted file was written: %s",
	      after ? after : "(gone)");
	free(after);
	it_proc_free(&p);
out:
	it_rmdir(dir);
}

/* The file-capability install, as `make install-caps GROUP=...` makes it: a
 * member traces their own processes as themselves, is refused -p 1; a
 * non-member cannot run it. Labels need uprobes, which the kernel gives to
 * CAP_SYS_ADMIN only: one warning says so, the trace goes on. */
static void test_caps_install_member_traces_own_processes_only(void)
{
	char dir[64], bin[128], out_dir[128], log_path[192], pid_text[16], labels[PATH_MAX];
	const char *cp[] = { "cp", it_procmon(), bin, NULL };
	const char *setcap[] = { "setcap", "cap_bpf,cap_perfmon,cap_dac_read_search+ep", bin, NULL };
	const char *traced[] = { bin, "-q", "-o", log_path, "--", labels, "hello", NULL };
	const char *init[] = { bin, "-q", "-o", "/dev/null", "-p", "1", NULL };
	const char *own[] = { bin, "-q", "-d", "0.3", "-o", "/dev/null", "-p", pid_text, NULL };
	const char *sl[] = { "sleep", "3", NULL };
	struct it_spawn member = { .as_user = true, .uid = user_uid, .gid = caps_gid };
	struct it_spawn outsider = { .as_user = true, .uid = user_uid, .gid = user_gid };
	struct it_log log = { 0 };
	struct it_proc p, s;

	if (!it_tmpdir(dir, sizeof(dir)))
		SKIP("no temporary directory");
	chmod(dir, 0755);
	snprintf(bin, sizeof(bin), "%s/procmon", dir);
	snprintf(out_dir, sizeof(out_dir), "%s/out", dir);
	snprintf(log_path, sizeof(log_path), "%s/log", out_dir);
	snprintf(labels, sizeof(labels), "%s", it_public_workload("labels_own"));
	REQUIRE_GOTO(run_quiet(cp) == 0 && chown(bin, 0, caps_gid) == 0 && chmod(bin, 0750) == 0,
		     out, "cannot copy procmon");
	REQUIRE_GOTO(run_quiet(setcap) == 0, out, "setcap failed");
	REQUIRE_GOTO(mkdir(out_dir, 0755) == 0 && chown(out_dir, user_uid, user_gid) == 0, out,
		     "mkdir: %s", strerror(errno));

	it_run(&p, traced, &member, TIMEOUT_S);
	CHECK(it_exit_code(p.status) == 0, "member: exit %d: %s", it_exit_code(p.status), p.err);
	CHECK(!strcmp(p.err, "") || (strstr(p.err, "uprobes need CAP_SYS_ADMIN") &&
				     it_count_lines(p.err) == 1),
	      "member: want no stderr, or one line on the label uprobe: %s", p.err);
	it_proc_free(&p);
	CHECK(it_log_load(log_path, &log) == 0 && it_log_count_mark(&log, IT_MARK_START) == 1 &&
	      it_log_count_mark(&log, IT_MARK_STOP) == 1, "member: no whole log of its command");
	it_log_free(&log);

	it_run(&p, init, &member, TIMEOUT_S);
	CHECK(it_exit_code(p.status) == 125 && strstr(p.err, "permission denied"),
	      "member -p 1: exit %d: %s", it_exit_code(p.status), p.err);
	it_proc_free(&p);

	REQUIRE_GOTO(it_start(&s, sl, &outsider) == 0, out, "cannot start the user's sleep");
	usleep(100000);
	snprintf(pid_text, sizeof(pid_text), "%d", (int)s.pid);
	it_run(&p, own, &member, TIMEOUT_S);
	CHECK(it_exit_code(p.status) == 0, "member -p (own sleep): exit %d: %s",
	      it_exit_code(p.status), p.err);
	it_proc_free(&p);
	kill(s.pid, SIGKILL);
	it_finish(&s, TIMEOUT_S);
	it_proc_free(&s);

	it_run(&p, init, &outsider, TIMEOUT_S);
	CHECK(it_exit_code(p.status) != 0 && it_exit_code(p.status) != 125,
	      "a non-member could run it: exit %d", it_exit_code(p.status));
	it_proc_free(&p);
out:
	it_rmdir(dir);
}

int main(void)
{
	if (geteuid() != 0)
		check_skip_all("needs root (useradd, sudoers, setcap)");
	else if (!make_users() || !make_public_procmon())
		check_skip_all("cannot make the test users or a public copy of procmon");
	else if (!write_sudoers())
		check_skip_all("cannot write " SUDOERS);
	RUN(test_simulated_sudo_log_is_opened_as_the_user);
	RUN(test_real_sudo_rule_for_procmon_grants_no_root_file);
	RUN(test_sudo_cannot_run_the_command_as_root);
	RUN(test_sudo_attaches_only_to_the_users_processes);
	RUN(test_root_does_not_write_a_file_planted_in_tmp);
	RUN(test_caps_install_member_traces_own_processes_only);
	if (public_dir[0])
		it_rmdir(public_dir);
	remove_sudoers();
	return check_summary();
}
