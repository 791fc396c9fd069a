#!/usr/bin/env bash
# Regenerates the table of docs/reliability.md from what the reliability suite recorded
# (spark-jobs/target/reliability/cases.tsv, one line per case that passed; written by the tests
# under spark-jobs/src/test/java/org/marketingengine/reliability). Run after `mvn -B verify`
# (or `mvn -B test -pl spark-jobs -Dtest='org.marketingengine.reliability.*'`).
#   scripts/reliability-table.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CASES="$ROOT/spark-jobs/target/reliability/cases.tsv"
DOC="$ROOT/docs/reliability.md"
[[ -f "$CASES" ]] || { echo "reliability-table.sh: $CASES not found: run the tests first" >&2; exit 2; }
python3 - "$CASES" "$DOC" <<'PY'
import re
import sys
cases, doc = sys.argv[1], sys.argv[2]
last = {}
for line in open(cases, encoding="utf-8"):
    parts = line.rstrip("\n").split("\t")
    if len(parts) == 4:
        last[parts[0]] = parts          # a rerun of a case replaces its earlier line
def natural(item):
    """Cases by number, then by the rest: 1a, 2, 6-9, 11a, 12."""
    m = re.match(r"(\d+)(.*)", item[0])
    return (int(m.group(1)), m.group(2)) if m else (10**9, item[0])
rows = ["| case | what was done | what is promised | result |", "|---|---|---|---|"]
rows += ["| " + " | ".join(p) + " |" for _, p in sorted(last.items(), key=natural)]
text = open(doc, encoding="utf-8").read()
start, end = "<!-- cases:start -->", "<!-- cases:end -->"
head, rest = text.split(start, 1)
_, tail = rest.split(end, 1)
open(doc, "w", encoding="utf-8").write(head + start + "\n" + "\n".join(rows) + "\n" + end + tail)
print(f"reliability-table.sh: {len(last)} cases written to {doc}")
PY
