#!/usr/bin/env bash
# Runs the pipeline (run-all) on sample-data/ with Spark in local mode, in one JVM.
# Needs only JDK 17 and Maven: the first run builds the project (a few minutes).
#   scripts/run-local.sh [--format csv|parquet] [--output DIR]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FORMAT=csv
OUTPUT="$ROOT/output"
RUN_DATE=2026-11-01   # the day after the sample data ends
while [[ $# -gt 0 ]]; do
  case "$1" in
    --format) FORMAT="$2"; shift 2 ;;
    --output) OUTPUT="$2"; shift 2 ;;
    -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
    *) echo "run-local.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
COMMON=(--conf "$ROOT/conf/local.conf" --run-date "$RUN_DATE" --output "$OUTPUT")

# The sample users carry no personal columns; a real users table with e.g. email needs a key.
export MARKETING_PII_SECRET="${MARKETING_PII_SECRET:-local-demo-key-not-secret}"
# One JVM and one Spark session for every stage: ingest, clean, features, train, profile,
# recommend, evaluate (the sample's past campaigns, whose offer priors the strategy then uses),
# strategy; export is skipped without marketing.export.jdbc-url.
"$ROOT/scripts/marketing" run-all "${COMMON[@]}" --input "$ROOT/sample-data/$FORMAT"

echo
echo "Results of run_date=$RUN_DATE under $OUTPUT:"
echo "  bronze/<input>/run_date=$RUN_DATE       typed, valid rows (Parquet)"
echo "  quarantine/<input>/run_date=$RUN_DATE   removed rows with raw_record, reason, source_file, stage"
echo "  silver/<input>/run_date=$RUN_DATE       cleaned, standardised rows"
echo "  features/user_features/run_date=$RUN_DATE  one row per user and purpose (training, scoring, response)"
echo "  features/feature_correlations/run_date=$RUN_DATE  how each feature correlates with the labels"
echo "  features/item_vectors/run_date=$RUN_DATE  the catalog's content vectors"
echo "  models/$RUN_DATE/<model>                 PipelineModels with model_card.json; champions.json"
echo "  metrics/model_metrics/run_date=$RUN_DATE   validation, test and baseline metrics per model"
echo "  scores/user_scores/run_date=$RUN_DATE      purchase and response propensity, predicted spend, top drivers"
echo "  profiles/user_profiles/run_date=$RUN_DATE  one row per user: scores, RFM segment, cluster, channels, profile vector"
echo "  recommendations/user_recommendations/run_date=$RUN_DATE  top 10 items per user with scores and reason"
echo "  evaluation/campaign_effect/run_date=$RUN_DATE  uplift, revenue, ROI per campaign, offer, channel, segment"
echo "  feedback/offer_priors/run_date=$RUN_DATE   response rates per offer and segment for the next strategy"
echo "  strategy/user_strategy/run_date=$RUN_DATE  per user: objective, offer, channel, items, message, group, send_at"
echo "  strategy/segment_summary/run_date=$RUN_DATE  per segment and objective: users, contacts, offers, value, budget"
echo "  runs/$RUN_DATE/data_quality.json        per input: rows read, kept, quarantined, duplicates, anomalies"
echo "  reports/$RUN_DATE/summary.json           the report's figures, machine-readable"
echo
echo "Report (open in a browser; works offline): $OUTPUT/reports/$RUN_DATE/report.html"
