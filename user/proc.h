/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The /proc readers: a target's stat and io files, opened once and re-read
 * with pread, so a reused PID can never hand us another process's numbers. */
#ifndef PROCMON_PROC_H
#define PROCMON_PROC_H

#include <stdbool.h>
#include <sys/types.h>

struct proc_files {
	int stat_fd;
	int io_fd;			/* -1: not readable (another user's, no privilege) */
};

/* /proc/PID/io: the kernel's per-task I/O accounting, summed over the threads
 * (and the threads that have exited), since the process started. */
struct proc_io {
	unsigned long long rchar, wchar;	/* bytes through read/write-like calls */
	unsigned long long syscr, syscw;	/* those calls */
	unsigned long long read_bytes;		/* bytes fetched from storage */
	unsigned long long write_bytes;		/* bytes dirtied for storage */
	unsigned long long cancelled_write_bytes;	/* dirtied, then truncated away */
};

struct proc_stat {
	char comm[64];
	char state;
	pid_t ppid;
	unsigned int flags;		/* PF_* */
	unsigned long minflt, majflt;
	unsigned long long utime, stime, cutime, cstime;	/* clock ticks */
	long num_threads;
	unsigned long long starttime;	/* clock ticks after boot */
	unsigned long long vsize_bytes;
	unsigned long long rss_bytes;	/* resident pages (field 24) in bytes */
};

#define PROC_PF_KTHREAD 0x00200000u

/* Open /proc/PID/stat, and io when it can be read. 0 or -errno (-ENOENT: no such
 * process). */
int proc_open(struct proc_files *pf, pid_t pid);
/* Re-read both files. 0 or -errno (-ESRCH once the process is gone); on an
 * error @st is left as it was. */
int proc_read(const struct proc_files *pf, struct proc_stat *st);
void proc_close(struct proc_files *pf);

/* Re-read the io file. 0 or -errno (-EBADF when it was not opened); on an error
 * @io is left as it was. */
int proc_read_io(const struct proc_files *pf, struct proc_io *io);

/* Parse the text of /proc/PID/io (@buf NUL-terminated). 0 or -EINVAL. */
int proc_parse_io(const char *buf, struct proc_io *io);

/* Parse the text of /proc/PID/stat (@buf NUL-terminated). 0 or -EINVAL. */
int proc_parse_stat(const char *buf, struct proc_stat *st);

/* Read a small /proc file at @path into @buf (NUL-terminated). Bytes or -errno. */
ssize_t proc_read_file(const char *path, char *buf, size_t size);

/* The command line of @pid with arguments joined by spaces, in a malloc'd string
 * (empty for a kernel thread or a zombie); NULL on error. Whole up to
 * PROC_CMDLINE_MAX bytes, cut there (between characters) with *@truncated set. */
#define PROC_CMDLINE_MAX (128 * 1024)
char *proc_cmdline(pid_t pid, bool *truncated);

/* The thread IDs of @pid (/proc/PID/task) into a malloc'd array. Count, or -errno. */
int proc_thread_ids(pid_t pid, pid_t **tids);

/* A process whose main thread has exited while others run shows that thread, a
 * zombie, in /proc/PID (no memory at all, no maps): a live thread of @pid other
 * than the main one, its stat into @st (may be NULL). Its TID, or -ESRCH. */
pid_t proc_live_thread(pid_t pid, struct proc_stat *st);

#endif /* PROCMON_PROC_H */
