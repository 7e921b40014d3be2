// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* A process as a tree's summary shows it, and its command line cut to the part
 * that tells it apart: for a compiler or an interpreter, what it works on. */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include "target_brief.h"
#include "targets.h"

static unsigned long long peak_of(const struct target *t)
{
	return t->counters.rss_max_bytes > t->stat.rss_bytes ? t->counters.rss_max_bytes :
							      t->stat.rss_bytes;
}

/* Source-like arguments: for a compiler or an interpreter, what it works on. */
static bool looks_like_input(const char *w, size_t n)
{
	static const char *const exts[] = { ".c", ".cc", ".cpp", ".cxx", ".h", ".s", ".S", ".py",
					    ".rs", ".go", ".java", ".js", ".ts", ".rb", ".pl", ".sh",
					    ".o", ".f90", ".m", ".swift" };

	if (!n || w[0] == '-')
		return false;
	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		size_t e = strlen(exts[i]);

		if (n > e && !memcmp(w + n - e, exts[i], e))
			return true;
	}
	return false;
}

/* "name input" (cc1 foo.c, python3 test_x.py), else the command line as it is. */
static void shown_command(const struct target *t, char *buf, size_t size)
{
	const char *cmd = t->cmdline && *t->cmdline ? t->cmdline : t->stat.comm;
	const char *end = strchr(cmd, ' '), *name = cmd, *w, *input = NULL;
	size_t name_len = end ? (size_t)(end - cmd) : strlen(cmd), input_len = 0;

	for (w = cmd; w < cmd + name_len; w++)
		if (*w == '/')
			name = w + 1;
	for (w = end; w && *w && !input; ) {
		const char *e;
		bool output = w > cmd + 2 && !memcmp(w - 2, "-o", 2);	/* the word after -o */

		while (*w == ' ')
			w++;
		e = strchr(w, ' ');
		if (!e)
			e = w + strlen(w);
		/* The first input: `cc1 -quiet x.c ... -o /tmp/ccX.s` is about x.c. */
		if (!output && looks_like_input(w, (size_t)(e - w))) {
			input = w;
			input_len = (size_t)(e - w);
		}
		w = e;
	}
	if (input)
		snprintf(buf, size, "%.*s %.*s", (int)(cmd + name_len - name), name, (int)input_len,
			 input);
	else
		snprintf(buf, size, "%s", cmd);
}

void target_brief_of(const struct target *t, struct target_brief *b)
{
	b->pid = t->pid;
	b->peak_bytes = peak_of(t);
	b->start_s = t->start_mono_s;
	b->end_s = t->end_mono_s;
	b->cpu_s = (double)t->oncpu_ns / 1e9;
	b->have_exit_code = t->have_exit_code;
	b->exit_code = t->exit_code;
	shown_command(t, b->shown, sizeof(b->shown));
}

bool target_brief_same(const struct target_brief *a, const struct target_brief *b)
{
	return a->pid == b->pid && a->start_s == b->start_s;
}

void exit_status_text(bool have_status, int status, char *buf, size_t size)
{
	if (!have_status)
		snprintf(buf, size, "-");
	else if (WIFSIGNALED(status))
		snprintf(buf, size, "sig %d", WTERMSIG(status));
	else
		snprintf(buf, size, "%d", WEXITSTATUS(status));
}
