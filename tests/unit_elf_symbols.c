// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests of elf_defines_symbol() on the label workloads, libc and non-ELF
 * files, and of proc_mapped_objects() on this process and on dead children. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "elf_symbols.h"
#include "proc_maps.h"

/* build/tests/unit_elf_symbols -> build/<rel>: workloads and the library are
 * found beside this binary whatever OUTPUT and the working directory are. */
static const char *build_path(const char *rel)
{
	static char path[PATH_MAX];
	char exe[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (len < 0)
		return rel;
	exe[len] = '\0';
	slash = strrchr(exe, '/');	/* .../build/tests/unit_elf_symbols */
	*slash = '\0';
	slash = strrchr(exe, '/');	/* .../build/tests */
	*slash = '\0';
	if (snprintf(path, sizeof(path), "%s/%s", exe, rel) >= (int)sizeof(path))
		return rel;
	return path;
}

/* The path this process maps libc from, or NULL. */
static char *libc_path(void)
{
	char **paths, *libc = NULL;
	size_t n;

	if (proc_mapped_objects(getpid(), &paths, &n))
		return NULL;
	for (size_t i = 0; i < n && !libc; i++)
		if (strstr(paths[i], "/libc.so") || strstr(paths[i], "/libc-"))
			libc = strdup(paths[i]);
	proc_mapped_objects_free(paths, n);
	return libc;
}

#define CHECK_DEFINES(rel, name, want)						\
	do {									\
		const char *p_ = build_path(rel);				\
		int got_ = elf_defines_symbol(p_, (name));			\
		CHECK(got_ == (want), "%s in %s: expected %d, got %d (%s)", (name), p_, \
		      (want), got_, got_ < 0 ? strerror(-got_) : "no error");	\
	} while (0)

static void test_workloads_define_procmon_label(void)
{
	CHECK_DEFINES("tests/workloads/labels_own", "procmon_label", 1);
	CHECK_DEFINES("tests/workloads/labels_nopie", "procmon_label", 1);
	CHECK_DEFINES("tests/workloads/labels_static", "procmon_label", 1);
	CHECK_DEFINES("lib/libprocmon_label.so.0", "procmon_label", 1);
	CHECK_DEFINES("lib/libprocmon_label.so.0", "procmon_labelf", 1);
}

/* labels_shared and labels_dlopen only call it: an undefined reference is no definition. */
static void test_references_are_not_definitions(void)
{
	CHECK_DEFINES("tests/workloads/labels_shared", "procmon_label", 0);
	CHECK_DEFINES("tests/workloads/labels_dlopen", "procmon_label", 0);
	CHECK_DEFINES("tests/workloads/labels_own", "getenv", 0);
	CHECK_DEFINES("tests/workloads/labels_own", "main", 1);
	CHECK_DEFINES("tests/workloads/labels_own", "procmon_labe", 0);
	CHECK_DEFINES("tests/workloads/labels_own", "procmon_label_", 0);
}

/* Without .symtab only .dynsym is left, which has the hook only under -rdynamic. */
static void test_stripped_binaries(void)
{
	CHECK_DEFINES("tests/workloads/labels_stripped", "procmon_label", 0);
	CHECK_DEFINES("tests/workloads/labels_rdynamic", "procmon_label", 1);
}

static void test_system_binaries(void)
{
	char *libc = libc_path();
	int got;

	got = elf_defines_symbol("/bin/true", "procmon_label");
	CHECK(got == 0, "procmon_label in /bin/true: expected 0, got %d", got);
	REQUIRE(libc, "expected libc among this process's mappings");
	got = elf_defines_symbol(libc, "malloc");
	CHECK(got == 1, "malloc in %s: expected 1, got %d", libc, got);
	/* strlen is an STT_GNU_IFUNC in glibc on x86-64 */
	got = elf_defines_symbol(libc, "strlen");
	CHECK(got == ELF_SYMBOL_IFUNC, "strlen in %s: expected %d (IFUNC), got %d", libc,
	      ELF_SYMBOL_IFUNC, got);
	got = elf_defines_symbol(libc, "procmon_label");
	CHECK(got == 0, "procmon_label in %s: expected 0, got %d", libc, got);
	free(libc);
}

/* Write @len bytes of @text to a new temporary file; its path in @path. */
static int temp_file(char *path, const char *text, size_t len)
{
	int fd;

	strcpy(path, "/tmp/procmon-unit-elf-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	if (write(fd, text, len) != (ssize_t)len) {
		close(fd);
		unlink(path);
		return -1;
	}
	close(fd);
	return 0;
}

static void test_errors(void)
{
	static const char *const texts[] = { "#!/bin/sh\necho not elf\n", "", "\177ELF" };
	char path[64];
	int got;

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		REQUIRE(!temp_file(path, texts[i], strlen(texts[i])),
			"cannot write a temporary file: %s", strerror(errno));
		got = elf_defines_symbol(path, "procmon_label");
		CHECK(got == -ENOEXEC, "text %zu: expected -ENOEXEC (%d), got %d", i, -ENOEXEC, got);
		unlink(path);
	}
	got = elf_defines_symbol(build_path("lib/libprocmon_label.a"), "procmon_label");
	CHECK(got == -ENOEXEC, "an ar archive: expected -ENOEXEC (%d), got %d", -ENOEXEC, got);
	got = elf_defines_symbol("/nonexistent/procmon", "procmon_label");
	CHECK(got == -ENOENT, "a missing file: expected -ENOENT (%d), got %d", -ENOENT, got);
	got = elf_defines_symbol("/tmp", "procmon_label");
	CHECK(got == -EISDIR, "a directory: expected -EISDIR (%d), got %d", -EISDIR, got);
}

static void test_parse_maps_lines(void)
{
	static const struct {
		const char *line, *want;
	} cases[] = {
		{ "55d0c8a00000-55d0c8a05000 r-xp 00002000 fd:01 1234 /usr/bin/cat\n", "/usr/bin/cat" },
		{ "7f00-7f10 r-xp 00000000 00:1f 99 /opt/my app/lib x.so\n", "/opt/my app/lib x.so" },
		{ "7f00-7f10 --xp 00000000 00:1f 99 /lib/exec-only.so", "/lib/exec-only.so" },
		{ "55d0c8a00000-55d0c8a05000 r--p 00000000 fd:01 1234 /usr/bin/cat\n", NULL },
		{ "7f00-7f10 rw-p 00000000 00:00 0 \n", NULL },
		{ "7ffd000-7ffe000 r-xp 00000000 00:00 0                  [vdso]\n", NULL },
		{ "7f00-7f10 r-xp 00000000 00:01 77 /memfd:jit (deleted)\n", NULL },
		{ "7f00-7f10 r-xp 00000000 fd:01 77 /usr/lib/old.so (deleted)\n", NULL },
		{ "garbage\n", NULL },
		{ "", NULL },
	};
	char line[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got;

		snprintf(line, sizeof(line), "%s", cases[i].line);
		got = proc_maps_exec_path(line);
		if (cases[i].want)
			CHECK(got && strcmp(got, cases[i].want) == 0,
			      "line %zu: expected \"%s\", got \"%s\"", i, cases[i].want,
			      got ? got : "(null)");
		else
			CHECK(!got, "line %zu: expected no path, got \"%s\"", i, got);
	}
}

static void test_own_mapped_objects(void)
{
	char exe[PATH_MAX], **paths;
	size_t n;
	int err, has_exe = 0, has_libc = 0, dups = 0;
	ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	CHECK(len > 0, "readlink /proc/self/exe: %s", strerror(errno));
	exe[len > 0 ? len : 0] = '\0';
	err = proc_mapped_objects(getpid(), &paths, &n);
	REQUIRE(err == 0, "expected 0, got %d (%s)", err, strerror(-err));
	for (size_t i = 0; i < n; i++) {
		has_exe |= strcmp(paths[i], exe) == 0;
		has_libc |= strstr(paths[i], "/libc.so") || strstr(paths[i], "/libc-");
		CHECK(paths[i][0] == '/', "expected absolute paths, got \"%s\"", paths[i]);
		for (size_t j = 0; j < i; j++)
			dups += strcmp(paths[i], paths[j]) == 0;
	}
	CHECK(has_exe, "expected %s among %zu objects", exe, n);
	CHECK(has_libc, "expected libc among %zu objects", n);
	CHECK(dups == 0, "expected distinct paths, got %d repeated", dups);
	proc_mapped_objects_free(paths, n);
}

/* A zombie has no address space left and a reaped child no /proc entry: both gone. */
static void test_gone_process_is_esrch(void)
{
	char **paths;
	size_t n;
	pid_t child = fork();
	int err;

	if (child == 0)
		_exit(0);
	REQUIRE(child > 0, "fork: %s", strerror(errno));
	usleep(50 * 1000);	/* let it exit; unreaped, it is a zombie */
	err = proc_mapped_objects(child, &paths, &n);
	CHECK(err == -ESRCH, "zombie: expected -ESRCH (%d), got %d", -ESRCH, err);
	waitpid(child, NULL, 0);
	err = proc_mapped_objects(child, &paths, &n);
	CHECK(err == -ESRCH, "reaped: expected -ESRCH (%d), got %d", -ESRCH, err);
	err = proc_mapped_objects(0, &paths, &n);
	CHECK(err == -EINVAL, "pid 0: expected -EINVAL (%d), got %d", -EINVAL, err);
}

int main(void)
{
	RUN(test_workloads_define_procmon_label);
	RUN(test_references_are_not_definitions);
	RUN(test_stripped_binaries);
	RUN(test_system_binaries);
	RUN(test_errors);
	RUN(test_parse_maps_lines);
	RUN(test_own_mapped_objects);
	RUN(test_gone_process_is_esrch);
	return check_summary();
}
