#!/usr/bin/env bash
# Assembles a Spark home from the Maven-resolved Spark and Hadoop jars (the project's dependencies
# without what the shaded jar carries), for machines without a Spark install: spark-submit,
# master and workers then run as `java -cp "<home>/jars/*" ...`. Prints the home's path.
#   scripts/spark-home.sh [HOME]     default: spark-jobs/target/spark-home
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HOME_DIR="${1:-$ROOT/spark-jobs/target/spark-home}"
if [[ ! -f "$HOME_DIR/.complete" ]]; then
  rm -rf "$HOME_DIR"
  mkdir -p "$HOME_DIR/jars" "$HOME_DIR/conf"
  # compile covers compile + provided (Spark, Hadoop), runtime adds runtime-only jars (log4j-core).
  for scope in compile runtime; do
    (cd "$ROOT" && mvn -B -q -pl spark-jobs dependency:copy-dependencies -DincludeScope="$scope" \
      -DexcludeGroupIds=io.delta,io.unitycatalog,info.picocli,com.typesafe,org.postgresql \
      -DoutputDirectory="$HOME_DIR/jars") >&2
  done
  cp "$ROOT/conf/log4j2.properties" "$HOME_DIR/conf/log4j2.properties"
  touch "$HOME_DIR/.complete"
fi
echo "$HOME_DIR"
