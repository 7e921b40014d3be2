#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Reads a log as TotalDepth's plotter does (extract_json, extract_json_as_table) and
# prints what it found as one JSON object, for tests/it_python_dropin.c.
"""Usage: totaldepth_read.py LOG [PROCESS_PY]

With PROCESS_PY (TotalDepth's src/TotalDepth/common/process.py) its own
constants and functions are taken from it (by ast, so psutil and TotalDepth's
gnuplot module need not be installed) and run. Without it, TotalDepth's regex
is copied here and every key extract_json_as_table reads is read the same way.
Prints {"source", "records", "marked_lines", "pids", "rows", "labels"} or a
Python traceback (exit 1) when a marked line lacks a key.
"""
import ast
import datetime
import json
import re
import sys
import typing

# TotalDepth 2021, process.py, verbatim.
LOGGER_PREFIX = 'ProcessLoggingThread-JSON'
RE_LOG_LINE = re.compile(rf'^.+?{LOGGER_PREFIX}(-START|-STOP)?\s*(.+)$')
DATETIME_NOW_FORMAT = '%Y-%m-%d %H:%M:%S.%f'


def copied_extract_json(istream):
    ret = []
    for line in istream.readlines():
        m = RE_LOG_LINE.match(line)
        if m:
            log_dict = json.loads(m.group(2))
            if 'timestamp' in log_dict:
                log_dict['timestamp'] = datetime.datetime.strptime(log_dict['timestamp'],
                                                                   DATETIME_NOW_FORMAT)
            ret.append(log_dict)
    return ret


def copied_extract_json_as_table(json_data):
    """The reads of TotalDepth's extract_json_as_table, nothing more."""
    ret = {}
    for record in json_data:
        row = (record['pid'], record['elapsed_time'], record['cpu_times']['user'],
               record['memory_info']['pfaults'], record['memory_info']['rss'],
               record['timestamp'].strftime('%Y-%m-%dT%H:%M:%S.%f'), record.get('label', ''))
        ret.setdefault(record['pid'], [['header']]).append(row)
    return ret, None, None, None, None


def load_totaldepth(path):
    """TotalDepth's constants and the functions the plotter uses, from its source."""
    wanted = {'parse_timestamp', 'extract_json', 'extract_labels_from_json', 'extract_json_as_table'}
    tree = ast.parse(open(path, encoding='utf-8').read(), path)
    body = [n for n in tree.body
            if (isinstance(n, ast.FunctionDef) and n.name in wanted)
            or (isinstance(n, (ast.Assign, ast.AnnAssign)) and
                all(isinstance(t, ast.Name) and t.id.isupper()
                    for t in (n.targets if isinstance(n, ast.Assign) else [n.target])))
            or isinstance(n, ast.Assert)]
    ns = {'datetime': datetime, 'json': json, 're': re, 'sys': sys, 'typing': typing}
    exec(compile(ast.Module(body=body, type_ignores=[]), path, 'exec'), ns)
    missing = wanted - ns.keys()
    if missing:
        sys.exit(f'totaldepth_read: {path} has no {", ".join(sorted(missing))}')
    return ns['extract_json'], ns['extract_json_as_table']


def main():
    log = sys.argv[1]
    if len(sys.argv) > 2:
        extract_json, extract_json_as_table = load_totaldepth(sys.argv[2])
        source = 'totaldepth'
    else:
        extract_json, extract_json_as_table = copied_extract_json, copied_extract_json_as_table
        source = 'copied'
    with open(log, encoding='utf-8') as f:
        json_data = extract_json(f)
    table = extract_json_as_table(json_data)[0]
    with open(log, encoding='utf-8') as f:
        marked = sum(LOGGER_PREFIX in line for line in f)
    print(json.dumps({
        'source': source,
        'records': len(json_data),
        'marked_lines': marked,
        'pids': sorted(table),
        'rows': sum(len(rows) - 1 for rows in table.values()),   # less each header
        'labels': [r['label'] for r in json_data if 'label' in r],
    }))


if __name__ == '__main__':
    main()
