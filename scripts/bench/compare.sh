#!/usr/bin/env bash
# Side by side on the same data and machine: run-all (this project, Spark in local mode) and the
# reference pandas + scikit-learn script ../shared/bench/peer_pipeline.py, one after the other.
# Prints per step the wall time of both and the ratio, and each one's peak memory, as Markdown.
#   scripts/bench/compare.sh USERS [--items N] [--days 90] [--data DIR] [--peer FILE] [--keep]
# The data set is generated once per size (CSV, one file per input, so that both read the very
# same files) under DIR (default /tmp/marketing-bench/compare-USERS) and reused on later runs.
# Needs /usr/bin/time; installs Debian's python3-pandas and python3-sklearn with apt if missing.
# Measure on an otherwise idle machine: one job at a time.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
USERS="${1:?number of users (see --help)}"; shift
[[ "$USERS" == -h || "$USERS" == --help ]] && { sed -n '2,9p' "$0"; exit 0; }
ITEMS=""; DAYS=90; DATA=""; KEEP=0
PEER="$ROOT/../shared/bench/peer_pipeline.py"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --items) ITEMS="$2"; shift 2 ;;
    --days) DAYS="$2"; shift 2 ;;
    --data) DATA="$2"; shift 2 ;;
    --peer) PEER="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    *) echo "compare.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
ITEMS="${ITEMS:-$(( USERS / 5 < 20000 ? (USERS / 5 > 200 ? USERS / 5 : 200) : 20000 ))}"
DATA="${DATA:-/tmp/marketing-bench/compare-$USERS}"
RUN_DATE=2026-11-01
mkdir -p /tmp/marketing-bench
WORK="$(mktemp -d /tmp/marketing-bench/compare-run.XXXXXX)"
[[ -f "$PEER" ]] || { echo "compare.sh: no reference script at $PEER (use --peer)" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "compare.sh: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
# Debian's python3 (a python3 earlier on the PATH, e.g. pyenv's, lacks Debian's packages).
PY=/usr/bin/python3
[[ -x "$PY" ]] || PY="$(command -v python3)"
if ! "$PY" -c 'import pandas, sklearn' 2>/dev/null; then
  echo "compare.sh: installing python3-pandas and python3-sklearn with apt" >&2
  SUDO=""; [[ "$(id -u)" != 0 ]] && SUDO=sudo
  $SUDO apt-get update -q >&2 && $SUDO apt-get install -y -q python3-pandas python3-sklearn >&2
fi

# 1. Data: generated once, then flattened to one CSV file per input.
if [[ ! -f "$DATA/flat/events.csv" ]]; then
  echo "compare.sh: generating $USERS users, $ITEMS items, $DAYS days into $DATA" >&2
  rm -rf "$DATA"; mkdir -p "$DATA"
  "$ROOT/scripts/marketing" generate-data --conf "$ROOT/conf/local.conf" --run-date "$RUN_DATE" \
    --users "$USERS" --items "$ITEMS" --days "$DAYS" --format csv --noise-rate 0.01 \
    --output "$DATA/generated" >&2
  mkdir -p "$DATA/flat"
  for dir in "$DATA"/generated/*/; do
    name="$(basename "$dir")"
    parts=("$dir"part-*.csv)
    [[ -f "${parts[0]}" ]] || continue
    { head -n 1 "${parts[0]}"; for p in "${parts[@]}"; do tail -n +2 "$p"; done; } > "$DATA/flat/$name.csv"
  done
  cp "$DATA/generated/_generation.json" "$DATA/flat/" 2>/dev/null || true
fi
EVENTS="$(( $(wc -l < "$DATA/flat/events.csv") - 1 ))"

# 2. run-all, then the reference script, each under /usr/bin/time.
export MARKETING_PII_SECRET="${MARKETING_PII_SECRET:-bench-key}"
echo "compare.sh: run-all on $DATA/flat" >&2
MARKETING_DRIVER_MEMORY="${MARKETING_DRIVER_MEMORY:-8g}" /usr/bin/time -v \
  "$ROOT/scripts/marketing" run-all --conf "$ROOT/conf/local.conf" --run-date "$RUN_DATE" \
  --input "$DATA/flat" --output "$WORK/spark" --to strategy >"$WORK/spark.out" 2>"$WORK/spark.time"
echo "compare.sh: $PEER on $DATA/flat" >&2
/usr/bin/time -v "$PY" "$PEER" "$DATA/flat" "$WORK/peer" "$RUN_DATE" --all-users \
  >"$WORK/peer.out" 2>"$WORK/peer.time"

# 3. The table: our stages next to the reference's steps that do the same work.
python3 - "$WORK" "$USERS" "$EVENTS" <<'EOF'
import re, sys
work, users, events = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
ours = {m.group(1): float(m.group(2)) for m in
        re.finditer(r'^(\S+)\s+done in ([0-9.]+)s$', open(f'{work}/spark.out').read(), re.M)}
peer = {m.group(1): float(m.group(2)) for m in
        re.finditer(r'^(\S+)\s+([0-9.]+)s', open(f'{work}/peer.out').read(), re.M)}
def wall(path):
    text = open(path).read()
    t = re.search(r'Elapsed \(wall clock\) time.*: (\S+)', text).group(1).split(':')
    seconds = sum(float(x) * 60 ** i for i, x in enumerate(reversed(t)))
    rss = int(re.search(r'Maximum resident set size \(kbytes\): (\d+)', text).group(1)) / 1024 / 1024
    return seconds, rss
rows = [('read + clean', ['ingest', 'clean'], ['read', 'clean']),
        ('features', ['features'], ['features']),
        ('three models', ['train'], ['linreg', 'logreg', 'mlp']),
        ('profiles', ['profile'], ['profiles']),
        ('recommendations', ['recommend'], ['recommend']),
        ('strategy', ['evaluate', 'strategy'], ['strategy'])]
def fmt(s): return f'{int(s // 60)}:{s % 60:04.1f}'
print(f'\n{users} users, {events} events\n')
print('| step | run-all | reference | ratio |')
print('|---|---|---|---|')
for name, a, b in rows:
    x = sum(ours.get(s, 0.0) for s in a); y = sum(peer.get(s, 0.0) for s in b)
    print(f'| {name} ({" + ".join(a)}) | {fmt(x)} | {fmt(y)} | {x / y if y else float("nan"):.1f}x |')
(sw, sr), (pw, pr) = wall(f'{work}/spark.time'), wall(f'{work}/peer.time')
print(f'| **wall, whole process** | **{fmt(sw)}** | **{fmt(pw)}** | **{sw / pw:.1f}x** |')
print(f'| peak memory (max RSS) | {sr:.1f} GiB | {pr:.1f} GiB | |')
EOF
echo "compare.sh: logs in $WORK" >&2
[[ "$KEEP" == 1 ]] || rm -rf "$WORK/spark" "$WORK/peer"
