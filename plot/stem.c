// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* What the output files of a log are named after: the log's file name without
 * its directory and extension, fit for a file name and for gnuplot's script. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "stem.h"

/* The longest output name is <stem>_<pid>.phase_totals.dat, a pid of 10
 * digits at most: a longer stem would not fit in a file name (NAME_MAX). */
#define LONGEST_SUFFIX (sizeof("_2147483647.phase_totals.dat") - 1)
#define STEM_MAX (NAME_MAX - LONGEST_SUFFIX)
#define STEM_HASH_LEN (sizeof("~12345678") - 1)

/* A stem longer than STEM_MAX: its start, cut between characters, then "~"
 * and the CRC-32 of the whole stem, so two long log names stay apart. */
static void shorten_stem(char *stem)
{
	size_t len = strlen(stem), keep = STEM_MAX - STEM_HASH_LEN;
	unsigned long crc;

	if (len <= STEM_MAX)
		return;
	crc = crc32(0L, (const Bytef *)stem, (uInt)len);
	while (keep && ((unsigned char)stem[keep] & 0xC0) == 0x80)
		keep--;
	snprintf(stem + keep, STEM_HASH_LEN + 1, "~%08lx", crc & 0xFFFFFFFFul);
}

char *plot_log_stem(const char *log_path, unsigned int nth)
{
	const char *base = strrchr(log_path, '/');
	char *stem, *dot;

	base = base && base[1] ? base + 1 : log_path;
	stem = strdup(*base ? base : "log");
	if (!stem)
		return NULL;
	dot = strrchr(stem, '.');
	if (dot && dot != stem)
		*dot = '\0';
	for (unsigned char *c = (unsigned char *)stem; *c; c++)
		if (*c < 0x20 || *c == 0x7F || *c == '/')
			*c = '_';
	if (nth > 1) {
		char *nth_stem;

		if (asprintf(&nth_stem, "%s-%u", stem, nth) < 0)
			nth_stem = NULL;
		free(stem);
		stem = nth_stem;
		if (!stem)
			return NULL;
	}
	shorten_stem(stem);
	return stem;
}

