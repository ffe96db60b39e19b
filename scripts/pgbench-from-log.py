#!/usr/bin/env python3
"""The statements one request ran, from PostgreSQL's log, as a pgbench script.

    pgbench-from-log.py SCRIPT VARIABLES < log

Reads a stretch of a PostgreSQL log written with `log_min_duration_statement = 0` while the
server answered one request, and writes SCRIPT (the statements the extended protocol executed, in
order) and VARIABLES (one `name=value` per line, for pgbench's `-D`). Each `$n` parameter becomes a
pgbench variable with the value the server bound, so `pgbench -M prepared` sends the same text
with the same parameters, as the server does, instead of a hand copy of the SQL that drifts when
the generator changes it. A NULL parameter is written as `NULL` (a pgbench variable cannot be
NULL). Exits 1, writing nothing, when the log holds no executed statement.
"""

import re
import sys

# `2026-12-07 20:50:01.123 UTC [1234] LOG:  duration: 0.041 ms  execute s3: SELECT ...` and the
# `DETAIL:  parameters: $1 = '...', $2 = NULL` line after it (log_line_prefix '%m [%p] ').
ENTRY = re.compile(r"^\S+ \S+ \S+ \[(\d+)\] (LOG|DETAIL):  (.*)$")
EXECUTE = re.compile(r"^duration: [\d.]+ ms  execute [^:]*: (.*)$")
PARAMETER = re.compile(r"\$(\d+) = (NULL|'((?:[^']|'')*)')")


def main():
    script_path, variables_path = sys.argv[1:3]
    lines = sys.stdin.readlines()
    executed = []
    pending = {}  # pid -> its last executed statement, until its parameters are read
    continuing = None  # the statement whose SQL the next unprefixed line continues
    for line in lines:
        match = ENTRY.match(line.rstrip("\n"))
        if not match:
            if continuing is not None:
                continuing[0] += "\n" + line.rstrip("\n")
            continue
        continuing = None
        pid, kind, text = match.groups()
        if kind == "LOG":
            run = EXECUTE.match(text)
            pending.pop(pid, None)
            if run:
                executed.append([run.group(1), {}])
                pending[pid] = executed[-1]
                continuing = executed[-1]
        elif text.startswith("parameters: ") and pid in pending:
            for number, raw, quoted in PARAMETER.findall(text):
                pending[pid][1][int(number)] = None if raw == "NULL" else quoted.replace("''", "'")
            del pending[pid]
    if not executed:
        print("pgbench-from-log: no executed statement in the log", file=sys.stderr)
        sys.exit(1)
    script, variables = [], []
    for index, (sql, values) in enumerate(executed, start=1):

        def variable(match):
            number = int(match.group(1))
            if number not in values:
                raise SystemExit(f"pgbench-from-log: statement {index} uses ${number} but the log shows no value for it")
            if values[number] is None:
                return "NULL"
            name = f"s{index}p{number}"
            variables.append(f"{name}={values[number]}")
            return f":{name}"

        script.append(re.sub(r"\$(\d+)\b", variable, sql).rstrip().rstrip(";") + ";")
    with open(script_path, "w") as out:
        out.write("\n".join(script) + "\n")
    with open(variables_path, "w") as out:
        out.write("\n".join(variables) + ("\n" if variables else ""))


if __name__ == "__main__":
    main()
