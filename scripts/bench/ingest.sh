#!/usr/bin/env bash
# Measures ingest on a generated data set: wall time, peak memory (max RSS of the local-mode JVM),
# rows read. Prints one Markdown table row.
#   scripts/bench/ingest.sh INPUT_DIR [OUTPUT_DIR]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
INPUT="${1:?input dir (from scripts/bench/generate-data.sh)}"
OUT="${2:-/tmp/marketing-bench/ingest-$(basename "$INPUT")}"
LOG="$(mktemp)"
rm -rf "$OUT"
MARKETING_DRIVER_MEMORY="${MARKETING_DRIVER_MEMORY:-8g}" /usr/bin/time -v \
  "$ROOT/scripts/marketing" ingest --conf "$ROOT/conf/local.conf" --run-date 2026-11-01 \
  --input "$INPUT" --output "$OUT" >"$LOG.out" 2>"$LOG"
wall="$(grep 'Elapsed (wall clock)' "$LOG" | awk '{print $NF}')"
rss_kb="$(grep 'Maximum resident set size' "$LOG" | awk '{print $NF}')"
rows="$(python3 -c "import json; d=json.load(open('$OUT/runs/2026-11-01/data_quality.json')); print(sum(v['ingest']['rows_read'] for v in d['inputs'].values()))")"
echo "| $(basename "$INPUT") | $rows | $wall | $((rss_kb / 1024)) MiB |"
