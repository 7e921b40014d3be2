// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* What to call a process on a chart: its program and the argument that tells it
 * from its siblings (the source file of a cc1), before its pid. */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "text.h"

/* A word of a command line: [start, start + len). */
struct word {
	const char *start;
	size_t len;
};

static bool word_is(const struct word *w, const char *s)
{
	return w->len == strlen(s) && !memcmp(w->start, s, w->len);
}

/* "dir/x", "x.c", "/path": a file, not an option, an assignment or a number. */
static bool file_like(const struct word *w)
{
	const char *dot = NULL, *end = w->start + w->len;
	bool slash = false, letter = false;

	if (!w->len || w->start[0] == '-' || memchr(w->start, '=', w->len))
		return false;
	for (const char *c = w->start; c < end; c++) {
		if (*c == '/')
			slash = true;
		else if (*c == '.')
			dot = c;
	}
	if (slash)
		return w->len > 1;
	/* An extension of 1 to 5 characters, a letter among them, after a stem. */
	if (!dot || dot == w->start || end - dot - 1 < 1 || end - dot - 1 > 5)
		return false;
	for (const char *c = dot + 1; c < end; c++) {
		if (!isalnum((unsigned char)*c))
			return false;
		letter |= isalpha((unsigned char)*c) != 0;
	}
	return letter;
}

static bool temporary(const struct word *w)
{
	return w->len > 5 && !memcmp(w->start, "/tmp/", 5);
}

/* The index of the distinguishing word among words[1..n), or 0 for none: the
 * last file-like one that is not -o's output, else the last file-like one,
 * else the longest one that is not an option; never a temporary file. */
static size_t pick(const struct word *words, size_t n)
{
	size_t best = 0;

	for (int pass = 0; pass < 2; pass++)
		for (size_t i = n; i-- > 1;)
			if (file_like(&words[i]) && !temporary(&words[i]) &&
			    (pass || !word_is(&words[i - 1], "-o")))
				return i;
	for (size_t i = 1; i < n; i++)
		if (words[i].start[0] != '-' && !temporary(&words[i]) &&
		    (!best || words[i].len > words[best].len))
			best = i;
	return best;
}

char *plot_command_name(const char *cmdline)
{
	struct word words[256];
	size_t n = 0, arg;
	const char *c = cmdline, *prog, *slash;
	char *raw = NULL, *name;
	int prog_len;

	while (*c && n < sizeof(words) / sizeof(words[0])) {
		while (*c == ' ')
			c++;
		if (!*c)
			break;
		words[n].start = c;
		while (*c && *c != ' ')
			c++;
		words[n].len = (size_t)(c - words[n].start);
		n++;
	}
	if (!n)
		return plot_text_clean("", 0, 0);
	prog = words[0].start;
	slash = memrchr(prog, '/', words[0].len);
	if (slash && slash + 1 < prog + words[0].len)
		prog = slash + 1;
	prog_len = (int)(words[0].start + words[0].len - prog);
	arg = pick(words, n);
	if (arg) {
		const struct word *w = &words[arg];
		size_t skip = w->len > PLOT_NAME_ARG_CHARS ? w->len - PLOT_NAME_ARG_CHARS : 0;

		/* The end of a long path is what names it. */
		while (skip > 0 && skip < w->len && ((unsigned char)w->start[skip] & 0xC0) == 0x80)
			skip++;
		if (asprintf(&raw, "%.*s %s%.*s", prog_len, prog, skip ? "…" : "",
			     (int)(w->len - skip), w->start + skip) < 0)
			raw = NULL;
	} else if (asprintf(&raw, "%.*s", prog_len, prog) < 0) {
		raw = NULL;
	}
	if (!raw)
		return NULL;
	name = plot_text_clean(raw, strlen(raw), 0);
	free(raw);
	return name;
}

char *plot_proc_name(const struct plot_proc *p)
{
	if (p->cmdline && *p->cmdline)
		return plot_command_name(p->cmdline);
	return plot_text_clean(p->comm && *p->comm ? p->comm : "process",
			       strlen(p->comm && *p->comm ? p->comm : "process"), 0);
}
