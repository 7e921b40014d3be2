// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Workload: SPIKES times, every PERIOD_S seconds, map MIB MiB, touch every page,
 * hold it HOLD_MS, unmap: RSS spikes a sampler can miss. Writes one line per spike
 * to OUTFILE: `k touch_start full unmap_start unmapped` (CLOCK_REALTIME seconds). */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static double realtime_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_until_mono(double t)
{
	struct timespec ts = { (time_t)t, (long)((t - (double)(time_t)t) * 1e9) };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL))
		;
}

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	long page = sysconf(_SC_PAGESIZE);
	double period, hold_s, slot;
	int spikes;
	size_t bytes;
	FILE *out;

	if (argc != 6) {
		fprintf(stderr, "usage: bp_spikes SPIKES PERIOD_S MIB HOLD_MS OUTFILE\n");
		return 2;
	}
	spikes = atoi(argv[1]);
	period = atof(argv[2]);
	bytes = (size_t)atol(argv[3]) << 20;
	hold_s = atof(argv[4]) / 1e3;
	out = fopen(argv[5], "w");
	if (!out) {
		perror(argv[5]);
		return 1;
	}
	/* A quarter period in, then PERIOD_S apart: with a sample every PERIOD_S / 2
	 * each spike starts half-way between two samples. A slow ramp (the first touch
	 * of memory on a VM can take seconds) skips a slot rather than shift the phase. */
	slot = mono_s() + period / 4;
	for (int k = 0; k < spikes; k++, slot += period) {
		double start, full, unmap, unmapped;
		volatile char *p;

		while (slot < mono_s())
			slot += period;
		sleep_until_mono(slot);
		start = realtime_s();
		p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			perror("mmap");
			return 1;
		}
		/* Huge pages where the kernel has them: the ramp takes ~25 ms, not ~200. */
		madvise((void *)p, bytes, MADV_HUGEPAGE);
		for (size_t off = 0; off < bytes; off += (size_t)page)
			p[off] = 1;
		full = realtime_s();
		sleep_until_mono(mono_s() + hold_s);
		unmap = realtime_s();
		munmap((void *)p, bytes);
		unmapped = realtime_s();
		fprintf(out, "%d %.6f %.6f %.6f %.6f\n", k, start, full, unmap, unmapped);
		fflush(out);
	}
	return fclose(out) ? 1 : 0;
}
