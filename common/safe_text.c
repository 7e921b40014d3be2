// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Text from a target made safe to show: escapes for every character that a
 * terminal would act on, for the summary, errors and the log alike. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "safe_text.h"
#include "utf8.h"

/* Would a terminal act on @cp (or reorder the text around it)? */
static bool unsafe(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

/* The escape of one unsafe character or invalid byte into @buf (≥ 7 bytes). */
static size_t escape_one(uint32_t cp, bool invalid_byte, char *buf)
{
	if (invalid_byte)
		return (size_t)snprintf(buf, 7, "\\x%02x", cp);
	switch (cp) {
	case '\n': memcpy(buf, "\\n", 2); return 2;
	case '\r': memcpy(buf, "\\r", 2); return 2;
	case '\t': memcpy(buf, "\\t", 2); return 2;
	}
	if (cp < 0x80)
		return (size_t)snprintf(buf, 7, "\\x%02x", cp);
	return (size_t)snprintf(buf, 7, "\\u%04x", cp);
}

size_t safe_text_escape(const char *in, size_t len, char *out, size_t size)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t i = 0, o = 0;

	if (!size)
		return 0;
	while (i < len) {
		char buf[8];
		uint32_t cp;
		size_t n = utf8_decode(s + i, len - i, &cp), w;

		if (!n)
			w = escape_one(s[i], true, buf), n = 1;
		else if (unsafe(cp))
			w = escape_one(cp, false, buf);
		else
			memcpy(buf, s + i, n), w = n;
		if (o + w >= size)
			break;
		memcpy(out + o, buf, w);
		o += w;
		i += n;
	}
	out[o] = '\0';
	return o;
}

char *safe_text_dup(const char *s)
{
	size_t len = strlen(s), size = 6 * len + 1;
	char *out = malloc(size);

	if (out)
		safe_text_escape(s, len, out, size);
	return out;
}

size_t safe_text_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

/* The escaped @s cut to at most @width - 1 characters, whole escapes only (no
 * "\u00" of a "\u0085"), then "…". @out has room for 6 bytes per input byte. */
static size_t cut_escaped(const char *s, size_t width, char *out)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t len = strlen(s), i = 0, o = 0, kept = 0;

	while (i < len) {
		char piece[16];
		uint32_t cp;
		size_t n = utf8_decode(u + i, len - i, &cp), w, chars;

		if (!n)
			n = 1;
		w = safe_text_escape(s + i, n, piece, sizeof(piece));
		chars = safe_text_chars(piece);
		if (kept + chars > width - 1)
			break;
		memcpy(out + o, piece, w);
		o += w;
		kept += chars;
		i += n;
	}
	strcpy(out + o, "\xe2\x80\xa6");
	return kept + 1;
}

char *safe_text_fit(const char *s, size_t width, size_t *chars)
{
	char *esc = safe_text_dup(s);
	size_t n;

	if (!esc)
		return NULL;
	n = safe_text_chars(esc);
	if (n > width && width > 0)
		n = cut_escaped(s, width, esc);
	if (chars)
		*chars = n;
	return esc;
}

int safe_text_column(FILE *f, const char *s, size_t width, bool right_align)
{
	size_t chars, pad;
	char *esc = safe_text_fit(s ? s : "", width, &chars);

	if (!esc)
		return -ENOMEM;
	pad = width > chars ? width - chars : 0;
	if (right_align)
		fprintf(f, "%*s", (int)pad, "");
	fputs(esc, f);
	if (!right_align)
		fprintf(f, "%*s", (int)pad, "");
	free(esc);
	return ferror(f) ? -EIO : 0;
}

size_t safe_text_json(const char *in, size_t len, char *out)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t i = 0, o = 0;

	while (i < len) {
		uint32_t cp;
		size_t n = utf8_decode(s + i, len - i, &cp);

		if (n && cp >= 0x7f && unsafe(cp)) {
			o += (size_t)sprintf(out + o, "\\u%04x", cp);
		} else {
			if (!n)
				n = 1;	/* json-c passes bytes through: leave them be */
			memcpy(out + o, s + i, n);
			o += n;
		}
		i += n;
	}
	out[o] = '\0';
	return o;
}
