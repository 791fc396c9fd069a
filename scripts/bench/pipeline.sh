#!/usr/bin/env bash
# Measures each stage on a generated data set, one JVM per stage as Airflow runs them: wall
# time and peak memory (max RSS). Prints one Markdown table row per stage, and after strategy the
# consent check (reliability case 15): the strategy guard's count of rows on a channel without
# consent and of contacts over the frequency cap, both 0 or the stage fails.
#   scripts/bench/pipeline.sh INPUT_DIR [OUTPUT_DIR]
# STAGES (default: every implemented stage) picks a subset; the output dir is only wiped when
# the list starts with ingest.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
INPUT="${1:?input dir (from scripts/bench/generate-data.sh)}"
OUT="${2:-/tmp/marketing-bench/pipeline-$(basename "$INPUT")}"
STAGES="${STAGES:-ingest clean features train score profile recommend evaluate-recs evaluate strategy}"
case "$STAGES" in ingest*) rm -rf "$OUT" ;; esac
export MARKETING_PII_SECRET="${MARKETING_PII_SECRET:-bench-key}"
for stage in $STAGES; do
  LOG="$(mktemp)"
  MARKETING_DRIVER_MEMORY="${MARKETING_DRIVER_MEMORY:-8g}" /usr/bin/time -v \
    "$ROOT/scripts/marketing" "$stage" --conf "$ROOT/conf/local.conf" --run-date 2026-11-01 \
    --input "$INPUT" --output "$OUT" >"$LOG.out" 2>"$LOG"
  wall="$(grep 'Elapsed (wall clock)' "$LOG" | awk '{print $NF}')"
  rss_kb="$(grep 'Maximum resident set size' "$LOG" | awk '{print $NF}')"
  echo "| $(basename "$INPUT") | $stage | $wall | $((rss_kb / 1024)) MiB |"
  if [[ $stage == strategy ]]; then
    grep -h -o "strategy: [0-9]* rows on a channel without consent.*" "$LOG" "$LOG.out" | head -1 \
      || echo "pipeline.sh: strategy failed or wrote no consent check; see $LOG"
  fi
done
