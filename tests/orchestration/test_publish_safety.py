"""The published warehouse under stress: a BI reader holding it open through a run, and runs
killed with SIGKILL in every stage. Real processes, real files, no mocks.

The CLI prints `stage: <name>` on stderr when stderr is not a terminal; the tests watch those
lines (and the per-file lines) to kill a run inside the stage they mean, and check afterwards
that the kill did land there.
"""
from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from tests.conftest import PROJECT_ROOT, run_cli
from tests.orchestration.conftest import Published
from tests.orchestration.warehouse_state import BackgroundRun, _snapshot, marts_snapshot, published_runs, sha256

RUN_TIMEOUT = 600
# A reader in its own process, as a BI tool is: a digest of every mart, or the error it got.
READER = """
import hashlib, json, sys
from pathlib import Path
from tests.orchestration.warehouse_state import marts_snapshot
try:
    print(json.dumps({"digest": hashlib.sha256(repr(marts_snapshot(Path(sys.argv[1]))).encode()).hexdigest()}))
except Exception as exc:
    print(json.dumps({"error": f"{type(exc).__name__}: {exc}"}))
"""


def _digest(snapshot: dict) -> str:
    import hashlib

    return hashlib.sha256(repr(snapshot).encode()).hexdigest()


def _read_in_another_process(warehouse: Path) -> dict:
    result = subprocess.run([sys.executable, "-c", READER, str(warehouse)], cwd=PROJECT_ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_reader_holding_the_file_open_neither_blocks_the_run_nor_sees_it_half_built(
    first_published: Published, next_published: Published, tmp_path: Path,
) -> None:
    warehouse = first_published.copy_to(tmp_path)
    old, new = _digest(first_published.marts), _digest(next_published.marts)
    assert old != new
    held = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert _snapshot(held) == first_published.marts
        run = BackgroundRun.start(next_published.inbox, warehouse, tmp_path / "reports")
        seen_by_new_readers = []
        while run.process.poll() is None:
            # The held connection keeps its complete old warehouse, whatever stage the run is in ...
            assert _snapshot(held) == first_published.marts, f"held reader saw a change during {run.stages()[-1:]}"
            # ... and a reader connecting mid-run gets a whole warehouse, old or new, never a mixture.
            seen_by_new_readers.append(_read_in_another_process(warehouse))
            time.sleep(0.2)
        assert run.finish(RUN_TIMEOUT) == 0, run.tail()
        assert all(seen in ({"digest": old}, {"digest": new}) for seen in seen_by_new_readers), seen_by_new_readers
        assert len(seen_by_new_readers) >= 3, "the run ended before readers could look at it mid-run"
        assert _snapshot(held) == first_published.marts  # still the old file, held open through the swap
        assert _read_in_another_process(warehouse) == {"digest": new}  # a new connection sees the new one
    finally:
        held.close()
    assert marts_snapshot(warehouse) == next_published.marts


def _after_extracting(files: int) -> Callable[[str], bool]:
    """True at the n-th file extracted: earlier batches are on disk, a later one is half done."""
    count = 0

    def predicate(line: str) -> bool:
        nonlocal count
        if "pipeline.extract:" in line and ": loaded in " in line:
            count += 1
        return count >= files

    return predicate


def _after_dbt_built(models: int) -> Callable[[str], bool]:
    """True once dbt has created n models in the build file: it is half way through."""
    count = 0

    def predicate(line: str) -> bool:
        nonlocal count
        if "pipeline.transform: dbt:" in line and " OK created " in line:
            count += 1
        return count >= models

    return predicate


# Where each kill lands, and the environment that makes the stage long enough to land in.
KILL_POINTS: dict[str, tuple[Callable[[], Callable[[str], bool]], dict[str, str]]] = {
    "extract": (lambda: _after_extracting(4), {"REPORTS_BATCH_SIZE": "3", "REPORTS_WORKERS": "1"}),
    "load": (lambda: lambda line: line.endswith("stage: load"), {}),
    "dbt build": (lambda: _after_dbt_built(3), {}),
    "publish": (lambda: lambda line: line.endswith("stage: publish"), {}),
}


@pytest.mark.parametrize("stage", list(KILL_POINTS))
def test_a_run_killed_in_any_stage_leaves_the_published_file_intact_and_the_next_run_completes(
    stage: str, first_published: Published, next_published: Published, tmp_path: Path,
) -> None:
    make_predicate, env = KILL_POINTS[stage]
    for attempt in range(3):  # a kill can overshoot a short stage; try again from the same bytes
        folder = tmp_path / f"attempt{attempt}"
        warehouse = first_published.copy_to(folder)
        run = BackgroundRun.start(next_published.inbox, warehouse, folder / "reports", env=env)
        try:
            reached = run.wait_for(make_predicate(), timeout=RUN_TIMEOUT)
        finally:
            run.kill()
        assert reached, f"the run ended before reaching {stage}: {run.tail()}"
        if run.stages()[-1] == stage:
            break
    else:
        pytest.fail(f"three kills aimed at {stage} all landed later ({run.stages()})")
    assert run.process.returncode == -9

    if stage == "publish" and sha256(warehouse) != first_published.sha256:
        # Killed after the rename: the new warehouse is whole and validated, never anything between.
        assert marts_snapshot(warehouse) == next_published.marts
    else:
        assert sha256(warehouse) == first_published.sha256, f"killed in {stage}, the published file changed"
        assert marts_snapshot(warehouse) == first_published.marts  # and it opens and reads

    result = run_cli("run", "--inbox", next_published.inbox, "--warehouse", warehouse, "--reports", folder / "reports")
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    assert marts_snapshot(warehouse) == next_published.marts
    assert all(verdict == "passed" and published for _, verdict, published in published_runs(warehouse))
