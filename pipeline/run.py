"""The whole job in one process: discover, extract, load, dbt build, validate, publish.

The CLI, the benchmarks and the tests call this; the Airflow DAG calls the same step functions one
task each.
"""
from __future__ import annotations

import logging
import os
import shutil
import uuid
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timezone

from pipeline.discover import discover
from pipeline.extract import extract_batch
from pipeline.load import load
from pipeline.publish import ValidationFailed, publish
from pipeline.settings import Settings
from pipeline.summary import RunSummary, summarize
from pipeline.transform import dbt_build
from pipeline.validate import import_gx_in_background, validate

log = logging.getLogger(__name__)

STAGES = ("discover", "extract", "load", "dbt build", "validate", "publish")


def new_run_id(trigger: str) -> str:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
    return f"{trigger}__{stamp}__{uuid.uuid4().hex[:6]}"


def landing_page(settings: Settings):
    return settings.reports_dir / "index.html"


def extract_all(settings: Settings, run_id: str, batches: int, workers: int | None = None) -> None:
    workers = workers or int(os.environ.get("REPORTS_WORKERS", os.cpu_count() or 1))
    if batches <= 1 or workers <= 1:
        for n in range(batches):
            extract_batch(settings, run_id, n)
        return
    with ProcessPoolExecutor(max_workers=min(workers, batches)) as pool:
        list(pool.map(extract_batch, [settings] * batches, [run_id] * batches, range(batches)))


def run_pipeline(
    settings: Settings,
    *,
    run_id: str | None = None,
    trigger: str = "cli",
    reprocess: str | None = None,
    full_refresh: bool = False,
    on_stage: Callable[[str], None] = lambda stage: None,
) -> RunSummary:
    run_id = run_id or new_run_id(trigger)
    on_stage("discover")
    plan = discover(settings, run_id, reprocess=reprocess, trigger=trigger)
    if plan.is_noop() and reprocess is None and settings.warehouse.exists():
        log.info("no new, changed or removed files: the published warehouse is current")
        summary = summarize(settings.warehouse, None, warehouse=settings.warehouse, report=landing_page(settings))
        summary.reason = "no new, changed or removed files; the published warehouse was left as it was"
        return summary
    on_stage("extract")
    extract_all(settings, run_id, len(plan.batches))
    on_stage("load")
    load(settings, run_id)
    build = settings.build_path(run_id)
    on_stage("dbt build")
    import_gx_in_background()
    dbt_build(build, full_refresh=full_refresh)
    on_stage("validate")
    validate(build, run_id, settings.reports_dir, full=full_refresh)
    on_stage("publish")
    try:
        publish(settings, run_id)
    except ValidationFailed as exc:
        log.error("%s", exc)
        return summarize(build, run_id, warehouse=settings.warehouse, report=landing_page(settings))
    shutil.rmtree(settings.run_dir(run_id) / "batches", ignore_errors=True)
    return summarize(settings.warehouse, run_id, warehouse=settings.warehouse, report=landing_page(settings))

