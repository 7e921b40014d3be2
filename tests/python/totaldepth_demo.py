#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# TotalDepth's own demo (main() of src/TotalDepth/common/process.py), run on procmon
# by tests/it_python_dropin.c. Changed from the original, and nothing else:
#   - the import: procmon_process instead of TotalDepth.common.process's own names;
#   - buffer sizes and sleeps made ~8x smaller (a 3-5 s test instead of 20-30 s);
#   - the `path_in path_out` branch (TotalDepth's plotter) dropped: `procmon plot` reads the log.
# The log goes to stderr in TotalDepth's logging format; the test keeps it as a file.
import argparse
import logging
import random
import sys
import time

from procmon_process import log_process, add_message_to_queue

logger = logging.getLogger(__file__)


def main() -> int:
    """Main CLI entry point. For testing."""
    parser = argparse.ArgumentParser(
        prog='process.py',
        description="""Reads an annotated log of a process and writes a Gnuplot graph.""",
    )
    logging.basicConfig(
        level=logging.DEBUG,
        format='%(asctime)s - %(filename)s - %(process)5d - (%(threadName)-10s) - %(levelname)-8s - %(message)s',
    )
    parser.parse_args()
    logger.info('Demonstration of logging a process')
    with log_process(0.1):
        for i in range(8):
            size = random.randint(16, 16 + 32) * 1024 ** 2
            add_message_to_queue(f'String of {size:,d} bytes')
            s = ' ' * size
            # time.sleep(.8)
            time.sleep(0.2 + random.random() / 5)
            del s
            # time.sleep(.4)
            time.sleep(0.1 + random.random() / 10)
    return 0


if __name__ == '__main__':
    sys.exit(main())
