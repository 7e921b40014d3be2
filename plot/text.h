/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Untrusted text on its way to gnuplot: repaired to printable UTF-8, escaped
 * as a data-file field; trusted paths quoted for the script; any text shown. */
#ifndef PROCMON_PLOT_TEXT_H
#define PROCMON_PLOT_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/*
 * Returns a new string (the caller frees it) holding the first max_chars
 * characters of the len bytes at s (0: all), with "…" when cut. The result is
 * valid UTF-8 that is well-formed as XML text: invalid bytes, C0/C1 controls,
 * DEL and U+FFFE/U+FFFF become U+FFFD, except tab, newline and carriage return,
 * which become a space; "]]>" gets a zero-width space before its ">".
 * Returns NULL when out of memory.
 */
char *plot_text_clean(const char *s, size_t len, size_t max_chars);

/* Number of characters (code points) in valid UTF-8 text. */
size_t plot_text_chars(const char *s);

/* A chart title: @what (a command line: untrusted) cut so that what + @tail stays
 * within PLOT_TITLE_MAX_CHARS, then @tail, all cleaned. Malloc'd; NULL: ENOMEM. */
#define PLOT_TITLE_MAX_CHARS 110
char *plot_title(const char *what, const char *tail);

/* A chart title that leads with @head (our words and short names, kept whole)
 * and goes on with ": " and @rest (a command line) cut to fit
 * PLOT_TITLE_MAX_CHARS; @rest may be NULL or empty. Malloc'd; NULL: ENOMEM. */
char *plot_title_then(const char *head, const char *rest);

/* Writes clean text as a double-quoted column header (gnuplot's columnheader(),
 * which undoes no escape): '"' and '\' become "'". Returns 0 or -EIO. */
int plot_text_write_header(FILE *f, const char *clean);

/*
 * Writes clean text (from plot_text_clean) as one double-quoted gnuplot data
 * field, so gnuplot reads back exactly the text: '\' and '"' are escaped.
 * Returns 0 or -EIO.
 */
int plot_text_write_field(FILE *f, const char *clean);

/* True if path is absolute and has no control character: fit for the script. */
bool plot_path_is_safe(const char *path);

/*
 * Writes a safe path (plot_path_is_safe) as a gnuplot string expression in
 * which no substitution happens: single-quoted pieces, with "'" and "@" as
 * double-quoted strings between them. Returns 0, -EINVAL for an unsafe path
 * or -EIO.
 */
int plot_path_write_quoted(FILE *f, const char *path);

/* Text for a message (a path, a name from the log): common/safe_text.h's
 * escapes, so no control byte reaches a terminal; cut beyond the buffer. */
struct plot_shown {
	char s[4096];
};

/* @s escaped into @buf; returns buf->s. */
const char *plot_shown(const char *s, struct plot_shown *buf);

/* plot_shown() into a buffer that lives to the end of the caller's block. */
#define PLOT_SHOWN(s) plot_shown((s), &(struct plot_shown){ { 0 } })

#endif /* PROCMON_PLOT_TEXT_H */
