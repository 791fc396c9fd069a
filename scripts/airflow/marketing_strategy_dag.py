"""Airflow DAG: the marketing strategy jobs, one SparkSubmitOperator task per stage.

ingest -> clean -> features -> [train, weekly] -> profile -> recommend -> [evaluate, when
responses arrived] -> strategy -> export -> report

Every task runs for the DAG run's logical date ({{ ds }}); a manual run may pass
{"run_date": "YYYY-MM-DD"} as its conf. Each stage replaces its own run_date partition, so a retry
or a rerun of any task is safe. The jar, the conf file and the paths are DAG params.
Needs apache-airflow-providers-apache-spark and a "spark_default" connection to the cluster.
"""

from datetime import datetime, timedelta
import os

from airflow import DAG
from airflow.models.param import Param
from airflow.operators.python import ShortCircuitOperator
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

MAIN_CLASS = "org.marketingengine.cli.MarketingCli"
# The logical date, or the run_date a manual trigger passes in its conf.
RUN_DATE = "{{ (dag_run.conf or {}).get('run_date') or ds }}"

default_args = {
    "owner": "marketing-data",
    "retries": 2,
    "retry_delay": timedelta(minutes=10),
    "retry_exponential_backoff": True,
}


def stage(task_id, subcommand, extra=(), **kwargs):
    """One stage as a spark-submit of the shaded jar."""
    args = [
        subcommand,
        "--conf", "{{ params.conf }}",
        "--run-date", RUN_DATE,
        "--output", "{{ params.output }}",
        *extra,
    ]
    return SparkSubmitOperator(
        task_id=task_id,
        application="{{ params.jar }}",
        java_class=MAIN_CLASS,
        conn_id="{{ params.spark_conn_id }}",
        application_args=args,
        name=f"marketing-{subcommand}",
        conf={"spark.sql.sources.partitionOverwriteMode": "dynamic"},
        **kwargs,
    )


def is_training_day(run_date, weekday, **_):
    """Train on one weekday (0 = Monday); -1 trains every day."""
    weekday = int(weekday)
    return weekday < 0 or datetime.strptime(run_date, "%Y-%m-%d").weekday() == weekday


def responses_arrived(responses_path, **_):
    """Evaluate only when the campaign responses of the run date are there."""
    return bool(responses_path) and (
        "://" in responses_path or os.path.exists(responses_path)
    )


with DAG(
    dag_id="marketing_strategy",
    description="Marketing strategy on Spark: ingest to strategy and export, daily",
    schedule="@daily",
    start_date=datetime(2026, 11, 1),
    catchup=False,
    max_active_runs=1,
    default_args=default_args,
    params={
        "jar": Param("/opt/marketing/spark-jobs.jar", type="string"),
        "conf": Param("/opt/marketing/conf/cluster.conf", type="string"),
        "input": Param("hdfs:///data/marketing/in/{{ ds }}", type="string"),
        "output": Param("hdfs:///data/marketing/out", type="string"),
        "responses": Param("hdfs:///data/marketing/in/{{ ds }}/responses", type="string"),
        "train_weekday": Param(0, type="integer"),
        "spark_conn_id": Param("spark_default", type="string"),
    },
    tags=["marketing", "spark"],
) as dag:
    ingest = stage("ingest", "ingest", extra=["--input", "{{ params.input }}"])
    clean = stage("clean", "clean")
    features = stage("features", "features")
    training_day = ShortCircuitOperator(
        task_id="training_day",
        python_callable=is_training_day,
        op_kwargs={"run_date": RUN_DATE, "weekday": "{{ params.train_weekday }}"},
        ignore_downstream_trigger_rules=False,
    )
    train = stage("train", "train")
    # Profiles use the latest models on or before the run date, so they run on the other days too.
    profile = stage("profile", "profile", trigger_rule="none_failed")
    recommend = stage("recommend", "recommend")
    responses = ShortCircuitOperator(
        task_id="responses_arrived",
        python_callable=responses_arrived,
        op_kwargs={"responses_path": "{{ params.responses }}"},
        ignore_downstream_trigger_rules=False,
    )
    evaluate = stage("evaluate", "evaluate")
    strategy = stage("strategy", "strategy", trigger_rule="none_failed")
    export = stage("export", "export")
    # The report of the day is written even when the export failed (its run header shows that).
    report = stage("report", "report", trigger_rule="all_done")

    ingest >> clean >> features >> training_day >> train >> profile
    features >> profile
    profile >> recommend >> responses >> evaluate >> strategy
    recommend >> strategy
    strategy >> export >> report
