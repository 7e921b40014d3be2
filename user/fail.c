// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Prints procmon's one-line errors. */
#include <string.h>
#include "fail.h"

void fail_line(FILE *out, const char *what, const char *why, const char *hint)
{
	fprintf(out, "procmon: %s%s%s%s%s%s\n", what ? what : "", what ? ": " : "",
		why ? why : "unknown error", hint ? " (" : "", hint ? hint : "", hint ? ")" : "");
}

void fail(const char *what, int err, const char *hint)
{
	fail_line(stderr, what, strerror(err > 0 ? err : -err), hint);
}
