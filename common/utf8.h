/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* UTF-8 for text from the target: json-c writes bytes as they are, so an
 * invalid sequence must become U+FFFD before it reaches a log line, a plot or
 * a terminal. One decoder for all three. */
#ifndef PROCMON_UTF8_H
#define PROCMON_UTF8_H

#include <stddef.h>
#include <stdint.h>

#define UTF8_REPLACEMENT 0xFFFD

/* Decodes one well-formed sequence at @s (at most @len bytes): returns its
 * length and stores the code point in @cp, or returns 0 when it is invalid
 * (overlong, surrogate, past U+10FFFF, cut short, a stray byte). */
size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);

/* Encodes @cp (≤ U+10FFFF) into @out (4 bytes of room); returns its length. */
size_t utf8_encode(uint32_t cp, char *out);

/* Copy @len bytes of @in to @out (NUL-terminated), each byte of an invalid
 * sequence replaced by U+FFFD. @out needs 3 * len + 1 bytes. Returns the bytes
 * written, NUL excluded. */
size_t utf8_repair(const char *in, size_t len, char *out);

/* The length of the longest prefix of @in (at most @len bytes) that does not end
 * inside a multi-byte sequence: where to cut a string on a character boundary. */
size_t utf8_cut(const char *in, size_t len);

#endif /* PROCMON_UTF8_H */
