#!/usr/bin/env bash
# Reliability case 10 (skew): one key account with 30% of all events. Generates USERS users
# (CSV), makes a copy in which one extra user holds 30% of the events (spread over the history,
# a few per hour: a real key account, not a bot), runs run-all on both, one after the other, and
# prints per stage the wall time of each run and the ratio, then checks the key account's rows.
#   scripts/bench/skew.sh USERS [WORK_DIR]
# Measure on an idle machine. Needs python3.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
USERS="${1:?users}"
WORK="${2:-/tmp/marketing-bench/skew-$USERS}"
SHARE="${SKEW_SHARE:-0.3}"
export MARKETING_PII_SECRET="${MARKETING_PII_SECRET:-bench-key}"
rm -rf "$WORK"
mkdir -p "$WORK"

"$ROOT/scripts/marketing" generate-data --conf "$ROOT/conf/local.conf" --run-date 2026-11-01 \
  --users "$USERS" --items $((USERS / 20 > 200 ? USERS / 20 : 200)) --days 60 --format csv \
  --noise-rate 0.01 --output "$WORK/plain" >"$WORK/generate.log" 2>&1
cp -r "$WORK/plain" "$WORK/skewed"

python3 - "$WORK/skewed" "$SHARE" <<'PY'
import csv, glob, random, sys
from datetime import datetime, timedelta, timezone
root, share = sys.argv[1], float(sys.argv[2])
random.seed(7)
events = sorted(glob.glob(f"{root}/events/*.csv"))
rows = sum(sum(1 for _ in open(f, encoding="utf-8")) - 1 for f in events)
extra = int(rows * share / (1 - share))
items = [r["item_id"] for f in glob.glob(f"{root}/items/*.csv") for r in csv.DictReader(open(f, encoding="utf-8"))]
header = open(events[0], encoding="utf-8").readline().strip().split(",")
end = datetime(2026, 11, 1, tzinfo=timezone.utc)
span = 59 * 24 * 3600
with open(f"{root}/events/zz-key-account.csv", "w", encoding="utf-8", newline="") as out:
    w = csv.DictWriter(out, fieldnames=header)
    w.writeheader()
    for i in range(extra):
        t = end - timedelta(seconds=span * (i + random.random()) / extra)
        kind = random.choices(["view", "click", "cart", "purchase"], [60, 25, 10, 5])[0]
        w.writerow({c: "" for c in header} | {
            "event_id": f"key-{i}", "user_id": "u-key-account", "item_id": random.choice(items),
            "event_type": kind, "event_time": t.strftime("%Y-%m-%dT%H:%M:%SZ"), "quantity": 1,
            "price": round(random.uniform(5, 200), 2) if kind == "purchase" else "",
            "channel": "web", "session_id": f"key-{i // 20}"})
users = sorted(glob.glob(f"{root}/users/*.csv"))
uheader = open(users[0], encoding="utf-8").readline().strip().split(",")
with open(f"{root}/users/zz-key-account.csv", "w", encoding="utf-8", newline="") as out:
    w = csv.DictWriter(out, fieldnames=uheader)
    w.writeheader()
    w.writerow({c: "" for c in uheader} | {"user_id": "u-key-account", "age": 40,
               "income": 90000, "email_opt_in": "true"})
print(f"skew.sh: {rows} events, {extra} added for u-key-account ({share:.0%} of all)")
PY

for run in plain skewed; do
  start=$(date +%s)
  if ! "$ROOT/scripts/marketing" run-all --conf "$ROOT/conf/local.conf" --run-date 2026-11-01 \
    --input "$WORK/$run" --output "$WORK/out-$run" >"$WORK/$run.log" 2>&1; then
    echo "skew.sh: run-all on $run failed; see $WORK/$run.log" >&2
    tail -3 "$WORK/$run.log" >&2
    exit 1
  fi
  echo "skew.sh: $run run-all $(( $(date +%s) - start )) s" >&2
done

python3 - "$WORK" <<'PY'
import re, sys
work = sys.argv[1]
def stages(run):
    times = {}
    for line in open(f"{work}/{run}.log", encoding="utf-8", errors="replace"):
        m = re.search(r"StageRunner: (\S+) done in ([0-9.]+)(ms|s|m)?", line)
        if m:
            v = float(m.group(2)) / (1000 if m.group(3) == "ms" else 1) * (60 if m.group(3) == "m" else 1)
            times[m.group(1)] = v
    return times
plain, skewed = stages("plain"), stages("skewed")
print("| stage | plain (s) | one user with 30% of events (s) | ratio |")
print("|---|---|---|---|")
for stage in plain:
    if stage in skewed:
        print(f"| {stage} | {plain[stage]:.1f} | {skewed[stage]:.1f} | {skewed[stage] / plain[stage]:.2f} |")
print(f"| total | {sum(plain.values()):.1f} | {sum(skewed.values()):.1f} | {sum(skewed.values()) / sum(plain.values()):.2f} |")
PY
