// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests of user/utf8.c: utf8_repair against RFC 3629's table of well-formed
 * sequences, utf8_cut against the character boundaries of known strings. */
#include <stdbool.h>

#include "check.h"
#include "utf8.h"

#define FFFD "\xef\xbf\xbd"

/* @s printable for a message: non-ASCII and controls as \xNN. */
static const char *hex(const char *s, size_t len, char *buf, size_t size)
{
	size_t o = 0;

	for (size_t i = 0; i < len && o + 5 < size; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c >= 0x7f || c == '\\')
			o += (size_t)snprintf(buf + o, size - o, "\\x%02x", c);
		else
			buf[o++] = (char)c;
	}
	buf[o] = '\0';
	return buf;
}

/* utf8_repair(@in, @len) must give exactly @want (NUL-terminated, its length
 * returned) and write nothing past 3 * len + 1 bytes. */
static void check_repair(const char *in, size_t len, const char *want, const char *what)
{
	char out[3 * 64 + 1 + 16], b1[512], b2[512], b3[512];
	size_t got, limit = 3 * len + 1;

	memset(out, 0x5a, sizeof(out));
	got = utf8_repair(in, len, out);
	CHECK(got == strlen(want) && memcmp(out, want, strlen(want) + 1) == 0,
	      "%s: repair of \"%s\": expected \"%s\" (%zu bytes), got \"%s\" (%zu bytes)", what,
	      hex(in, len, b1, sizeof(b1)), hex(want, strlen(want), b2, sizeof(b2)), strlen(want),
	      hex(out, got < 3 * 64 ? got : 0, b3, sizeof(b3)), got);
	for (size_t i = limit; i < sizeof(out); i++)
		if (out[i] != 0x5a) {
			CHECK(0, "%s: wrote byte %zu, past the 3 * len + 1 = %zu allowed", what, i, limit);
			break;
		}
}

#define REPAIR(in, want, what) check_repair((in), sizeof(in) - 1, (want), (what))

static void test_repair_keeps_valid_one_to_four_byte_sequences(void)
{
	REPAIR("plain ASCII \x01\x1f\x7f", "plain ASCII \x01\x1f\x7f", "1 byte");
	REPAIR("\xc2\x80 \xc3\xa9 \xdf\xbf", "\xc2\x80 \xc3\xa9 \xdf\xbf", "2 bytes: U+0080 U+00E9 U+07FF");
	REPAIR("\xe0\xa0\x80 \xe2\x82\xac \xed\x9f\xbf \xee\x80\x80 \xef\xbf\xbf",
	       "\xe0\xa0\x80 \xe2\x82\xac \xed\x9f\xbf \xee\x80\x80 \xef\xbf\xbf",
	       "3 bytes: U+0800 U+20AC U+D7FF U+E000 U+FFFF");
	REPAIR("\xf0\x90\x80\x80 \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf",
	       "\xf0\x90\x80\x80 \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf", "4 bytes: U+10000 U+1F600 U+10FFFF");
	REPAIR("", "", "empty");
}

/* Each byte of an ill-formed sequence becomes one U+FFFD (utf8.h's contract). */
static void test_repair_replaces_overlongs_byte_by_byte(void)
{
	REPAIR("\xc0\x80", FFFD FFFD, "overlong NUL c0 80");
	REPAIR("\xc1\xbf", FFFD FFFD, "overlong U+007F c1 bf");
	REPAIR("\xe0\x80\x80", FFFD FFFD FFFD, "overlong U+0000 in 3 bytes");
	REPAIR("\xe0\x9f\xbf", FFFD FFFD FFFD, "overlong U+07FF in 3 bytes");
	REPAIR("\xf0\x80\x80\x80", FFFD FFFD FFFD FFFD, "overlong U+0000 in 4 bytes");
	REPAIR("\xf0\x8f\xbf\xbf", FFFD FFFD FFFD FFFD, "overlong U+FFFF in 4 bytes");
	REPAIR("a\xc0\xafz", "a" FFFD FFFD "z", "overlong '/' between ASCII");
}

static void test_repair_replaces_surrogates(void)
{
	REPAIR("\xed\xa0\x80", FFFD FFFD FFFD, "U+D800");
	REPAIR("\xed\xbf\xbf", FFFD FFFD FFFD, "U+DFFF");
	REPAIR("\xed\xa0\xbd\xed\xb8\x80", FFFD FFFD FFFD FFFD FFFD FFFD, "CESU-8 pair for U+1F600");
}

static void test_repair_replaces_code_points_past_10ffff(void)
{
	REPAIR("\xf4\x90\x80\x80", FFFD FFFD FFFD FFFD, "U+110000");
	REPAIR("\xf5\x80\x80\x80", FFFD FFFD FFFD FFFD, "f5 lead");
	REPAIR("\xf7\xbf\xbf\xbf", FFFD FFFD FFFD FFFD, "U+1FFFFF");
	REPAIR("\xf8\x88\x80\x80\x80", FFFD FFFD FFFD FFFD FFFD, "5-byte form");
	REPAIR("\xfe\xff", FFFD FFFD, "fe ff");
}

static void test_repair_replaces_truncated_and_stray_bytes(void)
{
	REPAIR("\xc3", FFFD, "2-byte lead at the end");
	REPAIR("\xe2\x82", FFFD FFFD, "3-byte sequence cut after 2");
	REPAIR("\xf0\x9f\x98", FFFD FFFD FFFD, "4-byte sequence cut after 3");
	REPAIR("\xe2\x82x", FFFD FFFD "x", "3-byte sequence interrupted by ASCII");
	REPAIR("\xc3\xc3\xa9", FFFD "\xc3\xa9", "lead then a whole sequence");
	REPAIR("\x80", FFFD, "lone continuation");
	REPAIR("a\x80\xbf" "b", "a" FFFD FFFD "b", "two stray continuations");
	REPAIR("\xf0\x9f\x98\x80\x80", "\xf0\x9f\x98\x80" FFFD, "one continuation too many");
}

/* @len bounds the input: a sequence that goes on past it is cut short. */
static void test_repair_reads_no_further_than_len(void)
{
	check_repair("\xc3\xa9", 1, FFFD, "é with len 1");
	check_repair("ab\xe2\x82\xac", 4, "ab" FFFD FFFD, "€ with its last byte outside len");
	check_repair("abc", 2, "ab", "ASCII with len 2");
}

/* Every byte invalid: the worst case, exactly 3 * len bytes. */
static void test_repair_worst_case_fits_3_len(void)
{
	char in[64], want[3 * 64 + 1] = "";

	memset(in, 0xff, sizeof(in));
	for (size_t i = 0; i < sizeof(in); i++)
		strcat(want, FFFD);
	check_repair(in, sizeof(in), want, "64 x ff");
}

/* utf8_cut(@s, @len) == @want. */
static void check_cut(const char *s, size_t len, size_t want, const char *what)
{
	char buf[256];
	size_t got = utf8_cut(s, len);

	CHECK(got == want, "%s: cut of \"%s\" at %zu: expected %zu, got %zu", what,
	      hex(s, len, buf, sizeof(buf)), len, want, got);
}

/* Built from characters of known lengths: the boundaries are their running sums.
 * At a boundary the cut keeps everything; inside a character it drops that
 * character, and only it. */
static void test_cut_lands_on_character_boundaries(void)
{
	static const char *const chars[] = { "a", "é", "€", "😀", "b", "😀", "😀", "ß", "中", "z", "é" };
	char s[128] = "";
	size_t starts[16], n = sizeof(chars) / sizeof(chars[0]), total;
	char what[64];

	for (size_t i = 0; i < n; i++) {
		starts[i] = strlen(s);
		strcat(s, chars[i]);
	}
	total = strlen(s);
	for (size_t len = 0; len <= total; len++) {
		size_t want = 0;

		for (size_t i = 0; i < n; i++)	/* the last character that ends by len */
			if (starts[i] + strlen(chars[i]) <= len)
				want = starts[i] + strlen(chars[i]);
		snprintf(what, sizeof(what), "mixed string, len %zu", len);
		check_cut(s, len, want, what);
	}
}

static void test_cut_at_each_sequence_length(void)
{
	check_cut("", 0, 0, "empty");
	check_cut("abc", 3, 3, "ASCII");
	check_cut("a\xc3\xa9", 2, 1, "inside é");
	check_cut("a\xe2\x82\xac", 2, 1, "after the lead of €");
	check_cut("a\xe2\x82\xac", 3, 1, "inside €");
	check_cut("a\xf0\x9f\x98\x80", 4, 1, "3 bytes into 😀");
	check_cut("a\xf0\x9f\x98\x80", 5, 5, "after 😀");
	check_cut("\xf0\x9f\x98", 3, 0, "a string that is one cut 😀");
}

/* Bytes that cannot start a sequence are not a character to protect: the cut
 * leaves them for utf8_repair (which makes them U+FFFD) rather than dropping them. */
static void test_cut_keeps_bytes_that_start_no_sequence(void)
{
	check_cut("a\x80", 2, 2, "stray continuation at the end");
	check_cut("a\x80\x80\x80\x80", 5, 5, "four continuations");
	check_cut("a\xff", 2, 2, "ff at the end");
	check_cut("a\xfe", 2, 2, "fe at the end");
	check_cut("a\xf8\x88", 3, 3, "5-byte lead and a continuation");
}

int main(void)
{
	RUN(test_repair_keeps_valid_one_to_four_byte_sequences);
	RUN(test_repair_replaces_overlongs_byte_by_byte);
	RUN(test_repair_replaces_surrogates);
	RUN(test_repair_replaces_code_points_past_10ffff);
	RUN(test_repair_replaces_truncated_and_stray_bytes);
	RUN(test_repair_reads_no_further_than_len);
	RUN(test_repair_worst_case_fits_3_len);
	RUN(test_cut_lands_on_character_boundaries);
	RUN(test_cut_at_each_sequence_length);
	RUN(test_cut_keeps_bytes_that_start_no_sequence);
	return check_summary();
}
