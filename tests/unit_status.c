// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests of the live status line's text: the numbers as shown, the label
 * escaped so no control character reaches the terminal, the cut to its width. */
#include <stdlib.h>

#include "check.h"
#include "status.h"

static const struct status_numbers base = {
	.elapsed_s = 3723.9, .alive = 3, .rss_bytes = 126 << 20, .rss_peak_bytes = 150 << 20,
	.cpu_pct = 87.4, .faults_per_s = 1234, .labels = 42, .last_label = "parse",
};

static void test_status_shows_every_number(void)
{
	char buf[512];
	const char *line = status_format(&base, 200, buf, sizeof(buf));

	CHECK_STR(line, "procmon 1:02:03  3 alive  RSS 126.0 MiB (peak 150.0)  CPU 87%  "
		       "faults 1.2k/s  labels 42 \"parse\"  lost 0");
}

static void test_status_escapes_the_label(void)
{
	struct status_numbers n = base;
	char buf[512];

	n.last_label = "\x1b]0;x\x07\xe2\x80\xae" "ev\n";
	status_format(&n, 200, buf, sizeof(buf));
	for (const char *p = buf; *p; p++)
		CHECK((unsigned char)*p >= 0x20 && *p != 0x7f, "a control byte 0x%02x in \"%s\"",
		      (unsigned char)*p, buf);
	CHECK(strstr(buf, "\"\\x1b]0;x\\x07\\u202eev\\n\""), "label shown as \"%s\"", buf);
}

static void test_status_cuts_long_labels_and_narrow_terminals(void)
{
	struct status_numbers n = base;
	char buf[512], *at;
	size_t chars = 0;

	n.last_label = "\xc3\xa9tape \xc3\xa9tape \xc3\xa9tape \xc3\xa9tape \xc3\xa9tape";
	n.labels_lost = 2;
	n.children_lost = 1;
	status_format(&n, 200, buf, sizeof(buf));
	at = strstr(buf, "\"\xc3\xa9tape");
	CHECK(at && strstr(at, "\xe2\x80\xa6\""), "a long label is not cut with an ellipsis: %s", buf);
	CHECK(strstr(buf, "lost 3 (1 processes)"), "lost counts: %s", buf);
	status_format(&n, 40, buf, sizeof(buf));
	for (const char *p = buf; *p; p++)
		chars += ((unsigned char)*p & 0xc0) != 0x80;
	CHECK(chars == 39, "40 columns: %zu characters in \"%s\"", chars, buf);
}

int main(void)
{
	RUN(test_status_shows_every_number);
	RUN(test_status_escapes_the_label);
	RUN(test_status_cuts_long_labels_and_narrow_terminals);
	return check_summary();
}
