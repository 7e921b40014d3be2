// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The usual way to label: a string literal. This one sits alone in its own page
 * of read-only data that the program never reads, so that page is not yet mapped
 * in (no page fault has brought it in) when procmon_label is called. */
#define WORKLOAD_LABEL_HOOK
#include "workload.h"

/* Page-aligned and a page long: no other constant shares (and touches) its page. */
__attribute__((aligned(4096), used))
static const char untouched[4096] = "literal in an untouched page";

/* Usage: label_rodata: procmon_label(untouched), then a label from the stack. */
int main(void)
{
	char text[32];

	procmon_label(untouched);
	snprintf(text, sizeof(text), "%s", "from the stack");
	procmon_label(text);
	return 0;
}
