"""An incremental build by the same dbt project keeps the file's views and seeds and runs every
test; a file built by another version of the project (or a full refresh) gets everything rebuilt."""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from pipeline.transform import dbt_build, dbt_work_dir, project_fingerprint
from tests.dbt.raw_fixture import load_inbox

SAMPLE_INBOX = Path(__file__).resolve().parents[2] / "examples" / "inbox"

pytestmark = pytest.mark.timeout(900)


def _built_nodes(db: Path) -> set[str]:
    results = json.loads((dbt_work_dir(db) / "target" / "run_results.json").read_text(encoding="utf-8"))
    return {r["unique_id"] for r in results["results"]}


def _last_build(db: Path) -> tuple:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("select project_fingerprint, full_refresh, kept_views_and_seeds, nodes "
                           "from audit.dbt_builds order by finished_at desc limit 1").fetchone()


def _view_sql(db: Path, name: str) -> str:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("select sql from duckdb_views() where view_name = ?", [name]).fetchone()[0]


def test_unchanged_project_keeps_views_and_seeds_and_runs_every_test(tmp_path: Path) -> None:
    db = tmp_path / "warehouse.duckdb"
    load_inbox(db, SAMPLE_INBOX, "run1", started=datetime(2024, 7, 1), use_extractors=False)

    dbt_build(db)
    everything = _built_nodes(db)
    assert _last_build(db) == (project_fingerprint(), False, False, len(everything))
    views_and_seeds = {n for n in everything if n.startswith("seed.")
                       or n.split(".")[-1].startswith(("stg_", "int_", "rpt_"))}
    assert any(n.startswith("seed.") for n in views_and_seeds) and "model.report_warehouse.stg_documents" in views_and_seeds

    # A view edited behind dbt's back shows whether the next build rewrites it.
    with duckdb.connect(str(db)) as con:
        con.execute("create or replace view staging.stg_anomalies as "
                    "select * from raw.anomalies where true")
    dbt_build(db)
    kept = _built_nodes(db)
    assert kept == everything - views_and_seeds
    assert {n for n in everything if n.startswith("test.")} <= kept
    assert _last_build(db)[2] is True
    assert _view_sql(db, "stg_anomalies").endswith("FROM raw.anomalies WHERE true;")

    # Built by another version of the project: every view and seed again.
    with duckdb.connect(str(db)) as con:
        con.execute("update audit.dbt_builds set project_fingerprint = 'older project'")
    dbt_build(db)
    assert _built_nodes(db) == everything
    assert "WHERE true" not in _view_sql(db, "stg_anomalies")

    dbt_build(db, full_refresh=True)
    assert _built_nodes(db) == everything
    assert _last_build(db)[1:3] == (True, False)
