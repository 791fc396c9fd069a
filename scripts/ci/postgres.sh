#!/usr/bin/env bash
# Starts or stops a throw-away PostgreSQL server on 127.0.0.1 for the export tests.
#   scripts/ci/postgres.sh start DIR [PORT]   installs Debian's postgresql if missing (needs root
#                                             and apt), creates a cluster in DIR, starts it, and
#                                             creates user "marketing" (password "marketing")
#                                             and database "marketing"
#   scripts/ci/postgres.sh stop DIR           stops it and removes DIR
set -euo pipefail
ACTION="${1:?start or stop}"
DIR="${2:?data directory}"
PORT="${3:-54329}"

pg_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1
}

# PostgreSQL refuses to run as root: run its tools as the postgres user then.
as_owner() {
  if [[ "$(id -u)" == 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "$ACTION" in
  start)
    if [[ -z "$(pg_bin)" ]]; then
      if [[ "$(id -u)" != 0 ]] || ! command -v apt-get >/dev/null; then
        echo "postgres.sh: PostgreSQL is not installed and cannot be installed here (needs root and apt-get): install the postgresql package" >&2
        exit 1
      fi
      echo "postgres.sh: installing postgresql (apt-get)..." >&2
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq >&2
      apt-get install -y -qq postgresql >&2
    fi
    BIN="$(pg_bin)"
    rm -rf "$DIR"
    mkdir -p "$DIR"
    if [[ "$(id -u)" == 0 ]]; then chown postgres "$DIR"; fi
    PWFILE="$DIR/.pw"
    echo marketing > "$PWFILE"
    if [[ "$(id -u)" == 0 ]]; then chown postgres "$PWFILE"; fi
    as_owner "$BIN/initdb" -D "$DIR/data" -U marketing --pwfile="$PWFILE" \
      --auth-host=scram-sha-256 --auth-local=trust >"$DIR/initdb.log" 2>&1
    as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR" start >/dev/null
    PGPASSWORD=marketing "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U marketing marketing
    echo "jdbc:postgresql://127.0.0.1:$PORT/marketing"
    ;;
  stop)
    BIN="$(pg_bin)"
    if [[ -n "$BIN" && -f "$DIR/data/postmaster.pid" ]]; then
      as_owner "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null || true
    fi
    rm -rf "$DIR"
    ;;
  *)
    echo "postgres.sh: unknown action '$ACTION' (start or stop)" >&2
    exit 2
    ;;
esac
