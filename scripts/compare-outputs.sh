#!/usr/bin/env bash
# Compares the tables of one run date under two output roots (content, not counts), e.g. the
# output of run-all before and after a change of the code:
#   scripts/compare-outputs.sh EXPECTED_OUTPUT ACTUAL_OUTPUT RUN_DATE [METRIC_TOLERANCE]
# Doubles to 6 decimals; recommendations (ALS sums in shuffle order) to 95% of the pairs; model
# metrics within METRIC_TOLERANCE (default 0.005). Exit 0 when the same, 1 with the first
# difference. See spark-jobs/src/test/java/org/marketingengine/testing/OutputComparison.java.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ $# -lt 3 ]]; then sed -n '2,7p' "$0"; exit 2; fi
MODULE="$ROOT/spark-jobs"
CP_FILE="$MODULE/target/test-classpath.txt"
(cd "$ROOT" && mvn -B -q -DskipTests test-compile \
  && mvn -B -q -pl spark-jobs dependency:build-classpath -Dmdep.includeScope=test \
       -Dmdep.outputFile="$CP_FILE") >&2
source "$ROOT/scripts/jvm-options.sh"
exec java "${SPARK_JVM_OPTIONS[@]}" -Xmx4g -Dlog4j2.configurationFile="$MODULE/src/test/resources/log4j2-test.properties" \
  -cp "$MODULE/target/test-classes:$MODULE/target/classes:$(cat "$CP_FILE")" \
  org.marketingengine.testing.OutputComparison "$@"
