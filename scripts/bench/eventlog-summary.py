#!/usr/bin/env python3
"""Where a stage's time goes, from a Spark event log: per job group (the pipeline names them
"<stage>: <step>"; jobs without a step name count under the stage) the wall time its jobs ran, the task time, shuffle bytes and spill; then the
slowest Spark stages with their call sites.

Run a stage with the event log on, then summarise it:
  scripts/marketing recommend ... --set spark.eventLog.enabled=true \
      --set spark.eventLog.dir=file:/tmp/evlog
  python3 scripts/bench/eventlog-summary.py /tmp/evlog/eventlog_v2_local-*      [--top 15]
"""
import argparse
import json
import os
import re
import subprocess
import sys
from collections import defaultdict


def mib(n):
    return f"{n / 2**20:,.0f}"


def read_lines(path):
    """The events of one log: a file, or a rolling log's directory (eventlog_v2_*, Spark 4's
    default) whose events_<n>_* files are read in order."""
    try:
        if os.path.isdir(path):
            parts = sorted((f for f in os.listdir(path) if f.startswith("events_")),
                           key=lambda f: int(re.match(r"events_(\d+)", f).group(1)))
            files = [os.path.join(path, f) for f in parts]
        else:
            files = [path]
        for f in files:
            if f.endswith(".zstd"):   # Spark 4 compresses event logs with zstd by default
                text = subprocess.run(["zstd", "-dc", f], check=True, capture_output=True).stdout
                yield from text.decode("utf-8").splitlines()
            else:
                with open(f, encoding="utf-8") as lines:
                    yield from lines
    except OSError as e:
        sys.exit(f"eventlog-summary: cannot read {path}: {e.strerror} (zstd logs need the zstd"
                 " tool, or run with --set spark.eventLog.compress=false)")
    except subprocess.CalledProcessError as e:
        sys.exit(f"eventlog-summary: zstd could not decompress {path}: {e.stderr.decode().strip()}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("log", help="one Spark event log: a file or a rolling log directory")
    parser.add_argument("--top", type=int, default=15, help="slowest Spark stages to list")
    args = parser.parse_args()

    jobs = {}            # job id -> {group, start, end, stages}
    stage_job = {}       # stage id -> job id
    stages = {}          # stage id -> info
    for line in read_lines(args.log):
        event = json.loads(line)
        kind = event.get("Event")
        if kind == "SparkListenerJobStart":
            props = event.get("Properties") or {}
            group = props.get("spark.job.description") or props.get("spark.jobGroup.id") or "-"
            jobs[event["Job ID"]] = {"group": group, "start": event["Submission Time"],
                                     "end": None}
            for s in event.get("Stage IDs", []):
                stage_job.setdefault(s, event["Job ID"])
        elif kind == "SparkListenerJobEnd":
            if event["Job ID"] in jobs:
                jobs[event["Job ID"]]["end"] = event["Completion Time"]
        elif kind == "SparkListenerStageCompleted":
            info = event["Stage Info"]
            if "Submission Time" not in info or "Completion Time" not in info:
                continue
            stages[info["Stage ID"]] = {
                "name": info.get("Stage Name", ""),
                "tasks": info.get("Number of Tasks", 0),
                "wall": (info["Completion Time"] - info["Submission Time"]) / 1000,
                "task_time": 0.0, "shuffle_read": 0, "shuffle_write": 0, "spill": 0,
                "input": 0,
            }
            for acc in info.get("Accumulables", []):
                name, value = acc.get("Name", ""), acc.get("Value")
                try:
                    value = int(value)
                except (TypeError, ValueError):
                    continue
                stage = stages[info["Stage ID"]]
                if name == "internal.metrics.executorRunTime":
                    stage["task_time"] = value / 1000
                elif name == "internal.metrics.shuffle.read.remoteBytesRead" or \
                        name == "internal.metrics.shuffle.read.localBytesRead":
                    stage["shuffle_read"] += value
                elif name == "internal.metrics.shuffle.write.bytesWritten":
                    stage["shuffle_write"] = value
                elif name == "internal.metrics.diskBytesSpilled":
                    stage["spill"] = value
                elif name == "internal.metrics.input.bytesRead":
                    stage["input"] = value

    groups = defaultdict(lambda: {"jobs": 0, "wall": 0.0, "first": None, "last": None,
                                  "task_time": 0.0, "shuffle": 0, "spill": 0})
    for job in jobs.values():
        g = groups[job["group"]]
        g["jobs"] += 1
        if job["end"] is not None:
            g["wall"] += (job["end"] - job["start"]) / 1000
        g["first"] = job["start"] if g["first"] is None else min(g["first"], job["start"])
        end = job["end"] or job["start"]
        g["last"] = end if g["last"] is None else max(g["last"], end)
    for sid, stage in stages.items():
        job = jobs.get(stage_job.get(sid))
        if job is None:
            continue
        g = groups[job["group"]]
        g["task_time"] += stage["task_time"]
        g["shuffle"] += stage["shuffle_write"]
        g["spill"] += stage["spill"]

    print("| job group | jobs | job wall s | span s | task s | shuffle write MiB | spill MiB |")
    print("|---|---|---|---|---|---|---|")
    for name, g in sorted(groups.items(), key=lambda kv: kv[1]["first"] or 0):
        span = ((g["last"] or 0) - (g["first"] or 0)) / 1000
        print(f"| {name} | {g['jobs']} | {g['wall']:.1f} | {span:.1f} | {g['task_time']:.1f} "
              f"| {mib(g['shuffle'])} | {mib(g['spill'])} |")

    print()
    print(f"Slowest {args.top} Spark stages:")
    print("| stage | group | tasks | wall s | task s | shuffle read MiB | write MiB | spill MiB "
          "| call site |")
    print("|---|---|---|---|---|---|---|---|---|")
    for sid, s in sorted(stages.items(), key=lambda kv: -kv[1]["wall"])[:args.top]:
        job = jobs.get(stage_job.get(sid), {"group": "-"})
        print(f"| {sid} | {job['group']} | {s['tasks']} | {s['wall']:.1f} | {s['task_time']:.1f} "
              f"| {mib(s['shuffle_read'])} | {mib(s['shuffle_write'])} | {mib(s['spill'])} "
              f"| {s['name'][:60]} |")


if __name__ == "__main__":
    main()
