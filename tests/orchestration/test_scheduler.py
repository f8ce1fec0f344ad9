"""The DAG under a real `airflow scheduler` with the LocalExecutor and an SQLite metadata DB.

Airflow 3 splits what `airflow dags test` does in one process into services: the dag-processor
parses dags/ into the DB, the scheduler queues task instances and its LocalExecutor runs them,
and each task process reports its state through the api-server's execution API (tasks never
write the metadata DB themselves). So the test starts all three, unpauses and triggers the DAG,
waits for the run to succeed, and stops everything, whatever happens.
"""
from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import duckdb
import pytest

from tests.orchestration.airflow_processes import Services, airflow, airflow_env, free_port, task_log_errors

DAG_ID = "report_warehouse"
RUN_ID = "manual__scheduler_test"
RUN_TIMEOUT = 240  # seconds for the whole run, once the services are up


def _query(db: Path, sql: str, params: tuple = ()) -> list[tuple]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        return con.execute(sql, params).fetchall()
    except sqlite3.OperationalError:  # a table not migrated yet, or the DB busy: ask again later
        return []
    finally:
        con.close()


@pytest.mark.timeout(420)
def test_a_scheduler_with_the_local_executor_runs_the_dag(sample_inbox: Path, warehouse: Path, tmp_path: Path) -> None:
    home = tmp_path / "airflow"
    db = home / "airflow.db"
    port = free_port()
    env = airflow_env(
        home, executor="LocalExecutor", sql_alchemy_conn=f"sqlite:///{db}", api_port=port,
        REPORTS_INBOX=str(sample_inbox), REPORTS_WAREHOUSE=str(warehouse), REPORTS_DIR=str(tmp_path / "reports"),
        REPORTS_BATCH_SIZE="3",  # three extract batches from the seven samples
        # Only the triggered run: unpausing must not add a scheduled one for the latest interval.
        AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE="False",
    )
    home.mkdir()
    airflow(env, "db", "migrate", timeout=300)
    services = Services(tmp_path / "logs", env)
    try:
        services.start("api-server", "api-server", "--apps", "execution", "--host", "127.0.0.1", "--port", str(port))
        services.start("dag-processor", "dag-processor")
        services.start("scheduler", "scheduler")
        services.wait_for_port(port, timeout=120)

        deadline = time.monotonic() + 120
        while not _query(db, "select 1 from dag where dag_id = ?", (DAG_ID,)):
            services.check_alive()
            assert time.monotonic() < deadline, f"the dag-processor never registered {DAG_ID}:\n{services.report()}"
            time.sleep(1)
        airflow(env, "dags", "unpause", DAG_ID)
        airflow(env, "dags", "trigger", DAG_ID, "--run-id", RUN_ID)

        deadline = time.monotonic() + RUN_TIMEOUT
        state = None
        while state not in ("success", "failed"):
            services.check_alive()
            assert time.monotonic() < deadline, f"run {RUN_ID} still {state} after {RUN_TIMEOUT}s:\n{services.report()}"
            time.sleep(2)
            rows = _query(db, "select state from dag_run where dag_id = ? and run_id = ?", (DAG_ID, RUN_ID))
            state = rows[0][0] if rows else None
        tasks = _query(db, "select task_id, map_index, state from task_instance where dag_id = ? and run_id = ?",
                       (DAG_ID, RUN_ID))
        assert state == "success", f"{tasks}\n{task_log_errors(home)}\n{services.report()}"
    finally:
        services.stop()

    states = {(task_id, map_index): s for task_id, map_index, s in tasks}
    assert sorted(m for t, m in states if t == "extract") == [0, 1, 2]  # mapped over three batches
    assert set(states.values()) == {"success"}, states
    assert [r[0] for r in _query(db, "select run_id from dag_run where dag_id = ?", (DAG_ID,))] == [RUN_ID]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        runs = con.execute("select trigger, verdict, published from audit.runs").fetchall()
        assert con.execute("select count(*) from marts.fct_indicators").fetchone()[0] > 0
    assert runs and set(runs) == {("airflow", "passed", True)}
