// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* libFuzzer target of `procmon plot`'s log reader: every input is one log line
 * handed to plot_parse_line(), which must never crash, leak or read out of bounds. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "logread.h"

/* What a caller relies on after a 0 return; a broken promise aborts (a crash
 * libFuzzer saves) rather than passing silently. */
static void check_record(const struct plot_record *rec)
{
	/* kinds may be 0: an event of an unknown name, which plot skips. */
	if (rec->kinds & ~(unsigned int)(PLOT_KIND_SAMPLE | PLOT_KIND_LABEL | PLOT_KIND_EVENT |
					  PLOT_KIND_THREAD))
		abort();
	/* A thread line is nothing else, and names its thread. */
	if ((rec->kinds & PLOT_KIND_THREAD) &&
	    (rec->kinds != PLOT_KIND_THREAD || rec->tid < 0 || rec->tid > INT32_MAX))
		abort();
	if (rec->thread_comm && !memchr(rec->thread_comm, '\0', strlen(rec->thread_comm) + 1))
		abort();
	if (rec->label && (memchr(rec->label, '\0', rec->label_len + 1) == NULL))
		abort();	/* label_len bytes then a NUL */
	if ((rec->kinds & PLOT_KIND_SAMPLE) &&
	    !(rec->elapsed_s >= 0 && rec->elapsed_s <= PLOT_MAX_ELAPSED_S))
		abort();
	if ((rec->kinds & PLOT_KIND_LABEL) &&
	    !(rec->label_elapsed_s >= 0 && rec->label_elapsed_s <= PLOT_MAX_ELAPSED_S))
		abort();
	if (rec->has_pid && (rec->pid < 0 || rec->pid > INT32_MAX))
		abort();
	if (strlen(rec->timestamp) > PLOT_TIMESTAMP_MAX)
		abort();
	for (int m = 0; m < PLOT_NR_METRICS; m++)
		if ((rec->metrics_present & (1u << m)) &&
		    !(rec->metric[m] >= 0 && rec->metric[m] <= PLOT_MAX_COUNT))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A copy of exactly size bytes, so ASan sees any read past the line. */
	char *line = malloc(size ? size : 1);
	struct plot_record rec;
	int err;

	if (!line)
		return 0;
	memcpy(line, data, size);
	err = plot_parse_line(line, size, &rec);
	if (err == 0) {
		check_record(&rec);
		plot_record_release(&rec);
	} else if (err != -ENODATA && err != -EINVAL && err != -ENOMEM) {
		abort();
	}
	free(line);
	return 0;
}
