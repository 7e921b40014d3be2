// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Workload: `label_burst HOLD_S LABEL...` sleeps 0.2 s (BURST_DELAY_MS), calls
 * procmon_label with each LABEL back to back (a burst well within a millisecond),
 * then lives HOLD_S more: labels too close for their texts to be drawn side by side. */
#define WORKLOAD_LABEL_HOOK
#include "workload.h"

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: label_burst HOLD_S LABEL...\n");
		return 2;
	}
	usleep((useconds_t)(env_ms("BURST_DELAY_MS") ? env_ms("BURST_DELAY_MS") : 200) * 1000);
	for (int i = 2; i < argc; i++)
		procmon_label(argv[i]);
	usleep((useconds_t)(atof(argv[1]) * 1e6));
	return 0;
}
