// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Calls procmon_label once per argument, in order, so tests can check that each
 * label arrives exactly once; defines its own hook unless built against the library. */
#ifdef LABELS_FROM_LIB
#include "procmon_label.h"
#else
#define WORKLOAD_LABEL_HOOK	/* our own procmon_label */
#endif
#include "workload.h"

/* Usage: labels_own LABEL...; LABELS_START_MS waits before the first label (to
 * attach to a running pid), LABELS_DELAY_MS between two labels. */
int main(int argc, char **argv)
{
	long delay_ms = env_ms("LABELS_DELAY_MS");

	sleep_ms(env_ms("LABELS_START_MS"));
	for (int i = 1; i < argc; i++) {
		if (i > 1)
			sleep_ms(delay_ms);
		procmon_label(argv[i]);
	}
	return 0;
}
