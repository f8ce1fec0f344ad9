"""The whole DAG, run by Airflow itself (`airflow dags test`), then the published file queried."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb

AIRFLOW = Path(sys.executable).parent / "airflow"


def test_dag_run_publishes_the_warehouse(sample_inbox: Path, warehouse: Path, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "REPORTS_INBOX": str(sample_inbox),
        "REPORTS_WAREHOUSE": str(warehouse),
        "REPORTS_DIR": str(tmp_path / "reports"),
    }
    result = subprocess.run([str(AIRFLOW), "dags", "test", "report_warehouse"], env=env,
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for mart in ("dim_documents", "fct_tasks", "fct_indicators"):
            assert con.execute(f"select count(*) from marts.{mart}").fetchone()[0] > 0
        trigger, verdict, published = con.execute("select trigger, verdict, published from audit.runs").fetchone()
        value, unit = con.execute(
            "select value, unit from marts.fct_indicators where quantity_text = '568.4万元'").fetchone()
    assert (trigger, verdict, published) == ("airflow", "passed", True)
    assert (value, unit) == (568.4, "万元")
    assert (tmp_path / "reports" / "index.html").is_file()
