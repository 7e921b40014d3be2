/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The exit summary of a run: time(1) -v style for one process, a table with a row
 * per process when several were traced, then each one's phases. */
#ifndef PROCMON_SUMMARY_H
#define PROCMON_SUMMARY_H

#include <stdio.h>

struct session;

void summary_print(const struct session *s, FILE *out);

#endif /* PROCMON_SUMMARY_H */
