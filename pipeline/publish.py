"""Swap a validated build file into place as the published warehouse, atomically.

Publishing is a rename on one filesystem: a BI tool holding the old file open keeps reading the
old, complete warehouse; a new connection sees the new one; nobody sees a half-built file.
The gate is in the data: a build file without passing validation results for its run is refused.
"""
from __future__ import annotations

import logging
import os
import shutil
from datetime import datetime, timezone
from pathlib import Path

from pipeline.discover import Plan, plan_path
from pipeline.settings import Settings
from pipeline.transform import dbt_work_dir
from pipeline.warehouse import connect, fsync_dir, table_exists

log = logging.getLogger(__name__)


class ValidationFailed(Exception):
    """A critical expectation failed: the published warehouse was left untouched."""


def critical_failures(build: Path, run_id: str) -> list[str] | None:
    """Failing critical expectations of this run, or None when the run was never validated."""
    with connect(build, read_only=True) as con:
        if not table_exists(con, "audit", "validation_results"):
            return None
        rows = con.execute(
            "select suite, expectation, column_name, success, severity from audit.validation_results where run_id = ?",
            [run_id],
        ).fetchall()
    if not rows:
        return None
    return [
        f"{suite}: {expectation}" + (f" on {column}" if column else "")
        for suite, expectation, column, success, severity in rows
        if not success and severity == "critical"
    ]


def record_run(settings: Settings, build: Path, run_id: str, *, verdict: str, published: bool, reason: str) -> None:
    plan = Plan.load(plan_path(settings, run_id))
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    with connect(build) as con:
        counts = con.execute(
            """
            select count(*),
                   count(*) filter (where status = 'loaded'),
                   count(*) filter (where status = 'quarantined'),
                   count(*) filter (where status = 'unchanged')
            from audit.file_ingestions where run_id = ?
            """,
            [run_id],
        ).fetchone()
        con.execute("delete from audit.runs where run_id = ?", [run_id])  # a retried publish writes it once
        con.execute(
            "insert into audit.runs values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [run_id, plan.trigger, datetime.fromisoformat(plan.started_at), now, *counts,
             len(plan.removed), reason, verdict, published],
        )
        con.execute("checkpoint")


def already_published(settings: Settings, run_id: str) -> bool:
    if not settings.warehouse.exists():
        return False
    with connect(settings.warehouse, read_only=True) as con:
        if not table_exists(con, "audit", "runs"):
            return False
        row = con.execute("select count(*) from audit.runs where run_id = ? and published", [run_id]).fetchone()
    return bool(row[0])


def publish(settings: Settings, run_id: str) -> Path:
    build = settings.build_path(run_id)
    if not build.exists() and already_published(settings, run_id):
        log.info("run %s was already published to %s", run_id, settings.warehouse)
        return settings.warehouse
    failures = critical_failures(build, run_id)
    if failures is None:
        raise ValidationFailed(f"run {run_id} has no validation results; refusing to publish an unvalidated build")
    if failures:
        reason = f"{len(failures)} critical expectation(s) failed: " + "; ".join(failures[:5])
        record_run(settings, build, run_id, verdict="failed", published=False, reason=reason)
        raise ValidationFailed(f"{reason}. The published warehouse {settings.warehouse} was left untouched; "
                               f"the failed build is kept at {build}")
    record_run(settings, build, run_id, verdict="passed", published=True, reason="all critical expectations passed")
    settings.warehouse.parent.mkdir(parents=True, exist_ok=True)
    os.replace(build, settings.warehouse)
    fsync_dir(settings.warehouse.parent)
    shutil.rmtree(dbt_work_dir(build), ignore_errors=True)  # dbt's target/logs of a published build
    log.info("published %s", settings.warehouse)
    return settings.warehouse
