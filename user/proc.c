// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Reads a target's /proc/PID/stat and statm through descriptors opened once,
 * parsed without trusting the command name (it may hold spaces and ')'). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "proc.h"
#include "utf8.h"

int proc_open(struct proc_files *pf, pid_t pid)
{
	char path[64];
	int err;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	pf->stat_fd = open(path, O_RDONLY | O_CLOEXEC);
	if (pf->stat_fd < 0)
		return -errno;
	snprintf(path, sizeof(path), "/proc/%d/statm", (int)pid);
	pf->statm_fd = open(path, O_RDONLY | O_CLOEXEC);
	if (pf->statm_fd < 0) {
		err = -errno;
		close(pf->stat_fd);
		pf->stat_fd = -1;
		return err;
	}
	return 0;
}

void proc_close(struct proc_files *pf)
{
	if (pf->stat_fd >= 0)
		close(pf->stat_fd);
	if (pf->statm_fd >= 0)
		close(pf->statm_fd);
	pf->stat_fd = pf->statm_fd = -1;
}

int proc_parse_stat(const char *buf, struct proc_stat *st)
{
	const char *open_paren = strchr(buf, '(');
	const char *close_paren = strrchr(buf, ')');
	size_t comm_len;
	int n;

	if (!open_paren || !close_paren || close_paren < open_paren)
		return -EINVAL;
	comm_len = (size_t)(close_paren - open_paren - 1);
	if (comm_len >= sizeof(st->comm))
		comm_len = sizeof(st->comm) - 1;
	memcpy(st->comm, open_paren + 1, comm_len);
	st->comm[comm_len] = '\0';
	/* Fields 3..23 of proc(5): state ppid pgrp session tty tpgid flags minflt
	 * cminflt majflt cmajflt utime stime cutime cstime priority nice
	 * num_threads itrealvalue starttime vsize. */
	n = sscanf(close_paren + 1,
		   " %c %d %*d %*d %*d %*d %u %lu %*u %lu %*u %llu %llu %llu %llu %*d %*d %ld %*d %llu %llu",
		   &st->state, &st->ppid, &st->flags, &st->minflt, &st->majflt,
		   &st->utime, &st->stime, &st->cutime, &st->cstime, &st->num_threads,
		   &st->starttime, &st->vsize_bytes);
	return n == 12 ? 0 : -EINVAL;
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
	unsigned long long size_pages, resident_pages;
	struct proc_stat fresh;
	ssize_t n;
	int err;

	/* Into @fresh first: a process reaped between the two reads must not leave
	 * @st half new (a zombie's vsize 0) and half old (its last rss). */
	n = pread_text(pf->stat_fd, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	if (n == 0)
		return -ESRCH;
	err = proc_parse_stat(buf, &fresh);
	if (err)
		return err;
	n = pread_text(pf->statm_fd, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	if (sscanf(buf, "%llu %llu", &size_pages, &resident_pages) != 2)
		size_pages = resident_pages = 0;	/* a zombie has no mm */
	fresh.rss_bytes = resident_pages * (unsigned long long)sysconf(_SC_PAGESIZE);
	*st = fresh;
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

char *proc_cmdline(pid_t pid)
{
	char path[64], buf[4096], *repaired;
	ssize_t n, i;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	n = proc_read_file(path, buf, sizeof(buf));
	if (n < 0)
		return NULL;
	while (n > 0 && buf[n - 1] == '\0')
		n--;
	for (i = 0; i < n; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
	buf[n] = '\0';
	/* Arguments are any bytes: the log wants UTF-8. */
	repaired = malloc(3 * (size_t)n + 1);
	if (repaired)
		utf8_repair(buf, (size_t)n, repaired);
	return repaired;
}
