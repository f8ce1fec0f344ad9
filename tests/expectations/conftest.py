"""Fixtures for the quality gate's tests: a known-good build file, and a way to plant bad rows."""
from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from expectations import data_docs
from tests.expectations.synthetic import RUN_ID, build_warehouse


@pytest.fixture(scope="session", autouse=True)
def vendored_data_docs_assets() -> None:
    """The pinned Data Docs assets, installed once from the npm registry if the Makefile did not."""
    if data_docs.assets_installed():
        return
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail(f"npm is needed to vendor the Data Docs assets: apt-get install -y npm, then {data_docs.INSTALL_COMMAND}")
    subprocess.run([npm, "ci", "--prefix", str(data_docs.ASSETS_DIR)], check=True, timeout=600)
    assert data_docs.assets_installed(), "npm ci ran but the pinned files are not there"


@pytest.fixture(scope="session")
def _pristine_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_warehouse(tmp_path_factory.mktemp("pristine") / "build.duckdb", run_id=RUN_ID)


@pytest.fixture
def build_file(tmp_path: Path, _pristine_build: Path) -> Path:
    """A fresh copy of the good build file for each test to damage as it likes."""
    target = tmp_path / "build" / "run.duckdb"
    target.parent.mkdir()
    shutil.copyfile(_pristine_build, target)
    return target


@pytest.fixture
def reports_dir(tmp_path: Path) -> Path:
    return tmp_path / "reports"


@pytest.fixture
def plant(build_file: Path) -> Callable[..., None]:
    """Run SQL against the build file: how a test plants its bad rows."""
    def run(*statements: str) -> None:
        with duckdb.connect(str(build_file)) as con:
            for statement in statements:
                con.execute(statement)
    return run
