/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The summary of a process tree (-c, many processes): the tree's totals, the top
 * 10 by peak RSS and by CPU with the part of their command line that tells them apart. */
#ifndef PROCMON_SUMMARY_TREE_H
#define PROCMON_SUMMARY_TREE_H

#include <stdio.h>

struct session;

/* After a sample: the RSS summed over the live targets, for the tree's peak. */
void summary_tree_note_sample(struct session *s);

void summary_tree_print(const struct session *s, FILE *out);

#endif /* PROCMON_SUMMARY_TREE_H */
