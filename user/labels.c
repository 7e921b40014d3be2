// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Puts the label uprobe on each file that defines procmon_label (and --mark
 * symbols): once per file, since a uprobe belongs to the inode, not to a process;
 * BPF's targets map sorts out which calls are ours. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "elf_symbols.h"
#include "labels.h"
#include "path_search.h"
#include "proc_maps.h"
#include "safe_text.h"
#include "utf8.h"

void labels_init(struct label_probes *lp, struct bpf_program *prog,
		 const char *const *marks, int n_marks, bool verbose)
{
	memset(lp, 0, sizeof(*lp));
	lp->prog = prog;
	lp->marks = marks;
	lp->n_marks = n_marks;
	lp->verbose = verbose;
}

void labels_destroy(struct label_probes *lp)
{
	size_t i;

	for (i = 0; i < lp->n_links; i++)
		bpf_link__destroy(lp->links[i]);
	free(lp->links);
	free(lp->seen);
	memset(lp, 0, sizeof(*lp));
}

static bool seen_before(struct label_probes *lp, const struct stat *st)
{
	struct probed_file *grown;
	size_t i;

	for (i = 0; i < lp->n_seen; i++)
		if (lp->seen[i].dev == st->st_dev && lp->seen[i].ino == st->st_ino)
			return true;
	if (lp->n_seen == lp->cap_seen) {
		size_t cap = lp->cap_seen ? lp->cap_seen * 2 : 32;

		grown = realloc(lp->seen, cap * sizeof(*grown));
		if (!grown)
			return true;	/* out of memory: do not probe */
		lp->seen = grown;
		lp->cap_seen = cap;
	}
	lp->seen[lp->n_seen++] = (struct probed_file){ st->st_dev, st->st_ino };
	return false;
}

static int attach(struct label_probes *lp, const char *path, const char *symbol,
		  __u64 cookie)
{
	LIBBPF_OPTS(bpf_uprobe_opts, opts, .func_name = symbol, .bpf_cookie = cookie);
	struct bpf_link *link, **grown;

	if (lp->n_links == lp->cap_links) {
		size_t cap = lp->cap_links ? lp->cap_links * 2 : 16;

		grown = realloc(lp->links, cap * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		lp->links = grown;
		lp->cap_links = cap;
	}
	/* pid -1: every process running this file; BPF keeps the targets' calls. */
	link = bpf_program__attach_uprobe_opts(lp->prog, -1, path, 0, &opts);
	if (!link)
		return -errno;
	lp->links[lp->n_links++] = link;
	if (lp->verbose) {
		char *safe_path = safe_text_dup(path), *safe_symbol = safe_text_dup(symbol);

		if (safe_path && safe_symbol)
			fprintf(stderr, "procmon: uprobe on '%s' in '%s'\n", safe_symbol, safe_path);
		free(safe_path);
		free(safe_symbol);
	}
	return 1;
}

int labels_probe_file(struct label_probes *lp, const char *path)
{
	struct stat st;
	int i, n = 0, err;

	if (stat(path, &st))
		return -errno;
	if (!S_ISREG(st.st_mode) || seen_before(lp, &st))
		return 0;
	if (elf_defines_symbol(path, PROCMON_LABEL_SYMBOL) == 1) {
		err = attach(lp, path, PROCMON_LABEL_SYMBOL, 0);
		if (err < 0)
			return err;
		n++;
	}
	for (i = 0; i < lp->n_marks; i++) {
		if (elf_defines_symbol(path, lp->marks[i]) != 1)
			continue;
		err = attach(lp, path, lp->marks[i], (__u64)i + 1);
		if (err < 0)
			return err;
		lp->marks_found |= 1u << i;
		n++;
	}
	return n;
}

int labels_scan_process(struct label_probes *lp, pid_t pid)
{
	char **paths;
	size_t n, i;
	int err, attached = 0;

	err = proc_mapped_objects(pid, &paths, &n);
	if (err)
		return err;
	for (i = 0; i < n; i++) {
		err = labels_probe_file(lp, paths[i]);
		if (err > 0)
			attached += err;
	}
	proc_mapped_objects_free(paths, n);
	return attached;
}

void labels_on_map(struct label_probes *lp, pid_t pid, int fd)
{
	char link[64], path[PATH_MAX];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/%d/fd/%d", (int)pid, fd);
	n = readlink(link, path, sizeof(path) - 1);
	if (n > 0) {
		path[n] = '\0';
		labels_probe_file(lp, path);
	}
}

char *labels_resolve_command(const char *file)
{
	char found[PATH_MAX];

	if (strchr(file, '/'))
		return realpath(file, NULL);
	if (path_search(file, getenv("PATH"), found, sizeof(found)))
		return NULL;
	return realpath(found, NULL);
}

void labels_decode(const struct label_probes *lp, const struct procmon_event_label *ev,
		   char repaired[LABEL_TEXT_SIZE], struct log_label *out)
{
	size_t len = 0;

	memset(out, 0, sizeof(*out));
	out->tid = (pid_t)ev->head.tid;
	out->at = ev->at;
	if (ev->mark && ev->mark <= (__u32)lp->n_marks) {
		out->text = lp->marks[ev->mark - 1];
		out->mark = true;
		return;
	}
	if (ev->len > 0)
		len = (size_t)ev->len - 1;	/* the NUL */
	if (len > PROCMON_LABEL_MAX) {
		len = utf8_cut(ev->text, PROCMON_LABEL_MAX);
		out->truncated = true;
	}
	utf8_repair(ev->text, len, repaired);
	out->text = repaired;
	if (ev->len < 0)
		out->read_error = ev->len;
}
