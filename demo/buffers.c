// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The built-in demo, after TotalDepth's process example: eight buffers of a random
 * 128-384 MiB, each filled, held 0.5-1.5 s and freed, with a label for each. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "procmon_label.h"

static void sleep_s(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (double)(time_t)s) * 1e9) };

	while (nanosleep(&ts, &ts))
		;
}

/* "165,675,008": the number with thousands separators, as Python's {:,d}. */
static void with_commas(size_t n, char *out, size_t size)
{
	char digits[32];
	size_t len, i, o = 0;

	len = (size_t)snprintf(digits, sizeof(digits), "%zu", n);
	for (i = 0; i < len && o + 2 < size; i++) {
		if (i && (len - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
}

int main(int argc, char **argv)
{
	unsigned int seed = argc > 1 ? (unsigned int)strtoul(argv[1], NULL, 10) : (unsigned int)time(NULL);
	char bytes[32];
	int i;

	srand(seed);
	for (i = 0; i < 8; i++) {
		size_t size = ((size_t)(128 + rand() % 257)) << 20;
		char *buf = malloc(size);

		if (!buf) {
			fprintf(stderr, "demo: cannot allocate %zu bytes\n", size);
			return 1;
		}
		memset(buf, ' ', size);	/* touch every page, as ' ' * size does */
		__asm__ volatile("" : : "r"(buf) : "memory");	/* keep the stores */
		with_commas(size, bytes, sizeof(bytes));
		procmon_labelf("String of %s bytes", bytes);
		sleep_s(0.5 + (double)rand() / RAND_MAX);
		free(buf);
		sleep_s(0.25 + (double)rand() / RAND_MAX / 2);
	}
	return 0;
}
