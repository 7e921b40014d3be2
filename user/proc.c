// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Reads a target's /proc/PID/stat and io through descriptors opened once, stat
 * parsed without trusting the command name (it may hold spaces and ')'); lists
 * its threads. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "proc.h"
#include "utf8.h"

int proc_open(struct proc_files *pf, pid_t pid)
{
	char path[64];

	pf->io_fd = -1;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	pf->stat_fd = open(path, O_RDONLY | O_CLOEXEC);
	if (pf->stat_fd < 0)
		return -errno;
	/* The kernel checks ptrace access at open (root, or the same user): a
	 * target we may not read has no io_counters, and is traced all the same. */
	snprintf(path, sizeof(path), "/proc/%d/io", (int)pid);
	pf->io_fd = open(path, O_RDONLY | O_CLOEXEC);
	return 0;
}

void proc_close(struct proc_files *pf)
{
	if (pf->stat_fd >= 0)
		close(pf->stat_fd);
	if (pf->io_fd >= 0)
		close(pf->io_fd);
	pf->stat_fd = pf->io_fd = -1;
}

static unsigned long long page_size(void)
{
	static unsigned long long size;

	if (!size)
		size = (unsigned long long)sysconf(_SC_PAGESIZE);
	return size;
}

int proc_parse_stat(const char *buf, struct proc_stat *st)
{
	const char *open_paren = strchr(buf, '(');
	const char *close_paren = strrchr(buf, ')');
	long long rss_pages = 0;
	const char *p;
	char *end;
	size_t comm_len;
	int field;

	if (!open_paren || !close_paren || close_paren < open_paren)
		return -EINVAL;
	comm_len = (size_t)(close_paren - open_paren - 1);
	if (comm_len >= sizeof(st->comm))
		comm_len = sizeof(st->comm) - 1;
	memcpy(st->comm, open_paren + 1, comm_len);
	st->comm[comm_len] = '\0';
	/* Fields 3..24 of proc(5), space-separated after the ')': state ppid pgrp
	 * session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime
	 * cstime priority nice num_threads itrealvalue starttime vsize rss. rss is
	 * get_mm_rss(), what statm's resident says: one file a sample, not two.
	 * Read field by field: sscanf was a sixth of a sample's cost. */
	p = close_paren + 1;
	while (*p == ' ')
		p++;
	if (!*p)
		return -EINVAL;
	st->state = *p++;
	for (field = 4; field <= 24; field++) {
		long long v;

		if (*p != ' ')
			return -EINVAL;
		v = strtoll(p + 1, &end, 10);
		if (end == p + 1)
			return -EINVAL;
		p = end;
		switch (field) {
		case 4: st->ppid = (pid_t)v; break;
		case 9: st->flags = (unsigned int)v; break;
		case 10: st->minflt = (unsigned long)v; break;
		case 12: st->majflt = (unsigned long)v; break;
		case 14: st->utime = (unsigned long long)v; break;
		case 15: st->stime = (unsigned long long)v; break;
		case 16: st->cutime = (unsigned long long)v; break;
		case 17: st->cstime = (unsigned long long)v; break;
		case 20: st->num_threads = (long)v; break;
		case 22: st->starttime = (unsigned long long)v; break;
		case 23: st->vsize_bytes = (unsigned long long)v; break;
		case 24: rss_pages = v; break;
		}
	}
	st->rss_bytes = rss_pages > 0 ? (unsigned long long)rss_pages * page_size() : 0;
	return 0;
}

static ssize_t pread_text(int fd, char *buf, size_t size)
{
	ssize_t n = pread(fd, buf, size - 1, 0);

	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return n;
}

int proc_read(const struct proc_files *pf, struct proc_stat *st)
{
	char buf[1024];
	struct proc_stat fresh;
	ssize_t n;
	int err;

	/* Into @fresh first: a failed read leaves the caller's last good values. */
	n = pread_text(pf->stat_fd, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	if (n == 0)
		return -ESRCH;
	err = proc_parse_stat(buf, &fresh);
	if (err)
		return err;
	*st = fresh;
	return 0;
}

int proc_parse_io(const char *buf, struct proc_io *io)
{
	static const struct {
		const char *key;
		size_t offset;
	} fields[] = {
		{ "rchar:", offsetof(struct proc_io, rchar) },
		{ "wchar:", offsetof(struct proc_io, wchar) },
		{ "syscr:", offsetof(struct proc_io, syscr) },
		{ "syscw:", offsetof(struct proc_io, syscw) },
		{ "read_bytes:", offsetof(struct proc_io, read_bytes) },
		{ "write_bytes:", offsetof(struct proc_io, write_bytes) },
		{ "cancelled_write_bytes:", offsetof(struct proc_io, cancelled_write_bytes) },
	};
	const char *p = buf;
	size_t i;

	/* "key: value" lines in the kernel's order (fs/proc/base.c, do_io_accounting). */
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		size_t len = strlen(fields[i].key);
		char *end;

		if (strncmp(p, fields[i].key, len))
			return -EINVAL;
		*(unsigned long long *)((char *)io + fields[i].offset) = strtoull(p + len, &end, 10);
		if (end == p + len || *end != '\n')
			return -EINVAL;
		p = end + 1;
	}
	return 0;
}

int proc_read_io(const struct proc_files *pf, struct proc_io *io)
{
	char buf[512];
	struct proc_io fresh;
	ssize_t n;
	int err;

	if (pf->io_fd < 0)
		return -EBADF;
	n = pread_text(pf->io_fd, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	if (n == 0)
		return -ESRCH;
	err = proc_parse_io(buf, &fresh);
	if (err)
		return err;
	*io = fresh;
	return 0;
}

ssize_t proc_read_file(const char *path, char *buf, size_t size)
{
	ssize_t n, total = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	while ((size_t)total < size - 1) {
		n = read(fd, buf + total, size - 1 - total);
		if (n < 0) {
			n = -errno;
			close(fd);
			return n;
		}
		if (n == 0)
			break;
		total += n;
	}
	close(fd);
	buf[total] = '\0';
	return total;
}

char *proc_cmdline(pid_t pid, bool *truncated)
{
	char path[64], *buf, *repaired;
	ssize_t n, i;

	*truncated = false;
	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	/* One byte past the cap says whether there was more. */
	buf = malloc(PROC_CMDLINE_MAX + 2);
	if (!buf)
		return NULL;
	n = proc_read_file(path, buf, PROC_CMDLINE_MAX + 2);
	if (n < 0) {
		free(buf);
		return NULL;
	}
	if (n > PROC_CMDLINE_MAX) {
		n = (ssize_t)utf8_cut(buf, PROC_CMDLINE_MAX);
		*truncated = true;
	}
	while (n > 0 && buf[n - 1] == '\0')
		n--;
	for (i = 0; i < n; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
	/* Arguments are any bytes: the log wants UTF-8. */
	repaired = malloc(3 * (size_t)n + 1);
	if (repaired)
		utf8_repair(buf, (size_t)n, repaired);
	free(buf);
	return repaired;
}

int proc_thread_ids(pid_t pid, pid_t **tids)
{
	char path[64];
	struct dirent *de;
	pid_t *ids = NULL, *grown;
	int n = 0, cap = 0;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	dir = opendir(path);
	if (!dir)
		return -errno;
	while ((de = readdir(dir))) {
		char *end;
		long tid = strtol(de->d_name, &end, 10);

		if (*end || tid <= 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			grown = realloc(ids, sizeof(*ids) * (size_t)cap);
			if (!grown) {
				free(ids);
				closedir(dir);
				return -ENOMEM;
			}
			ids = grown;
		}
		ids[n++] = (pid_t)tid;
	}
	closedir(dir);
	*tids = ids;
	return n;
}

pid_t proc_live_thread(pid_t pid, struct proc_stat *st)
{
	char path[96], buf[1024];
	struct proc_stat ts;
	pid_t *tids = NULL, found = -ESRCH;
	int i, n = proc_thread_ids(pid, &tids);

	for (i = 0; i < n && found < 0; i++) {
		if (tids[i] == pid)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", (int)pid, (int)tids[i]);
		if (proc_read_file(path, buf, sizeof(buf)) <= 0 || proc_parse_stat(buf, &ts) ||
		    ts.state == 'Z' || ts.state == 'X')
			continue;
		found = tids[i];
		if (st)
			*st = ts;
	}
	free(tids);
	return n < 0 ? n : found;
}
