// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests of the label library: procmon_labelf's formatting and its cut at
 * PROCMON_LABELF_MAX bytes on a UTF-8 character boundary. */
#include <errno.h>
#include <stdarg.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "../lib/procmon_label.c"	/* the tests link with user/, not lib/ */

static size_t format(char *buf, const char *fmt, ...)
{
	va_list ap;
	size_t len;

	va_start(ap, fmt);
	len = label_vformat(buf, fmt, ap);
	va_end(ap);
	return len;
}

/* n copies of the string unit, which must fit in out with its NUL */
static char *repeat(char *out, const char *unit, size_t n)
{
	out[0] = '\0';
	while (n--)
		strcat(out, unit);
	return out;
}

static void test_labelf_formats_like_printf(void)
{
	char buf[PROCMON_LABELF_MAX + 1];
	size_t len = format(buf, "step %d of %s: %.2f", 3, "solve", 0.5);

	CHECK(strcmp(buf, "step 3 of solve: 0.50") == 0,
	      "expected \"step 3 of solve: 0.50\", got \"%s\"", buf);
	CHECK(len == strlen(buf), "expected length %zu, got %zu", strlen(buf), len);
}

static void test_labelf_keeps_255_bytes(void)
{
	char buf[PROCMON_LABELF_MAX + 1], in[1024];
	size_t len = format(buf, "%s", repeat(in, "x", 1000));

	CHECK(len == PROCMON_LABELF_MAX, "expected %d bytes, got %zu", PROCMON_LABELF_MAX, len);
	CHECK(strlen(buf) == len, "expected NUL at %zu, got strlen %zu", len, strlen(buf));
	CHECK(strspn(buf, "x") == len, "expected only 'x', got %zu of them", strspn(buf, "x"));
}

static void test_labelf_exactly_255_bytes_untouched(void)
{
	char buf[PROCMON_LABELF_MAX + 1], in[1024];
	size_t len;

	/* 85 three-byte characters: 255 bytes, the last one ends at the limit */
	len = format(buf, "%s", repeat(in, "€", 85));
	CHECK(len == 255, "expected 255 bytes, got %zu", len);
	CHECK(strcmp(buf, in) == 0, "expected the input unchanged, got \"%s\"", buf);
}

/* A character spanning byte 255 is dropped whole, for each UTF-8 length. */
static void test_labelf_cuts_on_character_boundary(void)
{
	static const struct {
		const char *pad, *ch;
		size_t want;
	} cases[] = {
		{ "",   "é",  254 },	/* 127 x 2 bytes = 254, the 128th spans 254..255 */
		{ "",   "€",  255 },	/* 85 x 3 = 255 exactly: nothing to drop */
		{ "x",  "€",  253 },	/* 1 + 84 x 3 = 253, the next spans 253..255 */
		{ "xx", "€",  254 },	/* 2 + 84 x 3 = 254, the next spans 254..256 */
		{ "",   "😀", 252 },	/* 63 x 4 = 252, the next spans 252..255 */
		{ "x",  "😀", 253 },	/* 1 + 63 x 4 = 253 */
		{ "xxx", "😀", 255 },	/* 3 + 63 x 4 = 255 exactly */
	};
	char buf[PROCMON_LABELF_MAX + 1], in[1024];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len;

		strcpy(in, cases[i].pad);
		repeat(in + strlen(in), cases[i].ch, 200);
		len = format(buf, "%s", in);
		CHECK(len == cases[i].want, "case %zu (\"%s\" + \"%s\"...): expected %zu bytes, got %zu",
		      i, cases[i].pad, cases[i].ch, cases[i].want, len);
		CHECK(strncmp(buf, in, len) == 0 && buf[len] == '\0',
		      "case %zu: expected a prefix of the input", i);
	}
}

/* Bytes that are not UTF-8 are kept as they are, not taken for a cut character. */
static void test_labelf_keeps_invalid_utf8(void)
{
	char buf[PROCMON_LABELF_MAX + 1], in[1024];
	size_t len;

	len = format(buf, "%s", repeat(in, "\x80", 300));	/* lone continuation bytes */
	CHECK(len == 255, "expected 255 bytes, got %zu", len);
	len = format(buf, "%s", repeat(in, "\xff", 300));
	CHECK(len == 255, "expected 255 bytes, got %zu", len);
}

/* Without a tracer the hook returns and keeps nothing; NULL is allowed. It reads
 * nothing and writes nothing (the header promises async-signal safety): a text
 * on a page that cannot be read, NULL and a long text all return, in a child so
 * a crash is seen; errno and the caller's text are left as they were. */
static void test_label_is_callable(void)
{
	char big[1024], copy[1024];
	long page = sysconf(_SC_PAGESIZE);
	char *unreadable = mmap(NULL, (size_t)page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int status = -1;
	pid_t pid;

	REQUIRE(unreadable != MAP_FAILED, "mmap: %s", strerror(errno));
	fflush(NULL);
	pid = fork();
	REQUIRE(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		procmon_label(unreadable);
		procmon_label("plain");
		procmon_label(NULL);
		procmon_labelf("%s", repeat(big, "é", 400));
		procmon_labelf("%d", 42);
		_exit(0);
	}
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "the calls did not return: wait status %#x", (unsigned)status);
	munmap(unreadable, (size_t)page);

	repeat(big, "é", 400);
	memcpy(copy, big, sizeof(big));
	errno = EXDEV;
	procmon_label(big);
	CHECK(errno == EXDEV, "errno changed to %d", errno);
	CHECK(memcmp(big, copy, sizeof(big)) == 0, "the label text was changed");
}

int main(void)
{
	RUN(test_labelf_formats_like_printf);
	RUN(test_labelf_keeps_255_bytes);
	RUN(test_labelf_exactly_255_bytes_untouched);
	RUN(test_labelf_cuts_on_character_boundary);
	RUN(test_labelf_keeps_invalid_utf8);
	RUN(test_label_is_callable);
	return check_summary();
}
