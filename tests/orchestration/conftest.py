"""A published warehouse to start from, the next inbox, and what an uninterrupted run makes of it.

Built once per session: the kill, reader and reprocess tests each copy the published file and
start from exactly the same bytes.
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.orchestration.warehouse_state import make_inbox, marts_snapshot, sha256

LEFT_OUT_AT_FIRST = ("07_commerce_2024h1.txt",)
CHANGED_LATER = "01_eco_env_2024h1.txt"


@dataclass(frozen=True)
class Published:
    warehouse: Path
    inbox: Path  # what it was built from
    sha256: str
    marts: dict

    def copy_to(self, folder: Path) -> Path:
        """A private copy of the published file: its own .state and .build folders beside it."""
        target = folder / "published" / "warehouse.duckdb"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.warehouse, target)
        return target


def _publish(inbox: Path, warehouse: Path, reports: Path) -> None:
    result = run_cli("run", "--inbox", inbox, "--warehouse", warehouse, "--reports", reports)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]


@pytest.fixture(scope="session")
def first_published(tmp_path_factory: pytest.TempPathFactory) -> Published:
    """Six of the seven samples, run and published."""
    root = tmp_path_factory.mktemp("first")
    inbox = make_inbox(root / "inbox", leave_out=LEFT_OUT_AT_FIRST)
    warehouse = root / "published" / "warehouse.duckdb"
    _publish(inbox, warehouse, root / "reports")
    marts = marts_snapshot(warehouse)
    assert len(marts["dim_documents"]) == len(list(inbox.iterdir())), "the first run did not load every sample"
    return Published(warehouse, inbox, sha256(warehouse), marts)


@pytest.fixture(scope="session")
def next_inbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The next delivery: the seventh sample, one report changed, and a few new copies."""
    return make_inbox(tmp_path_factory.mktemp("next") / "inbox", variants=5, change=CHANGED_LATER)


@pytest.fixture(scope="session")
def next_published(first_published: Published, next_inbox: Path, tmp_path_factory: pytest.TempPathFactory) -> Published:
    """What one uninterrupted run over the next inbox makes of the first published warehouse."""
    root = tmp_path_factory.mktemp("uninterrupted")
    warehouse = first_published.copy_to(root)
    _publish(next_inbox, warehouse, root / "reports")
    return Published(warehouse, next_inbox, sha256(warehouse), marts_snapshot(warehouse))
