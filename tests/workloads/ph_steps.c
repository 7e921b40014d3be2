// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Workload: one labelled phase per argument, each a known amount of work, with
 * its own getrusage(RUSAGE_SELF) taken right before each label, the ground truth
 * of procmon's per-phase costs. Usage: ph_steps OUTFILE STEP... where STEP is
 * touch:MIB (write one byte per page of MIB fresh MiB), spin:MS (MS ms of CPU),
 * touchspin:MIB:MS (both) or sleep:MS; the label is the step itself, and a last
 * label "done" ends the last step. OUTFILE gets one line per label:
 * `minflt majflt utime_us stime_us pages_touched_so_far`. */
#include <sys/mman.h>
#include <sys/resource.h>

#define WORKLOAD_LABEL_HOOK
#include "workload.h"

static long pages_touched;

static void touch_mib(long mib)
{
	size_t bytes = (size_t)mib << 20;
	volatile char *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	/* One fault per 4 KiB page, not one per 2 MiB: the count must be known. */
	madvise((void *)p, bytes, MADV_NOHUGEPAGE);
	for (size_t off = 0; off < bytes; off += 4096) {
		p[off] = 1;
		pages_touched++;
	}
	munmap((void *)p, bytes);
}

static double cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void spin_ms(long ms)
{
	double until = cpu_s() + (double)ms / 1000;

	while (cpu_s() < until)
		;
}

static void report(FILE *out)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	fprintf(out, "%ld %ld %lld %lld %ld\n", ru.ru_minflt, ru.ru_majflt,
		(long long)ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec,
		(long long)ru.ru_stime.tv_sec * 1000000 + ru.ru_stime.tv_usec, pages_touched);
}

int main(int argc, char **argv)
{
	static char buf[4096];
	FILE *out, *null;

	if (argc < 3) {
		fprintf(stderr, "usage: ph_steps OUTFILE STEP...\n");
		return 2;
	}
	out = fopen(argv[1], "w");
	if (!out) {
		perror(argv[1]);
		return 1;
	}
	/* Fully buffered in a buffer touched now, and the code of report() run
	 * once before: no fault between a report and its label. */
	memset(buf, 0, sizeof(buf));
	setvbuf(out, buf, _IOFBF, sizeof(buf));
	null = fopen("/dev/null", "w");
	if (null) {
		report(null);
		fclose(null);
	}
	for (int i = 2; i < argc; i++) {
		long a = 0, b = 0;

		report(out);
		procmon_label(argv[i]);
		if (sscanf(argv[i], "touchspin:%ld:%ld", &a, &b) == 2) {
			touch_mib(a);
			spin_ms(b);
		} else if (sscanf(argv[i], "touch:%ld", &a) == 1) {
			touch_mib(a);
		} else if (sscanf(argv[i], "spin:%ld", &a) == 1) {
			spin_ms(a);
		} else if (sscanf(argv[i], "sleep:%ld", &a) == 1) {
			sleep_ms(a);
		} else {
			fprintf(stderr, "ph_steps: unknown step '%s'\n", argv[i]);
			return 2;
		}
	}
	report(out);
	procmon_label("done");
	return fclose(out) ? 1 : 0;
}
