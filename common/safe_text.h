/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Text from a target (labels, command lines, paths) made safe to show: on a
 * terminal no control character acts, and in a log line none is left raw. */
#ifndef PROCMON_SAFE_TEXT_H
#define PROCMON_SAFE_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/*
 * Copies @len bytes of @in to @out (@size bytes, always NUL-terminated) with
 * every C0 control, DEL, C1 control (U+0080-U+009F) and bidirectional override
 * (U+202A-U+202E, U+2066-U+2069) written as an escape (\n \r \t \x1b \u0085
 * \u202e) and every byte of invalid UTF-8 as \xNN. Cuts only between
 * characters when @out is too small. Returns the bytes written, NUL excluded.
 */
size_t safe_text_escape(const char *in, size_t len, char *out, size_t size);

/* The same into a new string (the caller frees it); NULL on ENOMEM. */
char *safe_text_dup(const char *s);

/* Characters (code points) in valid UTF-8 @s: its width in a column. */
size_t safe_text_chars(const char *s);

/*
 * @s escaped into a new string (the caller frees it) of at most @width
 * characters (0: any), cut with "…" between whole characters and whole escapes;
 * its width in characters goes to *@chars (may be NULL). NULL on ENOMEM.
 */
char *safe_text_fit(const char *s, size_t width, size_t *chars);

/*
 * Writes @s escaped as one column of @width characters: cut with "…" when
 * longer, padded with spaces (on the right, or on the left if @right_align).
 * Returns 0 or -EIO.
 */
int safe_text_column(FILE *f, const char *s, size_t width, bool right_align);

/*
 * Escapes a serialized JSON line for `tail -f` on a terminal: DEL, C1 controls
 * and bidi overrides, which json-c leaves raw, become \u escapes. They can only
 * stand inside JSON strings, so the line stays the same JSON. @out needs
 * 6 * len + 1 bytes (a DEL, one byte, becomes six). Returns its length.
 */
size_t safe_text_json(const char *in, size_t len, char *out);

#endif /* PROCMON_SAFE_TEXT_H */
