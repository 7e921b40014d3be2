// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Workload: `io_bytes FILE WRITE READ` writes WRITE bytes to FILE in 64 KiB write()
 * calls and fsyncs them, then reads READ bytes of it back in read() calls, holds
 * 0.3 s (a sample sees it), removes FILE: the I/O its io_counters must show. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK 65536

int main(int argc, char **argv)
{
	static char buf[CHUNK];
	long long want_w, want_r, done;
	int fd;

	if (argc != 4) {
		fprintf(stderr, "usage: io_bytes FILE WRITE READ\n");
		return 2;
	}
	want_w = atoll(argv[2]);
	want_r = atoll(argv[3]);
	memset(buf, 'x', sizeof(buf));
	fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return 1;
	for (done = 0; done < want_w;) {
		ssize_t n = write(fd, buf, want_w - done < CHUNK ? (size_t)(want_w - done) : CHUNK);

		if (n <= 0)
			return 1;
		done += n;
	}
	if (fsync(fd) || close(fd))
		return 1;
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 1;
	for (done = 0; done < want_r;) {
		ssize_t n = read(fd, buf, want_r - done < CHUNK ? (size_t)(want_r - done) : CHUNK);

		if (n <= 0)
			return 1;
		done += n;
	}
	close(fd);
	usleep(300000);
	return unlink(argv[1]) ? 1 : 0;
}
