// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The live status line: numbers from a fresh read of every live target each
 * second, drawn with "\r\033[K" on the terminal, never on a log or a pipe. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/timerfd.h>
#include <unistd.h>
#include "clock.h"
#include "safe_text.h"
#include "sampling.h"
#include "session.h"
#include "status.h"

#define STATUS_CLEAR "\r\033[K"
#define STATUS_LABEL_CHARS 24	/* of the last label shown */

struct status_line {
	int fd;				/* the terminal: stderr's descriptor */
	int timer_fd;
	bool shown;			/* a line is on the screen */
	FILE *saved_stderr;		/* given back by status_stop */
	char label[STATUS_LABEL_CHARS * 8];	/* the last label, escaped */
	unsigned long long rss_peak_bytes;
	double last_s;			/* the previous tick, and its totals */
	unsigned long long last_oncpu_ns, last_faults;
};

bool status_wanted(int log_fd, bool quiet)
{
	return !quiet && isatty(STDERR_FILENO) && !isatty(log_fd);
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Keep the first @chars characters of UTF-8 @s, with "…" when cut. */
static void cut_chars(char *s, size_t chars)
{
	size_t n = 0;

	for (char *p = s; *p; p++) {
		if (((unsigned char)*p & 0xc0) == 0x80)
			continue;
		if (n++ == chars) {
			/* "…" takes the last place kept. */
			char *q = p;

			do
				q--;
			while (q > s && ((unsigned char)*q & 0xc0) == 0x80);
			strcpy(q, "\xe2\x80\xa6");
			return;
		}
	}
}

static const char *human_rate(double v, char *buf, size_t size)
{
	if (v < 1000)
		snprintf(buf, size, "%.0f", v);
	else if (v < 1e6)
		snprintf(buf, size, "%.1fk", v / 1e3);
	else
		snprintf(buf, size, "%.1fM", v / 1e6);
	return buf;
}

char *status_format(const struct status_numbers *n, int columns, char *buf, size_t size)
{
	long secs = n->elapsed_s > 0 ? (long)n->elapsed_s : 0;
	char label[STATUS_LABEL_CHARS * 8 + 8] = "", rate[32];
	int len;

	if (n->last_label && *n->last_label) {
		label[0] = '"';
		safe_text_escape(n->last_label, strlen(n->last_label), label + 1, sizeof(label) - 8);
		cut_chars(label + 1, STATUS_LABEL_CHARS);
		strcat(label, "\"");
	}
	len = snprintf(buf, size, "procmon %ld:%02ld:%02ld  %d alive  RSS %.1f MiB (peak %.1f)  "
		       "CPU %.0f%%  faults %s/s  labels %llu%s%s  lost %llu", secs / 3600,
		       secs / 60 % 60, secs % 60, n->alive, (double)n->rss_bytes / 1048576.0,
		       (double)n->rss_peak_bytes / 1048576.0, n->cpu_pct,
		       human_rate(n->faults_per_s, rate, sizeof(rate)), n->labels,
		       *label ? " " : "", label, n->labels_lost + n->children_lost);
	if (len > 0 && n->children_lost)
		snprintf(buf + strlen(buf), size - strlen(buf), " (%llu processes)",
			 n->children_lost);
	if (columns > 1)
		cut_chars(buf, (size_t)columns - 1);
	return buf;
}

/* stderr's writes go through here: whatever procmon says clears the line first. */
static ssize_t stderr_write(void *cookie, const char *buf, size_t size)
{
	struct status_line *st = cookie;

	if (st->shown) {
		write_all(st->fd, STATUS_CLEAR, strlen(STATUS_CLEAR));
		st->shown = false;
	}
	return write_all(st->fd, buf, size) ? -1 : (ssize_t)size;
}

struct status_line *status_start(int epoll_fd, __u64 key)
{
	struct itimerspec its = { .it_value = { 1, 0 }, .it_interval = { 1, 0 } };
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = key };
	cookie_io_functions_t io = { .write = stderr_write };
	struct status_line *st = calloc(1, sizeof(*st));
	FILE *wrapped;

	if (!st)
		return NULL;
	st->fd = STDERR_FILENO;
	st->last_s = mono_now_s();
	st->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (st->timer_fd < 0 || timerfd_settime(st->timer_fd, 0, &its, NULL) ||
	    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, st->timer_fd, &ev) ||
	    !(wrapped = fopencookie(st, "w", io))) {
		int err = errno;

		if (st->timer_fd >= 0)
			close(st->timer_fd);
		free(st);
		errno = err;
		return NULL;
	}
	/* Line-buffered: a message reaches the terminal in one piece, after the clear. */
	setvbuf(wrapped, NULL, _IOLBF, BUFSIZ);
	fflush(stderr);
	st->saved_stderr = stderr;
	stderr = wrapped;	/* glibc's stderr is a variable: meant to be set */
	return st;
}

void status_label(struct status_line *st, const char *text)
{
	snprintf(st->label, sizeof(st->label), "%.*s", (int)sizeof(st->label) - 1, text ? text : "");
}

/* The numbers now: every live target read again (what a sample reads). */
static void gather(struct status_line *st, struct session *s, struct status_numbers *n)
{
	unsigned long long oncpu_ns = s->retired.oncpu_ns, faults = s->retired.faults;
	double now = mono_now_s(), dt = now - st->last_s;
	struct sample smp;

	memset(n, 0, sizeof(*n));
	n->labels = s->retired.labels;
	n->labels_lost = s->retired.labels_lost;
	for (int i = 0; i < s->n_targets; i++) {
		struct target *t = s->targets[i];

		if (!t->finished) {
			/* Below 10 ms the last line's: a read now would be newer than
			 * the timer's samples still to be written. */
			if (s->ticking)
				smp = t->last;
			else
				sample_take(s, t, &smp, false);
			n->alive++;
			n->rss_bytes += smp.rss_bytes;
		}
		/* Exited ones too: a total that never goes back. */
		oncpu_ns += t->oncpu_ns;
		faults += t->counters.faults;
		n->labels += t->counters.labels;
		n->labels_lost += t->counters.labels_lost;
	}
	if (n->rss_bytes > st->rss_peak_bytes)
		st->rss_peak_bytes = n->rss_bytes;
	n->rss_peak_bytes = st->rss_peak_bytes;
	n->elapsed_s = now - s->t0_mono_s;
	if (dt > 0) {
		n->cpu_pct = (double)(oncpu_ns - st->last_oncpu_ns) / 1e9 / dt * 100.0;
		n->faults_per_s = (double)(faults - st->last_faults) / dt;
	}
	n->children_lost = s->tracing ? tracer_children_lost(&s->tracer) : s->children_lost;
	n->last_label = st->label;
	st->last_s = now;
	st->last_oncpu_ns = oncpu_ns;
	st->last_faults = faults;
}

void status_tick(struct status_line *st, struct session *s)
{
	struct status_numbers n;
	struct winsize ws = { 0 };
	char line[1024];
	__u64 expirations;

	if (read(st->timer_fd, &expirations, sizeof(expirations)) < 0)
		return;
	gather(st, s, &n);
	if (ioctl(st->fd, TIOCGWINSZ, &ws) || !ws.ws_col)
		ws.ws_col = 80;
	memcpy(line, STATUS_CLEAR, strlen(STATUS_CLEAR));
	status_format(&n, ws.ws_col, line + strlen(STATUS_CLEAR), sizeof(line) - strlen(STATUS_CLEAR));
	fflush(stderr);
	st->shown = write_all(st->fd, line, strlen(line)) == 0;
}

void status_stop(struct status_line *st)
{
	if (!st)
		return;
	fflush(stderr);
	if (st->shown)
		write_all(st->fd, STATUS_CLEAR, strlen(STATUS_CLEAR));
	fclose(stderr);
	stderr = st->saved_stderr;
	close(st->timer_fd);
	free(st);
}
