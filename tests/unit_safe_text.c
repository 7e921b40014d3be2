// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests of common/safe_text.c: no byte a terminal acts on survives the
 * escape, columns are counted in characters, JSON stays the same JSON. */
#include <stdlib.h>

#include "check.h"
#include "safe_text.h"

/* No C0, DEL or C1 byte sequence and no bidi override in @s. */
static bool terminal_safe(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return false;
		if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			return false;
		if (p[0] == 0xe2 && p[1] == 0x80 && p[2] >= 0xaa && p[2] <= 0xae)
			return false;
	}
	return true;
}

/* A char array as a pointer the checks can test for NULL. */
static const char *text_of(const char *s)
{
	return s;
}

static void test_controls_become_escapes(void)
{
	char out[256];
	const char in[] = "a\x1b]0;T\x07\r\n\tb\x7f\xc2\x85\xe2\x80\xae" "c\xff";

	safe_text_escape(in, sizeof(in) - 1, out, sizeof(out));
	CHECK_STR(text_of(out), "a\\x1b]0;T\\x07\\r\\n\\tb\\x7f\\u0085\\u202ec\\xff");
	CHECK(terminal_safe(out), "unsafe bytes left in \"%s\"", out);
}

static void test_text_kept_as_is(void)
{
	char out[64];
	const char in[] = "déjà vu ✓ 𝄞";

	safe_text_escape(in, sizeof(in) - 1, out, sizeof(out));
	CHECK_STR(text_of(out), in);
}

static void test_escape_cuts_between_characters(void)
{
	char out[6];

	/* "ab" + "é" (2 bytes) fits in 5 bytes; "\x1b" as \x1b (4) does not. */
	safe_text_escape("abé\x1b", 5, out, sizeof(out));
	CHECK_STR(text_of(out), "abé");
	safe_text_escape("abcdé", 6, out, sizeof(out));
	CHECK_STR(text_of(out), "abcd");
}

static void test_column_counts_characters(void)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	safe_text_column(f, "ééé", 5, false);
	fputc('|', f);
	safe_text_column(f, "éééééééé", 5, false);
	fputc('|', f);
	safe_text_column(f, "x\n", 4, true);
	fclose(f);
	CHECK_STR(buf, "ééé  |éééé…| x\\n");
	free(buf);
}

/* A cut never leaves part of an escape: "ab\u00…" would read as other text. */
static void test_column_cuts_between_whole_escapes(void)
{
	size_t chars = 0;
	char *fit = safe_text_fit("ab\xc2\x85" "cdef", 6, &chars);

	CHECK_STR(fit, "ab…");
	CHECK(chars == 3, "width: want 3, got %zu", chars);
	free(fit);
	fit = safe_text_fit("ab\xc2\x85" "c", 9, &chars);
	CHECK_STR(fit, "ab\\u0085c");
	CHECK(chars == 9, "width: want 9, got %zu", chars);
	free(fit);
}

/* The worst case of the JSON escape: every byte a DEL, each six bytes out. */
static void test_json_room_for_all_del(void)
{
	char in[64], out[6 * sizeof(in) + 1];

	memset(in, 0x7f, sizeof(in));
	CHECK(safe_text_json(in, sizeof(in), out) == 6 * sizeof(in), "length of %zu DELs escaped",
	      sizeof(in));
}

static void test_json_escapes_del_c1_bidi_only(void)
{
	char out[128];
	const char in[] = "{\"label\": \"a\x7f\xc2\x9b" "b\xe2\x80\xae\xc3\xa9\xff\"}";

	safe_text_json(in, sizeof(in) - 1, out);
	CHECK_STR(text_of(out), "{\"label\": \"a\\u007f\\u009bb\\u202e\xc3\xa9\xff\"}");
}

int main(void)
{
	RUN(test_controls_become_escapes);
	RUN(test_text_kept_as_is);
	RUN(test_escape_cuts_between_characters);
	RUN(test_column_counts_characters);
	RUN(test_column_cuts_between_whole_escapes);
	RUN(test_json_room_for_all_del);
	RUN(test_json_escapes_del_c1_bidi_only);
	return check_summary();
}
