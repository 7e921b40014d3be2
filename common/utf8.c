// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* UTF-8 by the rules of RFC 3629 / Unicode table 3-7 (no overlongs, no
 * surrogates, nothing past U+10FFFF): one decoder for the log, the terminal
 * and the plots, and the repair that replaces what fails with U+FFFD. */
#include "utf8.h"

size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	unsigned char lo = 0x80, hi = 0xBF;
	size_t n, i;
	uint32_t c;

	if (len == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	} else if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		n = 2;
		c = s[0] & 0x1F;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		n = 3;
		c = s[0] & 0x0F;
		if (s[0] == 0xE0)
			lo = 0xA0;
		else if (s[0] == 0xED)
			hi = 0x9F;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		n = 4;
		c = s[0] & 0x07;
		if (s[0] == 0xF0)
			lo = 0x90;
		else if (s[0] == 0xF4)
			hi = 0x8F;
	} else {
		return 0;
	}
	if (len < n || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 1; i < n; i++) {
		if (i > 1 && (s[i] < 0x80 || s[i] > 0xBF))
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	*cp = c;
	return n;
}

size_t utf8_encode(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	} else if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	} else if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

size_t utf8_repair(const char *in, size_t len, char *out)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t i = 0, o = 0, n;
	uint32_t cp;

	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		if (n) {
			while (n--)
				out[o++] = (char)s[i++];
		} else {
			o += utf8_encode(UTF8_REPLACEMENT, out + o);
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
