// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Calls two plain functions, label_marks_alpha and label_marks_beta, by turns N
 * times: targets for procmon --mark, with no procmon_label anywhere. */
#include <stdio.h>
#include <stdlib.h>

#if defined(__has_attribute) && __has_attribute(noipa)
#define NOIPA __attribute__((noipa))
#else
#define NOIPA
#endif

NOIPA __attribute__((noinline, used)) long label_marks_alpha(long i)
{
	asm volatile("" : : "r"(i) : "memory");
	return i * 3;
}

NOIPA __attribute__((noinline, used)) long label_marks_beta(long i)
{
	asm volatile("" : : "r"(i) : "memory");
	return i + 7;
}

/* Usage: label_marks N: alpha(0), beta(1), alpha(2), ... N calls in all. */
int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 0, sum = 0;

	for (long i = 0; i < n; i++)
		sum += i % 2 ? label_marks_beta(i) : label_marks_alpha(i);
	printf("label_marks: %ld calls, sum %ld\n", n, sum);
	return 0;
}
