// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Workload: prints the file descriptors it was started with (its /proc/self/fd
 * without the listing's own), `fds: 0 1 2`, then each as `N -> TARGET`. It has a
 * procmon_label hook, so procmon probes its file as it would a real program's. */
#include <dirent.h>

#define WORKLOAD_LABEL_HOOK
#include "workload.h"

int main(void)
{
	int fds[256], n = 0;
	struct dirent *de;
	DIR *dir;

	procmon_label("listing fds");
	dir = opendir("/proc/self/fd");
	if (!dir)
		return 1;
	while ((de = readdir(dir)) && n < 256) {
		int fd = atoi(de->d_name);

		if (de->d_name[0] != '.' && fd != dirfd(dir))
			fds[n++] = fd;
	}
	closedir(dir);
	printf("fds:");
	for (int i = 0; i < n; i++)
		printf(" %d", fds[i]);
	printf("\n");
	for (int i = 0; i < n; i++) {
		char path[64], target[PATH_MAX];
		ssize_t len;

		snprintf(path, sizeof(path), "/proc/self/fd/%d", fds[i]);
		len = readlink(path, target, sizeof(target) - 1);
		target[len < 0 ? 0 : len] = '\0';
		printf("%d -> %s\n", fds[i], target);
	}
	return 0;
}
