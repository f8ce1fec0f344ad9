"""The dbt step: build the staging and mart models, seeds and data tests inside a run's build file.

dbt runs as a subprocess (the `dbt` executable of this interpreter's environment) against the
project's committed profiles.yml; the only thing that varies per run is the DuckDB file, passed in
REPORTS_BUILD_DB. dbt's target and log folders live beside the build file, so two runs building
two files at once never share them.
"""
from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

from pipeline.settings import DBT_PROJECT_DIR

log = logging.getLogger(__name__)

_FAILED_STATUSES = {"error", "fail", "runtime error"}
_MAX_QUOTED_FAILURES = 10


class TransformError(Exception):
    """`dbt build` did not succeed; the message names the failing models and tests."""


def dbt_executable() -> Path:
    return Path(sys.executable).parent / "dbt"


def dbt_work_dir(build_path: Path) -> Path:
    """Where dbt writes its target (manifest, run_results.json) and logs for this build file."""
    return build_path.with_name(build_path.name + ".dbt")


def dbt_build(build_path: Path, *, full_refresh: bool = False) -> None:
    """Run `dbt build` (seeds, models, tests) against `build_path`; raise TransformError on failure."""
    build_path = Path(build_path).resolve()
    if not build_path.exists():
        raise TransformError(f"build file {build_path} does not exist; run the load step first")
    work_dir = dbt_work_dir(build_path)
    target_path = work_dir / "target"
    command = [
        str(dbt_executable()),
        "--no-use-colors",
        "build",
        "--project-dir", str(DBT_PROJECT_DIR),
        "--profiles-dir", str(DBT_PROJECT_DIR),
        "--target-path", str(target_path),
        "--log-path", str(work_dir / "logs"),
    ]
    if full_refresh:
        command.append("--full-refresh")
    env = {
        **os.environ,
        "REPORTS_BUILD_DB": str(build_path),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    log.info("dbt build%s against %s", " --full-refresh" if full_refresh else "", build_path)
    (target_path / "run_results.json").unlink(missing_ok=True)
    try:
        process = subprocess.Popen(
            command, cwd=DBT_PROJECT_DIR, env=env,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8", errors="replace",
        )
    except OSError as exc:
        raise TransformError(f"cannot start dbt ({command[0]}): {exc}") from exc
    tail: list[str] = []
    assert process.stdout is not None
    for line in process.stdout:
        line = line.rstrip()
        log.info("dbt: %s", line)
        tail = (tail + [line])[-20:]
    returncode = process.wait()
    if returncode != 0:
        raise TransformError(_failure_message(returncode, target_path / "run_results.json", tail))


def _failure_message(returncode: int, run_results: Path, tail: list[str]) -> str:
    failures: list[str] = []
    if run_results.exists():
        try:
            results = json.loads(run_results.read_text(encoding="utf-8")).get("results", [])
        except (OSError, ValueError):
            results = []
        for result in results:
            if result.get("status") in _FAILED_STATUSES:
                message = " ".join(str(result.get("message") or "").split())
                failures.append(f"{result.get('unique_id')} ({result.get('status')}): {message[:300]}")
    if failures:
        shown = "; ".join(failures[:_MAX_QUOTED_FAILURES])
        more = f" and {len(failures) - _MAX_QUOTED_FAILURES} more" if len(failures) > _MAX_QUOTED_FAILURES else ""
        return f"dbt build failed (exit {returncode}) on {len(failures)} node(s): {shown}{more}"
    last = " | ".join(line for line in tail if line.strip())[-1500:]
    return f"dbt build failed (exit {returncode}) before any node reported; last output: {last}"
