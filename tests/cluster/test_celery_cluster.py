"""The DAG on the engine docker-compose.yml describes, without Docker: CeleryExecutor, PostgreSQL
metadata DB, Redis broker, an api-server for the execution API, a dag-processor, a scheduler and
two Celery workers, all real processes on this machine.

Run by `make test-cluster` (cluster/run_cluster.sh starts PostgreSQL and Redis and passes their
URLs in CLUSTER_SQL_ALCHEMY_CONN and CLUSTER_BROKER_URL). Checks that the run succeeds, that the
extraction batches ran on both workers, and that the published warehouse has the same marts as
the embedded default (`airflow dags test` on SQLite, what `make run` does) makes of the same inbox.
"""
from __future__ import annotations

import os
import re
import time
from pathlib import Path

import psycopg2
import pytest

from tests.orchestration.airflow_processes import Services, airflow, airflow_env, free_port, task_log_errors
from tests.orchestration.warehouse_state import marts_snapshot, published_runs

DAG_ID = "report_warehouse"
RUN_ID = "manual__cluster_test"
BATCH_SIZE = "2"  # seven samples: four extraction batches
WORKERS = ("w1", "w2")
SQL_ALCHEMY_CONN = os.environ.get("CLUSTER_SQL_ALCHEMY_CONN", "")
BROKER_URL = os.environ.get("CLUSTER_BROKER_URL", "")

pytestmark = pytest.mark.skipif(not (SQL_ALCHEMY_CONN and BROKER_URL), reason="run through `make test-cluster`")


def _query(sql: str, params: tuple = ()) -> list[tuple]:
    dsn = SQL_ALCHEMY_CONN.replace("postgresql+psycopg2://", "postgresql://")
    with psycopg2.connect(dsn) as con, con.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()


def _wait(condition, what: str, timeout: float, services: Services) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        services.check_alive()
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} after {timeout}s:\n{services.report()}")
        time.sleep(1)


def _reports_env(tmp_path: Path, name: str, inbox: Path) -> dict[str, str]:
    return {
        "REPORTS_INBOX": str(inbox),
        "REPORTS_WAREHOUSE": str(tmp_path / name / "warehouse.duckdb"),
        "REPORTS_DIR": str(tmp_path / name / "reports"),
        "REPORTS_BATCH_SIZE": BATCH_SIZE,
    }


def _embedded_default(tmp_path: Path, inbox: Path) -> Path:
    """The same DAG the way `make run` runs it: `airflow dags test` with SQLite, in one process."""
    home = tmp_path / "embedded-airflow"
    home.mkdir()
    env = airflow_env(home, executor="LocalExecutor", sql_alchemy_conn=f"sqlite:///{home}/airflow.db",
                      api_port=free_port(), **_reports_env(tmp_path, "embedded", inbox))
    airflow(env, "db", "migrate", timeout=300)
    airflow(env, "dags", "test", DAG_ID, timeout=600)
    return Path(env["REPORTS_WAREHOUSE"])


@pytest.mark.timeout(900)
def test_two_celery_workers_run_the_dag_and_publish_what_the_embedded_default_publishes(
    sample_inbox: Path, tmp_path: Path,
) -> None:
    home = tmp_path / "airflow"
    home.mkdir()
    port = free_port()
    env = airflow_env(
        home, executor="CeleryExecutor", sql_alchemy_conn=SQL_ALCHEMY_CONN, api_port=port,
        AIRFLOW__CELERY__BROKER_URL=BROKER_URL,
        AIRFLOW__CELERY__RESULT_BACKEND="db+" + SQL_ALCHEMY_CONN.replace("postgresql+psycopg2", "postgresql"),
        AIRFLOW__CELERY__WORKER_CONCURRENCY="1",
        AIRFLOW__CELERY__WORKER_PREFETCH_MULTIPLIER="1",
        AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE="False",  # only the triggered run
        **_reports_env(tmp_path, "cluster", sample_inbox),
    )
    airflow(env, "db", "migrate", timeout=300)
    services = Services(tmp_path / "logs", env)
    try:
        services.start("api-server", "api-server", "--apps", "execution", "--host", "127.0.0.1", "--port", str(port))
        services.start("dag-processor", "dag-processor")
        services.start("scheduler", "scheduler")
        for n, name in enumerate(WORKERS):
            # Two workers on one machine: distinct Celery node names, log-server ports and pid files.
            worker_env = {**env, "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port())}
            services.start(name, "celery", "worker", "--celery-hostname", f"{name}@%h", "--concurrency", "1",
                           "--pid", str(tmp_path / f"{name}.pid"), env=worker_env)
        services.wait_for_port(port, timeout=180)
        _wait(lambda: _query("select 1 from dag where dag_id = %s", (DAG_ID,)),
              f"the dag-processor never registered {DAG_ID}", 180, services)
        _wait(lambda: all(re.search(rf"{name}@\S+ ready", services.tail(name, 400)) for name in WORKERS),
              "the Celery workers never came up", 180, services)

        airflow(env, "dags", "unpause", DAG_ID)
        airflow(env, "dags", "trigger", DAG_ID, "--run-id", RUN_ID)

        def finished() -> bool:
            rows = _query("select state from dag_run where dag_id = %s and run_id = %s", (DAG_ID, RUN_ID))
            return bool(rows) and rows[0][0] in ("success", "failed")

        _wait(finished, f"run {RUN_ID} did not finish", 420, services)
        state = _query("select state from dag_run where dag_id = %s and run_id = %s", (DAG_ID, RUN_ID))[0][0]
        tasks = _query("select task_id, map_index, state, hostname from task_instance "
                       "where dag_id = %s and run_id = %s order by task_id, map_index", (DAG_ID, RUN_ID))
        assert state == "success", f"{tasks}\n{task_log_errors(home)}\n{services.report()}"
        worker_logs = {name: services.tail(name, 5000) for name in WORKERS}
    finally:
        services.stop()

    extract = sorted(map_index for task_id, map_index, _, _ in tasks if task_id == "extract")
    assert extract == [0, 1, 2, 3], tasks
    assert {s for _, _, s, _ in tasks} == {"success"}, tasks
    # Which worker ran which batch: each worker logs the task instances it executes.
    ran_extract = {
        name: re.findall(r"Executing workload in Celery: .*?log_path='[^']*/task_id=extract/map_index=(\d+)/", log)
        for name, log in worker_logs.items()
    }
    assert all(ran_extract.values()), f"extract batches per worker: {ran_extract}"
    assert sorted(int(m) for found in ran_extract.values() for m in found) == extract

    cluster_warehouse = tmp_path / "cluster" / "warehouse.duckdb"
    assert published_runs(cluster_warehouse)[-1][1:] == ("passed", True)
    cluster_marts = marts_snapshot(cluster_warehouse)
    assert len(cluster_marts["dim_documents"]) == len(list(sample_inbox.iterdir())), "not every sample was loaded"
    embedded = _embedded_default(tmp_path, sample_inbox)
    assert cluster_marts == marts_snapshot(embedded)
