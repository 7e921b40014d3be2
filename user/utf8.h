/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* UTF-8 repair for text from the target: json-c writes bytes as they are, so an
 * invalid sequence must become U+FFFD before it reaches a log line. */
#ifndef PROCMON_UTF8_H
#define PROCMON_UTF8_H

#include <stddef.h>

/* Copy @len bytes of @in to @out (NUL-terminated), each byte of an invalid or
 * overlong sequence, surrogate or code point > U+10FFFF replaced by U+FFFD.
 * @out needs 3 * len + 1 bytes. Returns the bytes written, NUL excluded. */
size_t utf8_repair(const char *in, size_t len, char *out);

/* The length of the longest prefix of @in (at most @len bytes) that does not end
 * inside a multi-byte sequence: where to cut a string on a character boundary. */
size_t utf8_cut(const char *in, size_t len);

#endif /* PROCMON_UTF8_H */
