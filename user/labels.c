// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Puts the label uprobe (and --mark uprobes) in each target process that maps a
 * file defining procmon_label: per process, so the kernel plants breakpoints in
 * the targets' memory only and no other process running the file ever traps. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "elf_symbols.h"
#include "labels.h"
#include "path_search.h"
#include "proc.h"
#include "proc_maps.h"
#include "safe_text.h"
#include "utf8.h"

void labels_init(struct label_probes *lp, label_prog_fn get_prog, void *prog_ctx, int probed_fd,
		 const char *const *marks, int n_marks, bool verbose)
{
	memset(lp, 0, sizeof(*lp));
	lp->get_prog = get_prog;
	lp->prog_ctx = prog_ctx;
	lp->probed_fd = probed_fd;
	lp->plain_files_fd = -1;
	lp->marks = marks;
	lp->n_marks = n_marks;
	lp->verbose = verbose;
	link_reaper_init(&lp->reaper);
}

void labels_destroy(struct label_probes *lp)
{
	size_t i;

	/* The reaper's thread closes what it can; whatever is past its bound, here. */
	for (i = 0; i < lp->n_links; i++)
		link_reaper_put(&lp->reaper, lp->links[i].link);
	link_reaper_stop(&lp->reaper);
	free(lp->links);
	free(lp->files);
	memset(lp, 0, sizeof(*lp));
}

/* Grow *@array of @size-byte items to hold one more than *@cap. 0 or -ENOMEM. */
static int make_room(void **array, size_t n, size_t *cap, size_t size)
{
	void *grown;
	size_t want;

	if (n < *cap)
		return 0;
	want = *cap ? *cap * 2 : 16;
	grown = realloc(*array, want * size);
	if (!grown)
		return -ENOMEM;
	*array = grown;
	*cap = want;
	return 0;
}

/* Which of our symbols the file at @path defines: bit 0 procmon_label, bit n
 * --mark n; IFUNCs (no fixed code to probe) in *@ifuncs. */
static unsigned int symbols_in(const struct label_probes *lp, const char *path,
			       unsigned int *ifuncs)
{
	unsigned int wants = 0;
	int i, kind;

	*ifuncs = 0;
	for (i = 0; i <= lp->n_marks; i++) {
		kind = elf_defines_symbol(path, i ? lp->marks[i - 1] : PROCMON_LABEL_SYMBOL);
		if (kind == ELF_SYMBOL_FUNC)
			wants |= 1u << i;
		else if (kind == ELF_SYMBOL_IFUNC)
			*ifuncs |= 1u << i;
	}
	return wants;
}

/* The file behind @st, looked at once (by device and inode), or NULL. */
static struct probe_file *file_of(struct label_probes *lp, const char *path,
				  const struct stat *st)
{
	struct probe_file *f;
	size_t i;

	for (i = 0; i < lp->n_files; i++)
		if (lp->files[i].dev == st->st_dev && lp->files[i].ino == st->st_ino)
			return &lp->files[i];
	if (make_room((void **)&lp->files, lp->n_files, &lp->cap_files, sizeof(*f)))
		return NULL;
	f = &lp->files[lp->n_files++];
	memset(f, 0, sizeof(*f));
	f->dev = st->st_dev;
	f->ino = st->st_ino;
	f->wants = symbols_in(lp, path, &f->ifuncs);
	return f;
}

/* Once per file, without -v: a label probe that cannot go in means missing
 * labels, which nobody would otherwise notice. */
static void warn_once(struct label_probes *lp, struct probe_file *f, const char *path, int sym,
		      const char *why)
{
	char *safe_path, *safe_sym, *safe_why;

	if (f->warned)
		return;
	f->warned = true;
	safe_path = safe_text_dup(path);
	safe_sym = safe_text_dup(sym ? lp->marks[sym - 1] : PROCMON_LABEL_SYMBOL);
	safe_why = safe_text_dup(why);
	if (!safe_path || !safe_sym || !safe_why)
		goto out;
	if (sym)
		fprintf(stderr, "procmon: warning: cannot attach --mark '%s' in '%s': %s; "
			"its calls will be missing\n", safe_sym, safe_path, safe_why);
	else
		fprintf(stderr, "procmon: warning: cannot attach the label probe in '%s': %s; "
			"labels from it will be missing\n", safe_path, safe_why);
out:
	free(safe_path);
	free(safe_sym);
	free(safe_why);
}

/* Has @pid been given the probes of file @file (or tried)? */
static bool attached_before(const struct label_probes *lp, pid_t pid, size_t file)
{
	size_t i;

	for (i = 0; i < lp->n_links; i++)
		if (lp->links[i].pid == pid && lp->links[i].file == file)
			return true;
	return false;
}

/* Keep @link (NULL: tried, failed) for @pid; the first one marks @pid probed,
 * so BPF holds its -c children until they have theirs. 0 or -ENOMEM. */
static int keep_link(struct label_probes *lp, pid_t pid, size_t file, struct bpf_link *link)
{
	__u32 key = (__u32)pid;
	__u8 one = 1;
	bool first = link && !labels_has_probes(lp, pid);

	if (make_room((void **)&lp->links, lp->n_links, &lp->cap_links, sizeof(*lp->links))) {
		bpf_link__destroy(link);
		return -ENOMEM;
	}
	lp->links[lp->n_links++] = (struct probe_link){ pid, file, link };
	if (first && lp->probed_fd >= 0)
		bpf_map_update_elem(lp->probed_fd, &key, &one, BPF_ANY);
	return 0;
}

/* The uprobe on symbol @sym (0: procmon_label, n: --mark n) of @path, for
 * process @pid only (through thread @tid: the main one unless it has exited). */
static struct bpf_link *attach(struct label_probes *lp, pid_t tid, const char *path, int sym)
{
	const char *symbol = sym ? lp->marks[sym - 1] : PROCMON_LABEL_SYMBOL;
	LIBBPF_OPTS(bpf_uprobe_opts, opts, .func_name = symbol, .bpf_cookie = (__u64)sym);
	struct bpf_program *prog = lp->get_prog ? lp->get_prog(lp->prog_ctx) : NULL;
	struct bpf_link *link;

	if (!prog)
		return NULL;
	link_reaper_attaching(&lp->reaper);
	link = bpf_program__attach_uprobe_opts(prog, tid, path, 0, &opts);
	if (link && lp->verbose) {
		char *safe_path = safe_text_dup(path), *safe_symbol = safe_text_dup(symbol);

		if (safe_path && safe_symbol)
			fprintf(stderr, "procmon: uprobe on '%s' in '%s' for PID %d\n", safe_symbol,
				safe_path, (int)tid);
		free(safe_path);
		free(safe_symbol);
	}
	return link;
}

/* Every wanted symbol of file @fi (at @path) into process @pid, through its
 * thread @tid. Attached count. */
static int attach_file(struct label_probes *lp, pid_t pid, pid_t tid, size_t fi,
		       const char *path)
{
	struct probe_file *f = &lp->files[fi];
	int sym, n = 0;

	for (sym = 0; sym <= lp->n_marks; sym++) {
		struct bpf_link *link = NULL;

		if (f->ifuncs & ~f->wants & (1u << sym))
			warn_once(lp, f, path, sym, "it is an IFUNC, whose code is chosen at run time");
		if (!(f->wants & (1u << sym)))
			continue;
		link = attach(lp, tid, path, sym);
		if (!link) {
			/* Since Linux 6.15 (and stable kernels before it) a uprobe needs
			 * CAP_SYS_ADMIN: CAP_PERFMON, all a file-capability install
			 * has, is not enough. */
			warn_once(lp, f, path, sym, errno == EACCES || errno == EPERM ?
				  "permission denied (uprobes need CAP_SYS_ADMIN)" : strerror(errno));
			continue;
		}
		if (keep_link(lp, pid, fi, link))
			break;
		if (sym)
			lp->marks_found |= 1u << (sym - 1);
		n++;
	}
	if (!n)
		keep_link(lp, pid, fi, NULL);	/* tried: not again for this process */
	return n;
}

/* The thread a uprobe for process @pid goes through: a uprobe with a PID follows
 * that thread's memory, which is gone once it has exited; the main thread, or a
 * live one when it is a zombie while others run (pthread_exit in main). */
static pid_t probe_tid(pid_t pid)
{
	char path[64], buf[1024];
	struct proc_stat st;
	pid_t live;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (proc_read_file(path, buf, sizeof(buf)) <= 0 || proc_parse_stat(buf, &st) ||
	    st.state != 'Z')
		return pid;
	live = proc_live_thread(pid, NULL);
	return live > 0 ? live : pid;
}

int labels_probe_file(struct label_probes *lp, pid_t pid, const char *path)
{
	struct probe_file *f;
	struct stat st;
	size_t fi;

	if (stat(path, &st))
		return -errno;
	if (!S_ISREG(st.st_mode))
		return 0;
	f = file_of(lp, path, &st);
	if (!f)
		return -ENOMEM;
	fi = (size_t)(f - lp->files);
	if (!(f->wants | f->ifuncs) && lp->plain_files_fd >= 0) {
		/* Its next mappings need no hold (the kernel's dev_t encoding). */
		struct { __u64 dev, ino; } key = {
			((__u64)major(st.st_dev) << 20) | minor(st.st_dev), st.st_ino };
		__u8 one = 1;

		bpf_map_update_elem(lp->plain_files_fd, &key, &one, BPF_ANY);
	}
	if (!(f->wants | f->ifuncs) || attached_before(lp, pid, fi))
		return 0;
	return attach_file(lp, pid, probe_tid(pid), fi, path);
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
		err = labels_probe_file(lp, pid, paths[i]);
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
		labels_probe_file(lp, pid, path);
	}
}

bool labels_has_probes(const struct label_probes *lp, pid_t pid)
{
	size_t i;

	for (i = 0; i < lp->n_links; i++)
		if (lp->links[i].pid == pid && lp->links[i].link)
			return true;
	return false;
}

void labels_forget(struct label_probes *lp, pid_t pid)
{
	__u32 key = (__u32)pid;
	size_t i = 0;
	bool had = false;

	while (i < lp->n_links) {
		if (lp->links[i].pid != pid) {
			i++;
			continue;
		}
		had |= lp->links[i].link != NULL;
		link_reaper_put(&lp->reaper, lp->links[i].link);
		lp->links[i] = lp->links[--lp->n_links];
	}
	if (had && lp->probed_fd >= 0)
		bpf_map_delete_elem(lp->probed_fd, &key);
}

void labels_exec(struct label_probes *lp, pid_t pid)
{
	size_t i = 0;

	/* What failed for the old image may work for the new one. */
	while (i < lp->n_links) {
		if (lp->links[i].pid == pid && !lp->links[i].link)
			lp->links[i] = lp->links[--lp->n_links];
		else
			i++;
	}
}

void labels_main_thread_exited(struct label_probes *lp, pid_t pid)
{
	/* Attached again, through a live thread this time (probe_tid). */
	if (!labels_has_probes(lp, pid))
		return;
	labels_forget(lp, pid);
	labels_scan_process(lp, pid);
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
