#!/usr/bin/env bash
# Regenerates the committed sample-data/ (CSV and Parquet) with the data generator.
# Same seed and run date, so the result is the same data every time (file names differ).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN_DATE=2026-11-01
ARGS=(--conf "$ROOT/conf/local.conf" --run-date "$RUN_DATE" --users 2000 --items 300 --days 60
      --seed 42 --bad-rows-rate 0.005)
for format in csv parquet; do
  rm -rf "$ROOT/sample-data/$format"
  "$ROOT/scripts/marketing" generate-data "${ARGS[@]}" --format "$format" \
    --output "$ROOT/sample-data/$format"
done
du -sh "$ROOT/sample-data"/*
