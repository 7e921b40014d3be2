# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# procmon labels from Python: calls procmon_label() in libprocmon_label.so through
# ctypes, so procmon's uprobe on that library sees the labels of this process.
"""Mark phases of a Python program for procmon.

    import procmon_label
    procmon_label.label("load input")

label() calls the C function procmon_label() in libprocmon_label.so; procmon
places a uprobe on it and records the text with the time of the call. Without
procmon attached a call costs well under a microsecond (the ctypes call).

The library is looked for, in this order: the file named by the environment
variable PROCMON_LABEL_LIB; libprocmon_label.so.0 or .so beside this module
(true in a build directory, e.g. build/lib/); the library `make install` put
beside this module's install prefix; build/lib/ of the source tree this module
lies in; ctypes.util.find_library("procmon_label").

If none is found, importing still works: `available` is False, `library` is
None, one RuntimeWarning says so, and label() does nothing. A program labelled
for procmon keeps running where procmon is not installed.

TotalDepth's in-process API (log_process, add_message_to_queue,
add_process_logger_to_argument_parser) is in procmon_process, and reachable
from here too.
"""
import ctypes
import ctypes.util
import importlib
import os
import warnings

__all__ = ["label", "available", "library", "LABEL_MAX"]

LABEL_MAX = 255                 # bytes procmon records; longer labels are cut
_INSTALLED_LIB = None           # set by `make install`
_NAMES = ("libprocmon_label.so.0", "libprocmon_label.so")


def _candidates():
    env = os.environ.get("PROCMON_LABEL_LIB")
    if env:
        yield env
        return                  # an explicit choice is not second-guessed
    here = os.path.dirname(os.path.abspath(__file__))
    for name in _NAMES:
        yield os.path.join(here, name)
    if _INSTALLED_LIB:
        yield _INSTALLED_LIB
    for name in _NAMES:
        yield os.path.join(here, "..", "..", "build", "lib", name)
    found = ctypes.util.find_library("procmon_label")
    if found:
        yield found


def _load():
    for path in _candidates():
        if os.sep in path and not os.path.exists(path):
            continue
        try:
            lib = ctypes.CDLL(path)
            fn = lib.procmon_label
        except (OSError, AttributeError):
            continue
        fn.argtypes = [ctypes.c_char_p]
        fn.restype = None
        return path, fn
    return None, None


library, _label = _load()
available = _label is not None
if not available:
    warnings.warn("procmon_label: libprocmon_label.so not found (set PROCMON_LABEL_LIB); "
                  "labels will not be recorded", RuntimeWarning, stacklevel=2)


def _cut(data):
    """data cut to LABEL_MAX bytes without splitting a UTF-8 character."""
    if len(data) <= LABEL_MAX:
        return data
    end = LABEL_MAX
    lead = end
    while lead > 0 and end - lead < 3 and data[lead - 1] & 0xC0 == 0x80:
        lead -= 1
    if lead > 0:
        c = data[lead - 1]
        need = (1 if c >= 0xF8 else 4 if c >= 0xF0 else 3 if c >= 0xE0
                else 2 if c >= 0xC0 else 1)
        if need > 1 and end - (lead - 1) < need:
            end = lead - 1
    return data[:end]


def label(msg):
    """Record msg (str or bytes) as a procmon label at this moment.

    str is encoded as UTF-8; lone surrogates from undecodable bytes (file names,
    os.environ: the surrogateescape error handler) turn back into those bytes,
    any other unencodable character into "?". A label stops at its first NUL
    character and is cut to LABEL_MAX bytes at a character boundary.
    """
    if _label is None:
        return
    if isinstance(msg, str):
        try:
            data = msg.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:
            data = msg.encode("utf-8", "replace")
    else:
        data = bytes(msg)
    nul = data.find(b"\0")
    if nul >= 0:
        data = data[:nul]
    _label(_cut(data))


_PROCESS_API = ("log_process", "add_message_to_queue", "add_process_logger_to_argument_parser")


def __getattr__(name):
    """TotalDepth's process API, from procmon_process on first use (PEP 562):
    importing this module alone starts no thread and runs no procmon."""
    if name in _PROCESS_API:
        return getattr(importlib.import_module("procmon_process"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
