#!/usr/bin/env bash
# Measures generate-data at one scale: wall time, peak memory (max RSS of the driver JVM, which
# in local mode also runs the executors), rows written. Prints one Markdown table row.
#   scripts/bench/generate-data.sh USERS ITEMS DAYS [FORMAT] [OUTPUT_DIR]
# Needs /usr/bin/time (Debian package 'time').
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
USERS="${1:?users}"; ITEMS="${2:?items}"; DAYS="${3:?days}"; FORMAT="${4:-parquet}"
OUT="${5:-/tmp/marketing-bench/generate-$USERS}"
LOG="$(mktemp)"
rm -rf "$OUT"
MARKETING_DRIVER_MEMORY="${MARKETING_DRIVER_MEMORY:-8g}" /usr/bin/time -v \
  "$ROOT/scripts/marketing" generate-data --conf "$ROOT/conf/local.conf" --run-date 2026-11-01 \
  --users "$USERS" --items "$ITEMS" --days "$DAYS" --format "$FORMAT" --noise-rate 0.01 \
  --output "$OUT" \
  >"$LOG.out" 2>"$LOG"
wall="$(grep 'Elapsed (wall clock)' "$LOG" | awk '{print $NF}')"
rss_kb="$(grep 'Maximum resident set size' "$LOG" | awk '{print $NF}')"
events="$(python3 -c "import json,sys; print(json.load(open('$OUT/_generation.json'))['inputs']['events']['rows'])")"
total="$(python3 -c "import json,sys; print(sum(v['rows'] for v in json.load(open('$OUT/_generation.json'))['inputs'].values()))")"
size="$(du -sh "$OUT" | cut -f1)"
echo "| $USERS | $ITEMS | $DAYS | $FORMAT | $events | $total | $size | $wall | $((rss_kb / 1024)) MiB |"
