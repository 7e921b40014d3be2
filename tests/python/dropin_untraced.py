#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# procmon_process where procmon cannot trace (PROCMON names nothing, or not root):
# run by tests/it_python_dropin.c, prints what logging saw as one JSON object.
"""Usage: dropin_untraced.py

Runs two `with log_process(0.1)` blocks, each labelling and doing work, and
prints {"warnings": [...], "records": N, "bodies": N, "seconds": S,
"log_process_default": F, "log_process_given": F, "from_label": bool}.
"""
import argparse
import json
import logging
import time


class Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records = []

    def emit(self, record):
        self.records.append(record)


def main():
    handler = Collect()
    logging.basicConfig(level=logging.DEBUG, handlers=[handler])
    from procmon_process import log_process, add_message_to_queue, \
        add_process_logger_to_argument_parser
    parser = argparse.ArgumentParser()
    add_process_logger_to_argument_parser(parser)
    bodies = 0
    t0 = time.monotonic()
    for _ in range(2):
        with log_process(0.1):
            add_message_to_queue('untraced body')
            sum(range(100000))
            bodies += 1
    import procmon_label        # the same API reached through the label module
    print(json.dumps({
        'warnings': [r.getMessage() for r in handler.records if r.levelno == logging.WARNING],
        'records': len(handler.records),
        'bodies': bodies,
        'seconds': time.monotonic() - t0,
        'log_process_default': parser.parse_args([]).log_process,
        'log_process_given': parser.parse_args(['--log-process', '0.25']).log_process,
        'from_label': procmon_label.log_process is log_process,
    }))


if __name__ == '__main__':
    main()
