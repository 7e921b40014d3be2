/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Label probes: find the ELF objects of a target that define procmon_label (or a
 * --mark symbol) and put one uprobe on each file; turn label events into keys. */
#ifndef PROCMON_LABELS_H
#define PROCMON_LABELS_H

#include <stdbool.h>
#include <sys/types.h>
#include <json-c/json.h>
#include <linux/types.h>
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

/* The keys a label event adds to its line: label (UTF-8 repaired), tid,
 * label_elapsed_time, label_truncated, label_read_error, mark, at_label.
 * @start_mono_s is the process's creation time. A new object, or NULL. */
json_object *label_event_keys(const struct label_probes *lp,
			      const struct procmon_event_label *ev, double start_mono_s);

#endif /* PROCMON_LABELS_H */
