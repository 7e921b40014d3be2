/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Label probes: find the ELF objects of a target that define procmon_label (or a
 * --mark symbol) and put a uprobe on each for that process; say what a label
 * event says. */
#ifndef PROCMON_LABELS_H
#define PROCMON_LABELS_H

#include <stdbool.h>
#include <sys/types.h>
#include <linux/types.h>
#include "link_reaper.h"
#include "logformat.h"
#include "procmon.h"

#define PROCMON_LABEL_SYMBOL "procmon_label"

struct bpf_program;
struct bpf_link;

/* A file looked at once (by device and inode): which of our symbols it has. */
struct probe_file {
	dev_t dev;
	ino_t ino;
	unsigned int wants;		/* bit 0: procmon_label; bit n: --mark n */
	unsigned int ifuncs;		/* the same, defined only as an IFUNC */
	bool warned;			/* its attach failure was reported */
};

/* One process's uprobes in one file: a link per symbol, NULL once tried and
 * failed. Destroyed when the process exits, so their number stays bounded by
 * the processes traced at once. */
struct probe_link {
	pid_t pid;
	size_t file;			/* index in label_probes.files */
	struct bpf_link *link;
};

/* The label uprobe program, loaded on its first use (a run without a label site
 * does not pay for it); NULL, errno set, when it cannot be. */
typedef struct bpf_program *(*label_prog_fn)(void *ctx);

struct label_probes {
	label_prog_fn get_prog;
	void *prog_ctx;
	int probed_fd;			/* BPF's set of processes with uprobes, or -1 */
	int plain_files_fd;		/* BPF's files without symbols (no hold), or -1 */
	const char *const *marks;	/* --mark symbols; cookie n is marks[n - 1] */
	int n_marks;
	bool verbose;
	struct probe_file *files;
	size_t n_files, cap_files;
	struct probe_link *links;
	size_t n_links, cap_links;
	unsigned int marks_found;	/* bit n-1: mark n attached somewhere */
	struct link_reaper reaper;	/* destroys the links of exited processes */
};

void labels_init(struct label_probes *lp, label_prog_fn get_prog, void *prog_ctx, int probed_fd,
		 const char *const *marks, int n_marks, bool verbose);
void labels_destroy(struct label_probes *lp);

/* Put the uprobes of @path (if it defines a symbol we want) into process @pid,
 * once per process and file. The kernel plants them in @pid's memory only, now
 * and whenever it maps the file later (after exec too). Attached count, or -errno. */
int labels_probe_file(struct label_probes *lp, pid_t pid, const char *path);

/* Probe every executable object mapped by @pid. Attached count or -errno. */
int labels_scan_process(struct label_probes *lp, pid_t pid);

/* Probe the file target @pid mapped through @fd (PROCMON_EV_MAP). */
void labels_on_map(struct label_probes *lp, pid_t pid, int fd);

/* Has @pid uprobes of its own? */
bool labels_has_probes(const struct label_probes *lp, pid_t pid);

/* @pid has exited: destroy its uprobes. */
void labels_forget(struct label_probes *lp, pid_t pid);

/* @pid has exec'd: a new image, whose files may take probes that failed before. */
void labels_exec(struct label_probes *lp, pid_t pid);

/* @pid's main thread exited while others run: its uprobes move to a live thread. */
void labels_main_thread_exited(struct label_probes *lp, pid_t pid);

/* The path execvp would run for @file, in a malloc'd string; NULL if none. */
char *labels_resolve_command(const char *file);

/* Room for a label's text with every byte repaired, and the NUL. */
#define LABEL_TEXT_SIZE (3 * sizeof(((struct procmon_event_label *)0)->text) + 1)

/* What label event @ev says: its text (a --mark's symbol, or the label cut to
 * PROCMON_LABEL_MAX and repaired to UTF-8 into @repaired), the calling thread and
 * the counters; out->elapsed_s is left 0 for the caller. */
void labels_decode(const struct label_probes *lp, const struct procmon_event_label *ev,
		   char repaired[LABEL_TEXT_SIZE], struct log_label *out);

#endif /* PROCMON_LABELS_H */
