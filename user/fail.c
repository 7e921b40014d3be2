// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Prints procmon's one-line errors, with every part terminal-safe: a path, a
 * command line or an option value may hold control characters. */
#include <stdlib.h>
#include <string.h>
#include "fail.h"
#include "safe_text.h"

void fail_line(FILE *out, const char *what, const char *why, const char *hint)
{
	char *w = what ? safe_text_dup(what) : NULL;
	char *y = safe_text_dup(why ? why : "unknown error");
	char *h = hint ? safe_text_dup(hint) : NULL;

	/* Out of memory: the line without the parts that could not be made safe. */
	fprintf(out, "procmon: %s%s%s%s%s%s\n", w ? w : "", w ? ": " : "",
		y ? y : "unknown error", h ? " (" : "", h ? h : "", h ? ")" : "");
	free(w);
	free(y);
	free(h);
}

void fail(const char *what, int err, const char *hint)
{
	fail_line(stderr, what, strerror(err > 0 ? err : -err), hint);
}
