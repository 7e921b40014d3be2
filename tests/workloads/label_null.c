// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Labels whose text cannot be read: NULL (allowed by procmon_label.h) and a
 * pointer into an unmapped page, each followed by a readable label. */
#include <stddef.h>
#include <sys/mman.h>

#define WORKLOAD_LABEL_HOOK
#include "workload.h"

/* Usage: label_null: procmon_label(NULL), "after null", (a PROT_NONE page),
 * "after unmapped". The readable ones are on the stack, so their page is
 * present: only the unreadable pointers may fail. */
int main(void)
{
	char *page = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char text[32];

	if (page == MAP_FAILED)
		return 2;
	procmon_label(NULL);
	strcpy(text, "after null");
	procmon_label(text);
	procmon_label(page);
	strcpy(text, "after unmapped");
	procmon_label(text);
	return 0;
}
