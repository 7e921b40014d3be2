// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Builds sample objects with json-c and writes them as whole lines, in the layout
 * of TotalDepth's Python logging format or as bare JSON (jsonl). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "logline.h"

/* @v with @decimals digits after a '.', whatever the locale: "%f" would print
 * the locale's decimal point (',' under de_DE: no longer JSON), and this code
 * also runs in programs that call setlocale(), the tests among them. */
static void format_fixed(char *buf, size_t size, double v, int decimals)
{
	long long scale = 1, units;
	int i;

	for (i = 0; i < decimals && i < 9; i++)
		scale *= 10;
	if (!isfinite(v) || fabs(v) * (double)scale >= 9e18) {
		snprintf(buf, size, "%.0f", isfinite(v) ? v : 0.0);	/* no decimal point */
		return;
	}
	units = llround(fabs(v) * (double)scale);
	snprintf(buf, size, "%s%lld", v < 0 && units ? "-" : "", units / scale);
	if (i)
		snprintf(buf + strlen(buf), size - strlen(buf), ".%0*lld", i, units % scale);
}

int logline_add_double(json_object *obj, const char *key, double v, int decimals)
{
	char text[64];

	format_fixed(text, sizeof(text), v, decimals);
	return json_object_object_add(obj, key, json_object_new_double_s(v, text));
}

static void add_u64(json_object *obj, const char *key, unsigned long long v)
{
	json_object_object_add(obj, key, json_object_new_uint64(v));
}

void logline_timestamp(const struct timespec *ts, char *buf, size_t size)
{
	struct tm tm;
	size_t n;

	localtime_r(&ts->tv_sec, &tm);
	n = strftime(buf, size, "%Y-%m-%d %H:%M:%S", &tm);
	snprintf(buf + n, size - n, ".%06u", (unsigned int)(ts->tv_nsec / 1000) % 1000000u);
}

json_object *logline_sample(const struct sample *s)
{
	json_object *o = json_object_new_object();
	json_object *mem, *cpu, *sched;
	char ts[48];

	if (!o)
		return NULL;
	logline_timestamp(&s->wall, ts, sizeof(ts));
	json_object_object_add(o, "timestamp", json_object_new_string(ts));
	logline_add_double(o, "elapsed_time", s->elapsed_s, 6);
	json_object_object_add(o, "pid", json_object_new_int(s->pid));
	json_object_object_add(o, "ppid", json_object_new_int(s->ppid));

	mem = json_object_new_object();
	add_u64(mem, "rss", s->rss_bytes);
	add_u64(mem, "vms", s->vms_bytes);
	add_u64(mem, "pfaults", s->pfaults);
	add_u64(mem, "pageins", s->pageins);
	add_u64(mem, "rss_peak", s->rss_peak_bytes);
	json_object_object_add(o, "memory_info", mem);

	cpu = json_object_new_object();
	logline_add_double(cpu, "user", s->user_s, 2);
	logline_add_double(cpu, "system", s->system_s, 2);
	logline_add_double(cpu, "children_user", s->children_user_s, 2);
	logline_add_double(cpu, "children_system", s->children_system_s, 2);
	json_object_object_add(o, "cpu_times", cpu);

	sched = json_object_new_object();
	add_u64(sched, "oncpu_ns", s->oncpu_ns);
	add_u64(sched, "runq_wait_ns", s->runq_wait_ns);
	add_u64(sched, "voluntary", s->voluntary);
	add_u64(sched, "involuntary", s->involuntary);
	add_u64(sched, "offcpu_preempted_ns", s->offcpu_preempted_ns);
	add_u64(sched, "offcpu_blocked_ns", s->offcpu_blocked_ns);
	add_u64(sched, "offcpu_sleep_ns", s->offcpu_sleep_ns);
	json_object_object_add(o, "sched", sched);

	json_object_object_add(o, "num_threads", json_object_new_int64(s->num_threads));
	if (s->labels_lost)
		add_u64(o, "labels_lost", s->labels_lost);
	return o;
}

static const char *const mark_suffix[] = {
	[LOGLINE_PLAIN] = "",
	[LOGLINE_START] = "-START",
	[LOGLINE_STOP] = "-STOP",
};

int logline_format(char *buf, size_t size, enum log_format format, pid_t self,
		   enum logline_mark mark, json_object *obj, const struct timespec *wall)
{
	const char *json = json_object_to_json_string_ext(obj, JSON_C_TO_STRING_SPACED |
							  JSON_C_TO_STRING_NOSLASHESCAPE);
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
			     "ProcessLoggingThread-JSON%s %s\n", date, wall->tv_nsec / 1000000,
			     (int)self, mark_suffix[mark], json);
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

int logwriter_put(struct logwriter *w, enum logline_mark mark, json_object *obj,
		  const struct timespec *wall)
{
	char small[4096], *buf = small;
	size_t size = sizeof(small);
	int n, err;

	if (w->err)
		return w->err;
	for (;;) {
		n = logline_format(buf, size, w->format, w->self, mark, obj, wall);
		if (n != -ENOSPC)
			break;
		if (buf != small)
			free(buf);
		size *= 4;
		buf = malloc(size);
		if (!buf)
			return -ENOMEM;
	}
	err = write_all(w->fd, buf, (size_t)n);
	if (buf != small)
		free(buf);
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
