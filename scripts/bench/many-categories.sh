#!/usr/bin/env bash
# Reliability case 10 (size): a catalog of ITEMS items in as many categories (each item its own
# category). Generates USERS users and ITEMS items (CSV), renames every item's category to one of
# its own, runs run-all and prints per stage the wall time, or where it failed.
#   scripts/bench/many-categories.sh USERS ITEMS [WORK_DIR]
# Measure on an idle machine. Needs python3.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
USERS="${1:?users}"
ITEMS="${2:?items}"
PLAIN="${PLAIN:-0}"
WORK="${3:-/tmp/marketing-bench/categories-$ITEMS$([[ $PLAIN == 1 ]] && echo -plain)}"
export MARKETING_PII_SECRET="${MARKETING_PII_SECRET:-bench-key}"
rm -rf "$WORK"
mkdir -p "$WORK"

"$ROOT/scripts/marketing" generate-data --conf "$ROOT/conf/local.conf" --run-date 2026-11-01 \
  --users "$USERS" --items "$ITEMS" --days 60 --format csv --bad-rows-rate 0 --output "$WORK/data" \
  >"$WORK/generate.log" 2>&1

[[ $PLAIN == 1 ]] || python3 - "$WORK/data" <<'PY'
import csv, glob, os, sys
root = sys.argv[1]
names = set()
for path in glob.glob(f"{root}/items/*.csv"):
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
        fields = list(rows[0].keys()) if rows else []
    for r in rows:
        r["category"] = "c-" + r["item_id"]
        names.add(r["category"])
    with open(path + ".tmp", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)
    os.replace(path + ".tmp", path)
print(f"many-categories.sh: {len(names)} categories")
PY

start=$(date +%s)
status=0
"$ROOT/scripts/marketing" run-all --conf "$ROOT/conf/local.conf" --run-date 2026-11-01 \
  --input "$WORK/data" --output "$WORK/out" >"$WORK/run.log" 2>&1 || status=$?
echo "many-categories.sh: run-all exit $status after $(( $(date +%s) - start )) s (log $WORK/run.log)"
grep -o "StageRunner: [a-z-]* done in [0-9.]*s" "$WORK/run.log" | sed 's/StageRunner: //' || true
[[ $status -eq 0 ]] || grep "^marketing:" "$WORK/run.log" || true
exit "$status"
