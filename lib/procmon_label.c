// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The label hook procmon's uprobe attaches to, and its printf-style wrapper;
 * built as libprocmon_label.a and libprocmon_label.so. */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include "procmon_label.h"

/*
 * The uprobe needs a real, out-of-line function whose first argument is in the
 * first argument register when its first instruction runs. noinline keeps the
 * call in this library's own callers, used and default visibility keep the
 * symbol exported even with -fvisibility=hidden, and the asm claims to
 * read msg and memory, so neither the compiler nor LTO may drop the call or the
 * string it points to as dead. noipa (GCC) also forbids clones such as
 * procmon_label.constprop.0 that callers in this file would call instead of the
 * symbol the uprobe is on.
 */
#if defined(__has_attribute) && __has_attribute(noipa)
#define PROCMON_NOIPA __attribute__((noipa))
#endif
#ifndef PROCMON_NOIPA
#define PROCMON_NOIPA
#endif

PROCMON_NOIPA __attribute__((noinline, used, visibility("default")))
void procmon_label(const char *msg)
{
	asm volatile("" : : "r"(msg) : "memory");
}

/* Length of s[0..len) without a UTF-8 sequence cut short at its end: the
 * bytes of a character that vsnprintf() truncated are dropped whole. Invalid
 * UTF-8 is left as it is. */
static size_t utf8_complete_len(const char *s, size_t len)
{
	size_t lead = len, need;
	unsigned char c;

	/* back over at most three continuation bytes (10xxxxxx) to the lead byte */
	while (lead > 0 && len - lead < 3 && ((unsigned char)s[lead - 1] & 0xc0) == 0x80)
		lead--;
	if (lead == 0)
		return len;
	c = (unsigned char)s[--lead];
	if (c >= 0xf8)
		return len;	/* never a lead byte */
	if (c >= 0xf0)
		need = 4;
	else if (c >= 0xe0)
		need = 3;
	else if (c >= 0xc0)
		need = 2;
	else
		return len;
	return len - lead < need ? lead : len;
}

/* Format into buf (PROCMON_LABELF_MAX + 1 bytes), cut at a character boundary;
 * returns the length of the label. */
static size_t label_vformat(char *buf, const char *fmt, va_list ap)
{
	int n = vsnprintf(buf, PROCMON_LABELF_MAX + 1, fmt, ap);
	size_t len;

	if (n < 0)
		len = 0;	/* EOVERFLOW or a bad conversion: an empty label */
	else if ((size_t)n > PROCMON_LABELF_MAX)
		len = utf8_complete_len(buf, PROCMON_LABELF_MAX);
	else
		len = (size_t)n;
	buf[len] = '\0';
	return len;
}

void procmon_labelf(const char *fmt, ...)
{
	char buf[PROCMON_LABELF_MAX + 1];
	va_list ap;

	va_start(ap, fmt);
	label_vformat(buf, fmt, ap);
	va_end(ap);
	procmon_label(buf);
}
