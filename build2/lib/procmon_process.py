# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# TotalDepth's in-process API (TotalDepth.common.process) on top of procmon: one
# `procmon -p <this pid>` per log_process(), its lines re-logged through `logging`.
"""A drop-in for TotalDepth's process logger, with procmon doing the tracing.

A program written for TotalDepth switches by changing one import:

    # from TotalDepth.common.process import log_process, add_message_to_queue
    from procmon_process import log_process, add_message_to_queue

    with log_process(0.1):
        add_message_to_queue("load input")
        ...

log_process(interval) starts `procmon -p <own pid> -i <interval> -o -` and waits
until procmon has attached (its START line), so the first label is not lost.
Each line procmon writes is logged again through this module's logger (a
`logging` logger, as TotalDepth's thread did), from a thread named "ProcMon",
with TotalDepth's message `ProcessLoggingThread-JSON[-START|-STOP] {json}`: the
program's own logging configuration decides where it goes, and TotalDepth's
readers (RE_LOG_LINE, extract_json_as_table) and `procmon plot` both read the
result. Leaving the block stops procmon (SIGINT) and relays its last (STOP) lines.

add_message_to_queue(msg) is a procmon label (procmon_label.label): procmon
records it at the moment of the call rather than at the next sample.

procmon is the file named by $PROCMON, else `procmon` on PATH, else where
`make install` put it. Where it cannot trace (not found, not root: it needs root
or CAP_BPF and CAP_PERFMON) one warning says so through `logging`, once per
process, and the body runs untraced.
"""
import contextlib
import logging
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import warnings

with warnings.catch_warnings():
    # A missing label library is said once, through logging, by log_process().
    warnings.simplefilter("ignore", RuntimeWarning)
    import procmon_label

__all__ = ["log_process", "add_message_to_queue", "add_process_logger_to_argument_parser",
           "LOGGER_PREFIX", "LOGGER_PREFIX_START", "LOGGER_PREFIX_STOP", "RE_LOG_LINE"]

logger = logging.getLogger(__name__)

#: TotalDepth's marker of a process line, and its regex for reading logs back.
LOGGER_PREFIX = "ProcessLoggingThread-JSON"
LOGGER_PREFIX_START = f"{LOGGER_PREFIX}-START"
LOGGER_PREFIX_STOP = f"{LOGGER_PREFIX}-STOP"
RE_LOG_LINE = re.compile(rf"^.+?{LOGGER_PREFIX}(-START|-STOP)?\s*(.+)$")

_INSTALLED_PROCMON = None       # set by `make install`
_THREAD_NAME = "ProcMon"        # TotalDepth's thread name: the same %(threadName)s
_ATTACH_TIMEOUT_S = 30.0        # loading the BPF programs takes well under a second
_STOP_TIMEOUT_S = 10.0          # from SIGINT to procmon's last line
# The marker and JSON of a procmon line in TotalDepth's layout (`... - INFO - MARK {json}`).
_RE_PROCMON_LINE = re.compile(r"(ProcessLoggingThread-[A-Za-z-]+)\s+(\{.*\})\s*$")

_warned = set()                 # reasons already said: each once per process
_warned_lock = threading.Lock()


def _warn_once(key, msg):
    with _warned_lock:
        if key in _warned:
            logger.debug("%s", msg)
            return
        _warned.add(key)
    logger.warning("%s", msg)


def _find_procmon():
    """(path, None) of the procmon to run, or (None, why not)."""
    env = os.environ.get("PROCMON")
    if env:                     # an explicit choice is not second-guessed
        if os.path.isfile(env) and os.access(env, os.X_OK):
            return env, None
        return None, f"PROCMON={env} is not an executable file"
    found = shutil.which("procmon")
    if found:
        return found, None
    here = os.path.dirname(os.path.abspath(__file__))
    for path in (_INSTALLED_PROCMON, os.path.join(here, "..", "procmon")):
        if path and os.path.isfile(path) and os.access(path, os.X_OK):
            return os.path.normpath(path), None
    return None, "procmon is not on PATH (install it, or set PROCMON to its path)"


def _seconds_arg(interval):
    """interval as procmon's -i wants it: plain decimals, never an exponent."""
    text = f"{interval:.6f}".rstrip("0").rstrip(".")
    return text if float(text) > 0 else "0.000001"


class _Relay(threading.Thread):
    """Reads procmon's stdout and logs each line again at log_level; sets
    `attached` at the START line, or at EOF if procmon ended before it."""

    def __init__(self, stream, log_level):
        super().__init__(name=_THREAD_NAME, daemon=True)
        self._stream = stream
        self._log_level = log_level
        self.attached = threading.Event()
        self.started_ok = False

    def run(self):
        try:
            for line in self._stream:
                m = _RE_PROCMON_LINE.search(line)
                if not m:
                    if line.strip():
                        logger.log(self._log_level, "%s", line.rstrip("\n"))
                    continue
                logger.log(self._log_level, "%s %s", m.group(1), m.group(2))
                if m.group(1) == LOGGER_PREFIX_START and not self.started_ok:
                    self.started_ok = True
                    self.attached.set()
        finally:
            self._stream.close()
            self.attached.set()


def _stderr_text(err_file):
    err_file.seek(0)
    return err_file.read().decode("utf-8", "replace").strip()


def _start(interval, log_level):
    """Start procmon on this process; (Popen, relay, stderr file) once it has
    attached, or None after one warning if it cannot trace."""
    path, why = _find_procmon()
    if path is None:
        _warn_once("missing", f"procmon_process: not tracing this process: {why}")
        return None
    cmd = [path, "-p", str(os.getpid()), "-i", _seconds_arg(interval), "-o", "-",
           "--format", "totaldepth", "-q"]
    err_file = tempfile.TemporaryFile()
    try:
        # A session of its own: a Ctrl-C at the terminal interrupts the program,
        # whose `with` block then stops procmon after its last lines.
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=err_file, encoding="utf-8", errors="replace",
                                start_new_session=True)
    except OSError as e:
        err_file.close()
        _warn_once("exec", f"procmon_process: not tracing this process: cannot run {path}: "
                           f"{e.strerror or e}")
        return None
    relay = _Relay(proc.stdout, log_level)
    relay.start()
    if not relay.attached.wait(_ATTACH_TIMEOUT_S):
        _stop(proc, relay, err_file, signal.SIGKILL)
        _warn_once("timeout", f"procmon_process: not tracing this process: {path} did not "
                              f"attach within {_ATTACH_TIMEOUT_S:.0f} s")
        return None
    if not relay.started_ok:
        relay.join()
        code = proc.wait()
        text = _stderr_text(err_file) or f"procmon exited with status {code}"
        err_file.close()
        _warn_once("failed", f"procmon_process: not tracing this process: "
                             f"{text.splitlines()[0]}")
        return None
    if not procmon_label.available:
        _warn_once("nolabels", "procmon_process: libprocmon_label.so not found (set "
                               "PROCMON_LABEL_LIB): add_message_to_queue() labels are not recorded")
    return proc, relay, err_file


def _stop(proc, relay, err_file, sig=signal.SIGINT):
    """Stop procmon with @sig, relay its last lines, reap it; its exit status."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(sig)
    relay.join(_STOP_TIMEOUT_S)
    if relay.is_alive():        # stuck: its lines are lost either way
        with contextlib.suppress(ProcessLookupError):
            proc.kill()
        relay.join()
    code = proc.wait()
    text = _stderr_text(err_file)
    err_file.close()
    if code not in (0, -signal.SIGINT, 128 + signal.SIGINT) and sig == signal.SIGINT:
        logger.warning("procmon_process: procmon exited with status %d%s", code,
                       f": {text.splitlines()[0]}" if text else "")
    elif text:
        for line in text.splitlines():
            logger.warning("%s", line)
    return code


@contextlib.contextmanager
def log_process(interval=1.0, log_level=logging.INFO):
    """Log this process's memory, CPU and labels every @interval seconds while
    the block runs, as TotalDepth's log_process did, traced by procmon.

    interval <= 0 logs nothing (TotalDepth's `--log-process 0`)."""
    started = None
    owner = os.getpid()
    if interval and interval > 0:
        started = _start(float(interval), log_level)
    try:
        yield
    finally:
        # A child forked inside the block leaves procmon to its parent.
        if started and os.getpid() == owner:
            _stop(*started)


def add_message_to_queue(msg):
    """Mark this moment with @msg: a procmon label (see procmon_label.label)."""
    procmon_label.label(msg)


def add_process_logger_to_argument_parser(parser):
    """Add TotalDepth's ``--log-process SECONDS`` option (0 = off) to @parser."""
    parser.add_argument(
        "--log-process", default=0.0, type=float,
        help="Writes process data such as memory usage as a log INFO line every LOG_PROCESS"
             " seconds, traced by procmon. If 0.0 no process data is logged."
             " [default: %(default)s]",
    )
