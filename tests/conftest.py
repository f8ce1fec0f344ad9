"""Shared fixtures: real inboxes copied to a temporary folder, and a way to run the real CLI."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_INBOX = PROJECT_ROOT / "examples" / "inbox"
# ../shared/samples beside the checkout (CI lays it there); else the copy kept among the fixtures.
_SHARED = PROJECT_ROOT.parent / "shared" / "samples"
SHARED_SAMPLES = _SHARED if _SHARED.is_dir() else PROJECT_ROOT / "tests" / "fixtures" / "shared_samples"
CLI = Path(sys.executable).parent / "report-warehouse"

# The same embedded Airflow the Makefile sets up (`make test` migrates its SQLite DB first).
os.environ.setdefault("AIRFLOW_HOME", str(PROJECT_ROOT / "var" / "airflow"))
os.environ.setdefault("AIRFLOW__CORE__DAGS_FOLDER", str(PROJECT_ROOT / "dags"))
os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
os.environ.setdefault("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", f"sqlite:///{PROJECT_ROOT / 'var' / 'airflow' / 'airflow.db'}")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")


@pytest.fixture
def sample_inbox(tmp_path: Path) -> Path:
    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLE_INBOX, inbox)
    return inbox


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    return tmp_path / "published" / "warehouse.duckdb"


def run_cli(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(CLI), *map(str, args)],
        capture_output=True, text=True, timeout=900,
        env={**os.environ, **(env or {})},
    )
