"""The dbt step: build the staging and mart models, seeds and data tests inside a run's build file.

dbt runs as a subprocess (the `dbt` executable of this interpreter's environment) against the
project's committed profiles.yml; the only thing that varies per run is the DuckDB file, passed in
REPORTS_BUILD_DB. dbt's target and log folders live beside the build file, so two runs building
two files at once never share them; only dbt's partial-parse file is handed from build to build.

dbt's cost per node (about 30 ms: a transaction, Jinja, events) is most of an incremental build:
when the file was last built by the same project (audit.dbt_builds holds a fingerprint of its
files), its views and seeds are already what this build would write, so only the tables, the
incremental marts and every test run.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
import time
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from pipeline.settings import DBT_PROJECT_DIR
from pipeline.warehouse import connect

log = logging.getLogger(__name__)

_FAILED_STATUSES = {"error", "fail", "runtime error"}
# Everything but views and seeds; tests are named by type, since excluding a view would drop its tests.
_UNCHANGED_PROJECT_SELECTION = ["resource_type:test", "config.materialized:table", "config.materialized:incremental"]
_NOT_PROJECT_FILES = {"target", "logs", "dbt_packages", ".user.yml"}
_BUILD_LINK = "build.duckdb"
_PARTIAL_PARSE_CACHE = "dbt-partial-parse.msgpack"
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
    fingerprint = project_fingerprint()
    keep_views_and_seeds = not full_refresh and _last_fingerprint(build_path) == fingerprint
    command = [
        str(dbt_executable()),
        "--no-use-colors",
        # the file log would repeat every query at debug level; the console lines go to our log
        "--log-level-file", "warn",
        "build",
        "--project-dir", str(DBT_PROJECT_DIR),
        "--profiles-dir", str(DBT_PROJECT_DIR),
        "--target-path", str(target_path),
        "--log-path", str(work_dir / "logs"),
    ]
    if full_refresh:
        command.append("--full-refresh")
    if keep_views_and_seeds:
        command += ["--select", *_UNCHANGED_PROJECT_SELECTION]
    _link_build_file(build_path, work_dir)
    _hand_partial_parse(build_path.parent / _PARTIAL_PARSE_CACHE, target_path)
    env = {
        **os.environ,
        "REPORTS_BUILD_DB": _BUILD_LINK,  # relative to dbt's working directory, work_dir
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    log.info("dbt build%s against %s%s", " --full-refresh" if full_refresh else "", build_path,
             " (project unchanged since the file's last build: views and seeds kept)" if keep_views_and_seeds else "")
    (target_path / "run_results.json").unlink(missing_ok=True)
    started = time.perf_counter()
    try:
        process = subprocess.Popen(
            command, cwd=work_dir, env=env,
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
    _keep_partial_parse(target_path, build_path.parent / _PARTIAL_PARSE_CACHE)
    _record_build(build_path, target_path / "run_results.json", fingerprint, full_refresh, keep_views_and_seeds,
                  time.perf_counter() - started)


def _link_build_file(build_path: Path, work_dir: Path) -> None:
    """dbt reparses the whole project (3 s) when the profile differs from the last parse, and the
    database path is part of the profile: dbt opens the build file through a hard link of one fixed
    name in its work dir (a symbolic link would name DuckDB's catalog after its target), so the
    partial-parse file kept beside the build files stays valid from run to run."""
    work_dir.mkdir(parents=True, exist_ok=True)
    link = work_dir / _BUILD_LINK
    for stale in (link, link.with_name(link.name + ".wal")):
        stale.unlink(missing_ok=True)
    os.link(build_path, link)


def _hand_partial_parse(cache: Path, target_path: Path) -> None:
    target_path.mkdir(parents=True, exist_ok=True)
    if cache.exists():
        shutil.copyfile(cache, target_path / "partial_parse.msgpack")


def _keep_partial_parse(target_path: Path, cache: Path) -> None:
    parsed = target_path / "partial_parse.msgpack"
    if parsed.exists():  # replaced whole, so a build starting meanwhile copies an old or new file, never half
        part = cache.with_name(f"{cache.name}.{os.getpid()}.part")
        shutil.copyfile(parsed, part)
        os.replace(part, cache)


def project_fingerprint() -> str:
    """A hash of the dbt project's files (models, macros, seeds, tests, configs) and dbt's versions."""
    digest = hashlib.sha256()
    for package in ("dbt-core", "dbt-duckdb"):
        digest.update(f"{package}=={metadata.version(package)}\n".encode())
    for path in sorted(DBT_PROJECT_DIR.rglob("*")):
        relative = path.relative_to(DBT_PROJECT_DIR)
        if path.is_file() and not _NOT_PROJECT_FILES.intersection(relative.parts):
            digest.update(relative.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _last_fingerprint(build_path: Path) -> str | None:
    # audit.dbt_builds exists: the load step's ddl() creates it in every build file
    with connect(build_path, read_only=True) as con:
        row = con.execute(
            "select project_fingerprint from audit.dbt_builds order by finished_at desc limit 1").fetchone()
    return row[0] if row else None


def _record_build(
    build_path: Path, run_results: Path, fingerprint: str, full_refresh: bool, kept: bool, seconds: float,
) -> None:
    try:
        nodes = len(json.loads(run_results.read_text(encoding="utf-8")).get("results", []))
    except (OSError, ValueError):
        nodes = None
    with connect(build_path) as con:
        con.execute("insert into audit.dbt_builds values (?, ?, ?, ?, ?, ?)",
                    [fingerprint, full_refresh, kept, nodes, round(seconds, 3),
                     datetime.now(timezone.utc).replace(tzinfo=None)])


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
