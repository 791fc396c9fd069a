#!/usr/bin/env bash
# A Spark standalone cluster on 127.0.0.1 (one master, two workers) from the assembled Spark
# home, for the distributed test:
#   scripts/ci/standalone-cluster.sh start DIR   prints the master URL
#   scripts/ci/standalone-cluster.sh stop DIR    stops master and workers, removes DIR
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ACTION="${1:?start or stop}"
DIR="${2:?work directory}"
MASTER_PORT="${MARKETING_TEST_MASTER_PORT:-17077}"
export SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1

stop_all() {
  for pidfile in "$DIR"/*.pid; do
    [[ -f "$pidfile" ]] || continue
    pid="$(cat "$pidfile")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$pidfile"
  done
}

case "$ACTION" in
  start)
    HOME_DIR="$("$ROOT/scripts/spark-home.sh")"
    export SPARK_HOME="$HOME_DIR"
    mkdir -p "$DIR"
    CP="$HOME_DIR/jars/*"
    java -Xmx512m -cp "$CP" org.apache.spark.deploy.master.Master --host 127.0.0.1 \
      --port "$MASTER_PORT" --webui-port 0 >"$DIR/master.log" 2>&1 &
    echo $! >"$DIR/master.pid"
    for _ in $(seq 1 60); do
      grep -q "I have been elected leader" "$DIR/master.log" 2>/dev/null && break
      sleep 1
    done
    for w in 1 2; do
      mkdir -p "$DIR/worker$w"
      java -Xmx512m -cp "$CP" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 \
        --cores 1 --memory 3g --webui-port 0 --work-dir "$DIR/worker$w" \
        "spark://127.0.0.1:$MASTER_PORT" >"$DIR/worker$w.log" 2>&1 &
      echo $! >"$DIR/worker$w.pid"
    done
    for w in 1 2; do
      for _ in $(seq 1 60); do
        grep -q "Successfully registered with master" "$DIR/worker$w.log" 2>/dev/null && break
        sleep 1
      done
      if ! grep -q "Successfully registered with master" "$DIR/worker$w.log"; then
        echo "standalone-cluster.sh: worker $w did not register; see $DIR/worker$w.log" >&2
        stop_all
        exit 1
      fi
    done
    echo "spark://127.0.0.1:$MASTER_PORT"
    ;;
  stop)
    stop_all
    rm -rf "$DIR"
    ;;
  *)
    echo "standalone-cluster.sh: unknown action '$ACTION' (start or stop)" >&2
    exit 2
    ;;
esac
