// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Writes the JSON text of each line as a whole line, in the layout of TotalDepth's
 * Python logging format or bare (jsonl); a failed write leaves only whole lines. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "clock.h"
#include "decimal.h"
#include "logline.h"
#include "safe_text.h"

static const char *const marker[] = {
	[LOGLINE_PLAIN] = "ProcessLoggingThread-JSON",
	[LOGLINE_START] = "ProcessLoggingThread-JSON-START",
	[LOGLINE_STOP] = "ProcessLoggingThread-JSON-STOP",
	[LOGLINE_THREAD] = "ProcessLoggingThread-THREAD",
};

/* Append @n bytes of @src at *@at in @buf of @size; false when they do not fit. */
static bool put(char *buf, size_t size, size_t *at, const char *src, size_t n)
{
	if (*at + n >= size)
		return false;
	memcpy(buf + *at, src, n);
	*at += n;
	return true;
}

int logline_format(char *buf, size_t size, enum log_format format, pid_t self,
		   enum logline_mark mark, const char *json, const struct timespec *wall)
{
	static const char mid[] = " - (ProcMon   ) - INFO     - ";
	size_t len = strlen(json), n = 0;
	char date[32], num[24], *end = num + sizeof(num), *digits;
	int pad;

	if (format != LOG_FORMAT_JSONL) {
		/* Python logging: '%(asctime)s - %(filename)s - %(process)5d -
		 * (%(threadName)-10s) - %(levelname)-8s - %(message)s'. Put
		 * together by hand: printf's parsing was a fifth of a 1 kHz line. */
		local_seconds_text(wall->tv_sec, date, sizeof(date));
		digits = decimal_u64(end, (unsigned long long)self);
		for (pad = 5 - (int)(end - digits); pad > 0; pad--)
			*--digits = ' ';
		if (!put(buf, size, &n, date, strlen(date)) || !put(buf, size, &n, ",", 1) ||
		    n + 4 >= size)
			return -ENOSPC;
		n += decimal_fixed_width(buf + n, size - n,
					 (unsigned long long)(wall->tv_nsec / 1000000) % 1000, 3);
		if (!put(buf, size, &n, " - procmon - ", 13) ||
		    !put(buf, size, &n, digits, (size_t)(end - digits)) ||
		    !put(buf, size, &n, mid, sizeof(mid) - 1) ||
		    !put(buf, size, &n, marker[mark], strlen(marker[mark])) ||
		    !put(buf, size, &n, " ", 1))
			return -ENOSPC;
	}
	/* The JSON copied, not printed: most of a line, at every sample. */
	if (n + len + 2 > size)
		return -ENOSPC;
	memcpy(buf + n, json, len);
	buf[n + len] = '\n';
	buf[n + len + 1] = '\0';
	return (int)(n + len + 1);
}

void logwriter_init(struct logwriter *w, int fd, enum log_format format)
{
	struct stat st;

	memset(w, 0, sizeof(*w));
	w->fd = fd;
	w->format = format;
	w->self = getpid();
	w->regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
	if (w->regular)
		w->good_bytes = lseek(fd, 0, SEEK_CUR);
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Write whole lines (@lines of them), or cut the file back to the last whole
 * line and keep the error. */
static int put_bytes(struct logwriter *w, const char *buf, size_t len, unsigned long lines)
{
	int err = write_all(w->fd, buf, len);

	if (err) {
		/* Keep the log parseable: cut the part of a line that did get out. */
		if (w->regular && ftruncate(w->fd, w->good_bytes) == 0)
			lseek(w->fd, w->good_bytes, SEEK_SET);
		w->err = err;
		return err;
	}
	w->good_bytes += (off_t)len;
	w->lines += lines;
	return 0;
}

static int by_time(const void *a, const void *b)
{
	const struct logline_at *x = a, *y = b;

	if (x->wall_s != y->wall_s)
		return x->wall_s < y->wall_s ? -1 : 1;
	return x->off < y->off ? -1 : x->off > y->off;	/* the order they came in */
}

/* Write the @out oldest gathered lines in time order and keep the others for the
 * next write. 0 or the write error. */
static int write_oldest(struct logwriter *w, unsigned long out)
{
	unsigned long keep = w->pending_lines - out, i;
	size_t n = 0, k = 0;
	char *tmp = NULL;
	int err = 0;

	if (w->err || !w->n_pending)
		return w->err;
	/* In order already and all to go (above 10 ms, always): as they are. */
	if ((w->unsorted || keep) && (tmp = malloc(w->n_pending)))
		qsort(w->at, w->pending_lines, sizeof(w->at[0]), by_time);
	else
		out = w->pending_lines;	/* no room to sort: all, as they came */
	if (!tmp) {
		err = put_bytes(w, w->pending, w->n_pending, w->pending_lines);
		w->n_pending = 0;
		w->pending_lines = 0;
		w->unsorted = false;
		return err;
	}
	for (i = 0; i < out; i++) {
		memcpy(tmp + n, w->pending + w->at[i].off, w->at[i].len);
		n += w->at[i].len;
	}
	if (out)
		err = put_bytes(w, tmp, n, out);
	for (i = out; i < w->pending_lines; i++) {
		memcpy(tmp + n + k, w->pending + w->at[i].off, w->at[i].len);
		w->at[i - out] = w->at[i];
		w->at[i - out].off = (unsigned int)k;
		k += w->at[i].len;
	}
	memcpy(w->pending, tmp + n, k);
	free(tmp);
	w->n_pending = k;
	w->pending_lines = w->pending_lines - out;
	w->unsorted = false;
	if (w->pending_lines)
		w->last_wall_s = w->at[w->pending_lines - 1].wall_s;
	/* Held lines go out at the latest hold_s after the last write. */
	if (out)
		w->first_pending_s = mono_now_s();
	return err;
}

/* The buffer is full: the older three quarters written, the newest quarter kept
 * (a sample of another target read after an event's line may still belong
 * before it). 0 or the write error. */
static int flush_older(struct logwriter *w)
{
	return write_oldest(w, w->pending_lines - w->pending_lines / 4);
}

int logwriter_flush_upto(struct logwriter *w, double wall_s)
{
	unsigned long out = 0, i;

	for (i = 0; i < w->pending_lines; i++)
		out += w->at[i].wall_s <= wall_s;
	return write_oldest(w, out);
}

/* Add a line stamped @wall_s to the gathered ones; write them all once the oldest
 * is hold_s old. */
static int gather(struct logwriter *w, const char *line, size_t len, double wall_s)
{
	const size_t max_lines = sizeof(w->at) / sizeof(w->at[0]);
	double now = mono_now_s();
	int err;

	if ((w->n_pending + len > sizeof(w->pending) || w->pending_lines >= max_lines) &&
	    (err = flush_older(w)))
		return err;
	if ((w->n_pending + len > sizeof(w->pending) || w->pending_lines >= max_lines) &&
	    (err = logwriter_flush(w)))
		return err;
	if (len > sizeof(w->pending))
		return put_bytes(w, line, len, 1);
	if (!w->n_pending)
		w->first_pending_s = now;
	w->at[w->pending_lines].wall_s = wall_s;
	w->at[w->pending_lines].off = (unsigned int)w->n_pending;
	w->at[w->pending_lines].len = (unsigned int)len;
	if (w->pending_lines && wall_s < w->last_wall_s)
		w->unsorted = true;
	else
		w->last_wall_s = wall_s;
	memcpy(w->pending + w->n_pending, line, len);
	w->n_pending += len;
	w->pending_lines++;
	return now - w->first_pending_s >= w->hold_s ? logwriter_flush(w) : 0;
}


/* Does @s hold a byte json-c may have left raw that a terminal acts on (DEL,
 * C1 and bidi controls: all at or above 0x7f)? Most lines are plain ASCII. */
static bool may_need_escapes(const char *s, size_t len)
{
	const unsigned long long ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
	unsigned long long x;
	size_t i = 0;

	/* Eight bytes at a time: a byte >= 0x7f has its high bit set, or gets it
	 * from adding 1 (a carry out of 0xff flags a byte already flagged). */
	for (; i + 8 <= len; i += 8) {
		memcpy(&x, s + i, 8);
		if ((x | (x + ones)) & highs)
			return true;
	}
	for (; i < len; i++)
		if ((unsigned char)s[i] >= 0x7f)
			return true;
	return false;
}

int logwriter_put(struct logwriter *w, enum logline_mark mark, const char *json,
		  const struct timespec *wall)
{
	char small[4096], *buf = small, *escaped = NULL;
	size_t size = sizeof(small), len;
	int n, err;

	if (w->err)
		return w->err;
	/* The same JSON, with \u escapes for what json-c leaves raw: `tail -f` of
	 * the log (or the default log, on stderr) is safe on a terminal. */
	len = strlen(json);
	if (may_need_escapes(json, len)) {
		escaped = malloc(6 * len + 1);	/* DEL: 1 byte becomes 6 */
		if (!escaped)
			return -ENOMEM;
		safe_text_json(json, len, escaped);
		json = escaped;
	}
	for (;;) {
		n = logline_format(buf, size, w->format, w->self, mark, json, wall);
		if (n != -ENOSPC)
			break;
		if (buf != small)
			free(buf);
		size *= 4;
		buf = malloc(size);
		if (!buf) {
			free(escaped);
			return -ENOMEM;
		}
	}
	err = w->hold_s > 0 ? gather(w, buf, (size_t)n, (double)wall->tv_sec + wall->tv_nsec / 1e9) :
			      put_bytes(w, buf, (size_t)n, 1);
	if (buf != small)
		free(buf);
	free(escaped);
	return err;
}

int logwriter_tick(struct logwriter *w)
{
	if (!w->n_pending || mono_now_s() - w->first_pending_s < w->hold_s)
		return w->err;
	return logwriter_flush(w);
}

void logwriter_batch(struct logwriter *w, double hold_s)
{
	w->hold_s = hold_s;
}

int logwriter_flush(struct logwriter *w)
{
	return write_oldest(w, w->pending_lines);
}
