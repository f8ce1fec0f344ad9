"""Every step can run again: a retried or cleared task, a second DAG run over the same inputs and a
backfill (`reprocess`) all leave the warehouse as one clean run would."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb

from tests.conftest import run_cli
from tests.orchestration.conftest import Published
from tests.orchestration.warehouse_state import marts_snapshot, published_runs, sha256

AIRFLOW = Path(sys.executable).parent / "airflow"
AUDIT_COUNTS = """
    select (select count(*) from audit.file_ingestions where run_id = $run),
           (select count(*) from audit.runs where run_id = $run),
           (select count(*) from audit.validation_results where run_id = $run),
           (select count(*) from raw.documents),
           (select count(*) from raw.indicators)
"""


def _audit_counts(db: Path, run_id: str) -> tuple:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(AUDIT_COUNTS, {"run": run_id}).fetchone()


def _ingestions(db: Path, run_id: str) -> dict[str, str]:
    with duckdb.connect(str(db), read_only=True) as con:
        return dict(con.execute("select source_path, status from audit.file_ingestions where run_id = ?",
                                [run_id]).fetchall())


def test_rerunning_load_dbt_validate_and_publish_of_a_published_run_changes_nothing(
    first_published: Published, next_published: Published, tmp_path: Path,
) -> None:
    """What `airflow tasks clear` of load and everything after it does to a run that already published."""
    from pipeline.discover import discover
    from pipeline.extract import extract_batch
    from pipeline.load import load
    from pipeline.publish import publish
    from pipeline.settings import load_settings
    from pipeline.transform import dbt_build
    from pipeline.validate import validate

    warehouse = first_published.copy_to(tmp_path)
    settings = load_settings(next_published.inbox, warehouse, tmp_path / "reports")
    run_id = "manual__idempotency"
    plan = discover(settings, run_id, trigger="airflow")
    for batch_no in range(len(plan.batches)):
        extract_batch(settings, run_id, batch_no)

    def load_to_publish() -> None:
        build = Path(load(settings, run_id).build_path)
        dbt_build(build)
        validate(build, run_id, settings.reports_dir)
        publish(settings, run_id)

    load_to_publish()
    once = (marts_snapshot(warehouse), _audit_counts(warehouse, run_id))
    assert once[0] == next_published.marts

    load_to_publish()  # the whole tail again, for the same run
    assert (marts_snapshot(warehouse), _audit_counts(warehouse, run_id)) == once

    published = sha256(warehouse)
    publish(settings, run_id)  # a retried publish after its rename: nothing left to do, nothing changes
    extract_batch(settings, run_id, 0)  # a retried extract rewrites its batch, the warehouse is untouched
    assert sha256(warehouse) == published


def _dags_test(env: dict[str, str], conf: dict | None = None) -> None:
    args = [str(AIRFLOW), "dags", "test", "report_warehouse"]
    if conf:
        args += ["--conf", json.dumps(conf)]
    result = subprocess.run(args, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]


def test_the_dag_twice_over_the_same_inputs_gives_the_same_warehouse(sample_inbox: Path, warehouse: Path,
                                                                    tmp_path: Path) -> None:
    env = {**os.environ, "REPORTS_INBOX": str(sample_inbox), "REPORTS_WAREHOUSE": str(warehouse),
           "REPORTS_DIR": str(tmp_path / "reports")}
    _dags_test(env)
    first = marts_snapshot(warehouse)
    _dags_test(env, {"reprocess": "all"})  # every file extracted and loaded again
    assert marts_snapshot(warehouse) == first
    runs = published_runs(warehouse)
    assert [(verdict, published) for _, verdict, published in runs] == [("passed", True)] * 2

    published = sha256(warehouse)
    _dags_test(env)  # nothing new: discovery skips and nothing downstream rewrites the published file
    assert sha256(warehouse) == published, "a run over an unchanged inbox republished the warehouse"


def test_reprocess_one_named_file_extracts_only_that_file(first_published: Published, tmp_path: Path) -> None:
    warehouse = first_published.copy_to(tmp_path)
    target = "02_medical_insurance_2023h1.txt"
    result = run_cli("run", "--inbox", first_published.inbox, "--warehouse", warehouse, "--reprocess", target)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    run_id = published_runs(warehouse)[-1][0]
    statuses = _ingestions(warehouse, run_id)
    assert statuses.pop(target) == "loaded"
    assert set(statuses.values()) == {"unchanged"}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        reloaded = dict(con.execute("select source_path, run_id from raw.documents").fetchall())
    assert reloaded[target] == run_id
    assert all(r != run_id for path, r in reloaded.items() if path != target)
    assert marts_snapshot(warehouse) == first_published.marts  # same bytes, same rules: same marts


def test_reprocess_all_extracts_everything_again_with_the_same_result(first_published: Published,
                                                                     tmp_path: Path) -> None:
    warehouse = first_published.copy_to(tmp_path)
    result = run_cli("run", "--inbox", first_published.inbox, "--warehouse", warehouse, "--reprocess", "all")
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    run_id = published_runs(warehouse)[-1][0]
    assert set(_ingestions(warehouse, run_id).values()) == {"loaded"}
    assert marts_snapshot(warehouse) == first_published.marts


def test_reprocess_of_a_file_not_in_the_inbox_is_refused_and_changes_nothing(first_published: Published,
                                                                            tmp_path: Path) -> None:
    warehouse = first_published.copy_to(tmp_path)
    result = run_cli("run", "--inbox", first_published.inbox, "--warehouse", warehouse, "--reprocess", "no_such.txt")
    assert result.returncode == 2
    assert "no_such.txt" in result.stderr
    assert sha256(warehouse) == first_published.sha256
