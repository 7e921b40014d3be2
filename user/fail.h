/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* procmon's error line, `procmon: WHAT: WHY (HINT)`: one shape for every failure,
 * whichever of its parts is missing. */
#ifndef PROCMON_FAIL_H
#define PROCMON_FAIL_H

#include <stdio.h>

/* Write the line to @out. @what and @hint may be NULL (left out with their
 * separators); a NULL @why is written as "unknown error", never as "(null)". */
void fail_line(FILE *out, const char *what, const char *why, const char *hint);

/* The line on stderr, the reason being strerror of @err (either sign). */
void fail(const char *what, int err, const char *hint);

#endif /* PROCMON_FAIL_H */
