"""Checks the DAG without Airflow: imports it against small stand-ins of the Airflow classes it
uses, then verifies that every SparkSubmitOperator calls an existing subcommand of the CLI with
options that subcommand has.

    python3 scripts/airflow/check_dag.py CLI_SPEC.json [DAG_FILE]

CLI_SPEC.json is what the CLI's `cli-spec` subcommand prints: the pipeline's stages in run-all's
order ("pipeline") and each subcommand's option names ("subcommands"). Every pipeline stage must
have a task, and each stage's task must run downstream of the previous stage's task. Exit 0 when
all is consistent, 1 with one line per problem otherwise.
"""

import importlib.util
import json
import sys
import types
from pathlib import Path

TASKS = []


class _Task:
    def __init__(self, task_id, **kwargs):
        self.task_id = task_id
        self.kwargs = kwargs
        self.downstream = []
        TASKS.append(self)

    def __rshift__(self, other):
        self.downstream.append(other)
        return other


class SparkSubmitOperator(_Task):
    pass


class ShortCircuitOperator(_Task):
    pass


class DAG:
    def __init__(self, dag_id, **kwargs):
        self.dag_id = dag_id
        self.kwargs = kwargs

    def __enter__(self):
        return self

    def __exit__(self, *args):
        return False


class Param:
    def __init__(self, default=None, **kwargs):
        self.default = default


def _stub(name, **attrs):
    module = types.ModuleType(name)
    module.__dict__.update(attrs)
    sys.modules[name] = module


def load(dag_file):
    _stub("airflow", DAG=DAG)
    _stub("airflow.models")
    _stub("airflow.models.param", Param=Param)
    _stub("airflow.operators")
    _stub("airflow.operators.python", ShortCircuitOperator=ShortCircuitOperator)
    _stub("airflow.providers")
    _stub("airflow.providers.apache")
    _stub("airflow.providers.apache.spark")
    _stub("airflow.providers.apache.spark.operators")
    _stub(
        "airflow.providers.apache.spark.operators.spark_submit",
        SparkSubmitOperator=SparkSubmitOperator,
    )
    spec = importlib.util.spec_from_file_location("marketing_dag", dag_file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def downstream_of(task):
    """Every task that runs after `task` (transitively)."""
    seen, todo = set(), list(task.downstream)
    while todo:
        t = todo.pop()
        if id(t) not in seen:
            seen.add(id(t))
            todo.extend(t.downstream)
            yield t


def problems(spec, dag_file):
    cli = {name: set(options) for name, options in spec["subcommands"].items()}
    pipeline = spec["pipeline"]
    module = load(dag_file)
    found = []
    submits = [t for t in TASKS if isinstance(t, SparkSubmitOperator)]
    if not submits:
        found.append("no SparkSubmitOperator in the DAG")
    for task in submits:
        args = task.kwargs.get("application_args") or []
        if task.kwargs.get("java_class") != "org.marketingengine.cli.MarketingCli":
            found.append(f"{task.task_id}: java_class is not org.marketingengine.cli.MarketingCli")
        if not args:
            found.append(f"{task.task_id}: no application_args")
            continue
        subcommand, options = args[0], [a for a in args[1:] if a.startswith("--")]
        if subcommand not in cli:
            found.append(f"{task.task_id}: subcommand '{subcommand}' is not in the CLI")
            continue
        for option in options:
            if option not in cli[subcommand]:
                found.append(
                    f"{task.task_id}: '{subcommand}' has no option {option}"
                    f" (it has {', '.join(sorted(cli[subcommand]))})"
                )
        if "--run-date" not in options:
            found.append(f"{task.task_id}: no --run-date")
        elif "ds" not in args[args.index("--run-date") + 1]:
            found.append(f"{task.task_id}: --run-date is not the logical date")
        if task.kwargs.get("retries", module.default_args.get("retries", 0)) < 1:
            found.append(f"{task.task_id}: no retries")
    dags = [v for v in vars(module).values() if isinstance(v, DAG)]
    if not dags or dags[0].kwargs.get("max_active_runs") != 1:
        found.append("the DAG must set max_active_runs=1")
    by_stage = {t.kwargs["application_args"][0]: t for t in submits if t.kwargs.get("application_args")}
    for needed in pipeline:
        if needed not in by_stage:
            found.append(f"no task runs '{needed}'")
    ordered = [by_stage[s] for s in pipeline if s in by_stage]
    for before, after in zip(ordered, ordered[1:]):
        if all(t is not after for t in downstream_of(before)):
            found.append(
                f"{after.task_id} does not run after {before.task_id}, as the pipeline orders them")
    return found


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    spec = json.loads(Path(sys.argv[1]).read_text())
    dag_file = sys.argv[2] if len(sys.argv) > 2 else str(
        Path(__file__).with_name("marketing_strategy_dag.py"))
    found = problems(spec, dag_file)
    for p in found:
        print(f"check_dag: {p}")
    if not found:
        print(f"check_dag: {len([t for t in TASKS if isinstance(t, SparkSubmitOperator)])} spark-submit tasks match the CLI")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
