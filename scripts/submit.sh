#!/usr/bin/env bash
# Submits a marketing subcommand to Spark with the project's shaded jar:
#   scripts/submit.sh [spark-submit options] -- SUBCOMMAND [marketing options]
# e.g.
#   scripts/submit.sh --master yarn --deploy-mode cluster --files conf/cluster.conf \
#     -- run-all --conf cluster.conf --run-date 2026-11-01 --input hdfs:///data/in --output hdfs:///data/out
#   scripts/submit.sh --master spark://127.0.0.1:7077 -- train --conf conf/cluster.conf --output /shared/out
# Uses the spark-submit on the PATH (a real Spark install); without one, a Spark home assembled
# from the Maven-resolved jars (scripts/spark-home.sh). Builds the jar when it is missing.
# Environment: MARKETING_JAR (jar to submit), SPARK_HOME (used when its bin/spark-submit exists).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SPARK_ARGS=()
while [[ $# -gt 0 && "$1" != "--" ]]; do
  SPARK_ARGS+=("$1")
  shift
done
if [[ $# -eq 0 ]]; then
  sed -n '2,10p' "$0" >&2
  echo "submit.sh: give the marketing subcommand after '--'" >&2
  exit 2
fi
shift
JAR="${MARKETING_JAR:-}"
if [[ -z "$JAR" ]]; then
  JAR="$(ls "$ROOT"/spark-jobs/target/spark-jobs-*.jar 2>/dev/null | grep -v original | head -1 || true)"
  if [[ -z "$JAR" ]]; then
    echo "submit.sh: building the shaded jar (mvn package, tests skipped)..." >&2
    (cd "$ROOT" && mvn -B -q -DskipTests package) >&2
    JAR="$(ls "$ROOT"/spark-jobs/target/spark-jobs-*.jar | grep -v original | head -1)"
  fi
fi
MAIN=org.marketingengine.cli.MarketingCli
if [[ -n "${SPARK_HOME:-}" && -x "$SPARK_HOME/bin/spark-submit" ]]; then
  exec "$SPARK_HOME/bin/spark-submit" --class "$MAIN" "${SPARK_ARGS[@]}" "$JAR" "$@"
elif command -v spark-submit >/dev/null; then
  exec spark-submit --class "$MAIN" "${SPARK_ARGS[@]}" "$JAR" "$@"
fi
HOME_DIR="$("$ROOT/scripts/spark-home.sh")"
export SPARK_HOME="$HOME_DIR" SPARK_SCALA_VERSION=2.13
# The client-mode driver runs in this JVM: it needs the module openings Spark's launcher adds.
OPENS=()
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util \
  java.util.concurrent sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
  OPENS+=("--add-opens=java.base/$p=ALL-UNNAMED")
done
exec java "${OPENS[@]}" -Xmx"${MARKETING_DRIVER_MEMORY:-2g}" -Xss16m \
  -Dlog4j2.configurationFile="$ROOT/conf/log4j2.properties" \
  -Dmarketing.log.dir="${MARKETING_LOG_DIR:-$ROOT/logs}" \
  -cp "$HOME_DIR/jars/*" org.apache.spark.deploy.SparkSubmit \
  --class "$MAIN" "${SPARK_ARGS[@]}" "$JAR" "$@"
