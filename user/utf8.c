// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Validates UTF-8 by the rules of RFC 3629 (no overlongs, no surrogates, nothing
 * past U+10FFFF) and repairs what fails, byte by byte, with U+FFFD. */
#include "utf8.h"

/* Length of the valid sequence at @s (at most @left bytes), or 0 if invalid. */
static size_t valid_sequence(const unsigned char *s, size_t left)
{
	unsigned char c = s[0];
	size_t n, i;
	unsigned int min, cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, min = 0x80, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, min = 0x800, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, min = 0x10000, cp = c & 0x07;
	else
		return 0;
	if (n > left)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

size_t utf8_repair(const char *in, size_t len, char *out)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t i = 0, o = 0, n;

	while (i < len) {
		n = valid_sequence(s + i, len - i);
		if (n) {
			while (n--)
				out[o++] = (char)s[i++];
		} else {
			out[o++] = (char)0xef;
			out[o++] = (char)0xbf;
			out[o++] = (char)0xbd;
			i++;
		}
	}
	out[o] = '\0';
	return o;
}

size_t utf8_cut(const char *in, size_t len)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t start = len, need;

	/* Step back over at most three continuation bytes to the last lead byte. */
	while (start > 0 && len - start < 4 && (s[start - 1] & 0xc0) == 0x80)
		start--;
	if (start == 0 || len - start >= 4)
		return len;
	start--;
	/* Only a byte that can begin a valid sequence is a character to keep whole;
	 * any other (ASCII, a stray continuation, c0, c1, f5..ff) stays for
	 * utf8_repair to turn into U+FFFD rather than vanishing at the cut. */
	if (s[start] >= 0xf0 && s[start] <= 0xf4)
		need = 4;
	else if (s[start] >= 0xe0 && s[start] <= 0xef)
		need = 3;
	else if (s[start] >= 0xc2 && s[start] <= 0xdf)
		need = 2;
	else
		return len;
	return len - start < need ? start : len;
}
