#!/usr/bin/python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""The external poller procmon replaces: psutil.Process(PID) read every INTERVAL
seconds, one JSON line per sample, the fields TotalDepth's process logger and
psrecord take. Usage: psutil_poller.py PID INTERVAL LOG

Samples fall on an absolute schedule (sleep until the next due time) rather than
TotalDepth's sleep(interval), so its fidelity is the best a poller gets. Prints
"ready" on stdout after the first sample; stops when the process is gone or on
SIGTERM. "mono" is time.monotonic() at the sample, for the fidelity figures."""
import datetime
import json
import signal
import sys
import time

import psutil


def main():
    pid, interval, path = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    proc = psutil.Process(pid)
    created = proc.create_time()
    due = time.monotonic()
    ready = False
    with open(path, "w") as log:
        while True:
            try:
                with proc.oneshot():
                    data = {
                        "timestamp": datetime.datetime.now().strftime("%Y-%m-%d %H:%M:%S.%f"),
                        "elapsed_time": time.time() - created,
                        "mono": time.monotonic(),
                        "pid": pid,
                        "ppid": proc.ppid(),
                        "memory_info": proc.memory_info()._asdict(),
                        "cpu_times": proc.cpu_times()._asdict(),
                        "num_ctx_switches": proc.num_ctx_switches()._asdict(),
                        "num_threads": proc.num_threads(),
                    }
            except (psutil.NoSuchProcess, psutil.ZombieProcess):
                return
            log.write("ProcessLoggingThread-JSON " + json.dumps(data) + "\n")
            log.flush()
            if not ready:
                print("ready", flush=True)
                ready = True
            due += interval
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)


if __name__ == "__main__":
    main()
