/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Label probes: find the ELF objects of a target that define procmon_label (or a
 * --mark symbol) and put one uprobe on each file; say what a label event says. */
#ifndef PROCMON_LABELS_H
#define PROCMON_LABELS_H

#include <stdbool.h>
#include <sys/types.h>
#include <linux/types.h>
#include "logformat.h"
#include "procmon.h"

#define PROCMON_LABEL_SYMBOL "procmon_label"

struct bpf_program;
struct bpf_link;

struct probed_file {
	dev_t dev;
	ino_t ino;
};

struct label_probes {
	struct bpf_program *prog;
	const char *const *marks;	/* --mark symbols; cookie n is marks[n - 1] */
	int n_marks;
	bool verbose;
	struct probed_file *seen;	/* files already looked at, probed or not */
	size_t n_seen, cap_seen;
	struct bpf_link **links;
	size_t n_links, cap_links;
	unsigned int marks_found;	/* bit n-1: mark n attached somewhere */
};

void labels_init(struct label_probes *lp, struct bpf_program *prog,
		 const char *const *marks, int n_marks, bool verbose);
void labels_destroy(struct label_probes *lp);

/* Probe @path once (by device and inode) if it defines a symbol we want.
 * Returns the number of uprobes attached (0: nothing there), or -errno. */
int labels_probe_file(struct label_probes *lp, const char *path);

/* Probe every executable object mapped by @pid. Attached count or -errno. */
int labels_scan_process(struct label_probes *lp, pid_t pid);

/* Probe the file a target mapped through @fd (PROCMON_EV_MAP). */
void labels_on_map(struct label_probes *lp, pid_t pid, int fd);

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
