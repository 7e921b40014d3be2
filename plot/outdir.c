// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Where `procmon plot` writes: the output directory, made and resolved, and the
 * files in it, created without following a symlink, with the caller's own ids. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outdir.h"
#include "text.h"

FILE *plot_create_file(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	FILE *f;

	if (fd < 0)
		return NULL;
	f = fdopen(fd, "w");
	if (!f)
		close(fd);
	return f;
}

/* mkdir -p. Returns 0 or -errno: -ENOTDIR when dir (or a parent) exists and
 * is not a directory. */
static int make_dirs(const char *dir)
{
	char *p = strdup(dir);
	struct stat st;
	int err = 0;

	if (!p)
		return -ENOMEM;
	for (char *s = p + 1; !err; s++) {
		bool last = !*s;

		if (*s != '/' && !last)
			continue;
		*s = '\0';
		if (mkdir(p, 0755) && errno != EEXIST)
			err = -errno;
		if (last)
			break;
		*s = '/';
	}
	/* mkdir says EEXIST for a file too: what is there decides. */
	if (!err && stat(p, &st))
		err = -errno;
	else if (!err && !S_ISDIR(st.st_mode))
		err = -ENOTDIR;
	free(p);
	return err;
}

char *plot_output_dir(const char *dir)
{
	char *abs;
	int err;

	for (const unsigned char *c = (const unsigned char *)dir; *c; c++) {
		if (*c < 0x20 || *c == 0x7F) {
			fprintf(stderr, "procmon: plot: output directory '%s' has a control "
				"character in its name, which gnuplot cannot be given safely; "
				"choose another\n", PLOT_SHOWN(dir));
			return NULL;
		}
	}
	err = make_dirs(dir);
	if (err == -ENOTDIR) {
		fprintf(stderr, "procmon: plot: cannot use output directory '%s': %s (it, or a "
			"parent, exists and is not a directory)\n", PLOT_SHOWN(dir),
			strerror(-err));
		return NULL;
	}
	if (err) {
		fprintf(stderr, "procmon: plot: cannot create output directory '%s': %s\n",
			PLOT_SHOWN(dir), strerror(-err));
		return NULL;
	}
	abs = realpath(dir, NULL);
	if (!abs) {
		fprintf(stderr, "procmon: plot: cannot resolve output directory '%s': %s\n",
			PLOT_SHOWN(dir), strerror(errno));
		return NULL;
	}
	if (!plot_path_is_safe(abs)) {
		fprintf(stderr, "procmon: plot: output directory '%s' has a control character in "
			"its path, which gnuplot cannot be given safely; choose another\n",
			PLOT_SHOWN(abs));
		free(abs);
		return NULL;
	}
	return abs;
}
