// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Untrusted text on its way to gnuplot: repaired to printable UTF-8, escaped
 * as a data-file field; trusted paths quoted for the script; any text shown. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "safe_text.h"
#include "text.h"
#include "utf8.h"

#define ZERO_WIDTH_SPACE 0x200B

/* What a decoded character becomes in the output: XML 1.0 forbids most
 * controls and U+FFFE/U+FFFF; C1 controls are legal but render as garbage. */
static uint32_t printable(uint32_t cp)
{
	if (cp == '\t' || cp == '\n' || cp == '\r')
		return ' ';
	if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0xFFFE || cp == 0xFFFF)
		return UTF8_REPLACEMENT;
	return cp;
}

char *plot_text_clean(const char *s, size_t len, size_t max_chars)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t chars = 0, used = 0, i = 0;
	/* Worst case: every byte becomes U+FFFD (3 bytes), a zero-width space
	 * before each '>' (3 more), plus "…" and the NUL. */
	char *out = malloc(len * 6 + 4);

	if (!out)
		return NULL;
	while (i < len) {
		uint32_t cp;
		size_t n = utf8_decode(p + i, len - i, &cp);

		if (max_chars && chars == max_chars) {
			used += utf8_encode(0x2026, out + used);
			break;
		}
		if (n == 0) {
			cp = UTF8_REPLACEMENT;
			n = 1;
		}
		cp = printable(cp);
		if (cp == '>' && used >= 2 && out[used - 1] == ']' && out[used - 2] == ']')
			used += utf8_encode(ZERO_WIDTH_SPACE, out + used);
		used += utf8_encode(cp, out + used);
		chars++;
		i += n;
	}
	out[used] = '\0';
	return out;
}

size_t plot_text_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

int plot_text_write_field(FILE *f, const char *clean)
{
	/* gnuplot runs parse_esc() on string fields: backslash escapes and,
	 * inside quotes, "\"" are undone, so the text comes back unchanged. */
	if (fputc('"', f) == EOF)
		return -EIO;
	for (; *clean; clean++) {
		if ((*clean == '\\' || *clean == '"') && fputc('\\', f) == EOF)
			return -EIO;
		if (fputc(*clean, f) == EOF)
			return -EIO;
	}
	return fputc('"', f) == EOF ? -EIO : 0;
}

bool plot_path_is_safe(const char *path)
{
	const unsigned char *p = (const unsigned char *)path;

	if (p[0] != '/')
		return false;
	for (; *p; p++)
		if (*p < 0x20 || *p == 0x7F)
			return false;
	return true;
}

int plot_path_write_quoted(FILE *f, const char *path)
{
	bool open = false;

	if (!plot_path_is_safe(path))
		return -EINVAL;
	/*
	 * gnuplot expands @name macros even inside single quotes and misreads
	 * some runs of doubled quotes, so "'" and "@" go in as double-quoted
	 * one-character strings, joined with '.': '/a'."'".'b'."@".'c'.
	 */
	for (const char *c = path; *c; c++) {
		bool special = *c == '\'' || *c == '@';

		if (special && open) {
			fputc('\'', f);
			open = false;
		}
		if ((special || !open) && c != path)
			fputc('.', f);
		if (special) {
			fprintf(f, "\"%c\"", *c);
			continue;
		}
		if (!open)
			fputc('\'', f);
		open = true;
		fputc(*c, f);
	}
	if (open)
		fputc('\'', f);
	return ferror(f) ? -EIO : 0;
}

/* @first @sep @second as one cleaned title (@first and @second cleaned already
 * or trusted). Malloc'd; NULL: ENOMEM. */
static char *clean_joined(const char *first, const char *sep, const char *second)
{
	char *raw = NULL, *title;

	if (asprintf(&raw, "%s%s%s", first, sep, second) < 0)
		return NULL;
	title = plot_text_clean(raw, strlen(raw), 0);
	free(raw);
	return title;
}

char *plot_title(const char *what, const char *tail)
{
	size_t tail_chars = plot_text_chars(tail), room;
	char *cut, *title;

	room = tail_chars + 10 < PLOT_TITLE_MAX_CHARS ? PLOT_TITLE_MAX_CHARS - tail_chars : 10;
	cut = plot_text_clean(what, strlen(what), room);
	if (!cut)
		return NULL;
	title = clean_joined(cut, "", tail);
	free(cut);
	return title;
}

const char *plot_shown(const char *s, struct plot_shown *buf)
{
	safe_text_escape(s, strlen(s), buf->s, sizeof(buf->s));
	return buf->s;
}

char *plot_title_then(const char *head, const char *rest)
{
	size_t head_chars = plot_text_chars(head), room;
	char *cut, *title;

	if (!rest || !*rest)
		return plot_text_clean(head, strlen(head), 0);
	room = head_chars + 12 < PLOT_TITLE_MAX_CHARS ? PLOT_TITLE_MAX_CHARS - head_chars - 2 : 10;
	cut = plot_text_clean(rest, strlen(rest), room);
	if (!cut)
		return NULL;
	title = clean_joined(head, ": ", cut);
	free(cut);
	return title;
}

int plot_text_write_header(FILE *f, const char *clean)
{
	if (fputc('"', f) == EOF)
		return -EIO;
	for (; *clean; clean++)
		if (fputc(*clean == '"' || *clean == '\\' ? '\'' : *clean, f) == EOF)
			return -EIO;
	return fputc('"', f) == EOF ? -EIO : 0;
}
