// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Writes the JSON text of each line as a whole line, in the layout of TotalDepth's
 * Python logging format or bare (jsonl); a failed write leaves only whole lines. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "logline.h"
#include "safe_text.h"

static const char *const marker[] = {
	[LOGLINE_PLAIN] = "ProcessLoggingThread-JSON",
	[LOGLINE_START] = "ProcessLoggingThread-JSON-START",
	[LOGLINE_STOP] = "ProcessLoggingThread-JSON-STOP",
	[LOGLINE_THREAD] = "ProcessLoggingThread-THREAD",
};

int logline_format(char *buf, size_t size, enum log_format format, pid_t self,
		   enum logline_mark mark, const char *json, const struct timespec *wall)
{
	struct tm tm;
	char date[32];
	int n;

	if (format == LOG_FORMAT_JSONL) {
		n = snprintf(buf, size, "%s\n", json);
	} else {
		/* Python logging: '%(asctime)s - %(filename)s - %(process)5d -
		 * (%(threadName)-10s) - %(levelname)-8s - %(message)s' */
		localtime_r(&wall->tv_sec, &tm);
		strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S", &tm);
		n = snprintf(buf, size, "%s,%03ld - procmon - %5d - (ProcMon   ) - INFO     - "
			     "%s %s\n", date, wall->tv_nsec / 1000000, (int)self, marker[mark],
			     json);
	}
	if (n < 0 || (size_t)n >= size)
		return -ENOSPC;
	return n;
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

/* Does @s hold a byte json-c may have left raw that a terminal acts on (DEL,
 * C1 and bidi controls: all at or above 0x7f)? Most lines are plain ASCII. */
static bool may_need_escapes(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x7f)
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
	if (may_need_escapes(json)) {
		len = strlen(json);
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
	err = write_all(w->fd, buf, (size_t)n);
	if (buf != small)
		free(buf);
	free(escaped);
	if (err) {
		/* Keep the log parseable: cut the part of a line that did get out. */
		if (w->regular && ftruncate(w->fd, w->good_bytes) == 0)
			lseek(w->fd, w->good_bytes, SEEK_SET);
		w->err = err;
		return err;
	}
	w->good_bytes += n;
	w->lines++;
	return 0;
}
