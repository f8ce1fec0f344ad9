"""
### report_warehouse

Turns the work reports in the inbox (`REPORTS_INBOX`) into the published DuckDB warehouse
(`REPORTS_WAREHOUSE`), with quality reports in `REPORTS_DIR`.

**discover** hashes every inbox file and compares it with the published warehouse; when nothing is
new, changed or removed the run skips, so the short schedule costs one hash per file.
**extract** runs mapped over batches of files in parallel, each writing Parquet, never DuckDB.
**load**, **dbt_build**, **validate** and **publish** run one after another: only they write the
run's build file, so DuckDB's single-writer rule holds. The published file is replaced by an atomic
rename after validation passed, and never otherwise.

Params: `reprocess` = `all` or one inbox path (backfill after a rule change); `full_refresh` rebuilds
every dbt model.
"""
from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import Asset, Param, TriggerRule, dag, get_current_context, task

from pipeline.settings import MARTS_ASSET_NAME


def _settings_and_run():
    from pipeline.settings import load_settings

    context = get_current_context()
    return load_settings(), context["run_id"], context["params"]


@dag(
    schedule=timedelta(minutes=10),
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    tags=["report-warehouse", "duckdb", "dbt"],
    doc_md=__doc__,
    default_args={
        "retries": 2,
        "retry_delay": timedelta(seconds=30),
        "retry_exponential_backoff": True,
        "max_retry_delay": timedelta(minutes=10),
    },
    params={
        "reprocess": Param(None, type=["null", "string"], description="'all' or one inbox path to extract again"),
        "full_refresh": Param(False, type="boolean", description="rebuild every dbt model from scratch"),
    },
)
def report_warehouse():
    @task
    def discover() -> list[int]:
        from airflow.sdk.exceptions import AirflowSkipException

        from pipeline.discover import discover as discover_inbox

        settings, run_id, params = _settings_and_run()
        plan = discover_inbox(settings, run_id, reprocess=params["reprocess"], trigger="airflow")
        if plan.is_noop() and settings.warehouse.exists():
            raise AirflowSkipException("no new, changed or removed files: the published warehouse is current")
        return list(range(len(plan.batches)))

    @task(max_active_tis_per_dagrun=4)
    def extract(batch_no: int) -> dict:
        import dataclasses

        from pipeline.extract import extract_batch

        settings, run_id, _ = _settings_and_run()
        return dataclasses.asdict(extract_batch(settings, run_id, batch_no))

    # Runs when discover succeeded, even if there was no batch to extract (only removed files);
    # skips when discover skipped because nothing changed.
    @task(trigger_rule=TriggerRule.NONE_FAILED_MIN_ONE_SUCCESS)
    def load() -> str:
        from pipeline.load import load as load_raw

        settings, run_id, _ = _settings_and_run()
        return load_raw(settings, run_id).build_path

    @task
    def dbt_build(build_path: str) -> str:
        from pathlib import Path

        from pipeline.transform import dbt_build as run_dbt

        _, _, params = _settings_and_run()
        run_dbt(Path(build_path), full_refresh=params["full_refresh"])
        return build_path

    @task
    def validate(build_path: str) -> str:
        from pathlib import Path

        from pipeline.validate import validate as run_suites

        settings, run_id, params = _settings_and_run()
        return run_suites(Path(build_path), run_id, settings.reports_dir, full=params["full_refresh"]).verdict

    @task(outlets=[Asset(MARTS_ASSET_NAME)])
    def publish(verdict: str) -> str:
        import logging

        from airflow.sdk.exceptions import AirflowFailException

        from pipeline.publish import ValidationFailed, publish as publish_build
        from pipeline.run import landing_page
        from pipeline.summary import summarize

        settings, run_id, _ = _settings_and_run()
        try:
            published = publish_build(settings, run_id)
        except ValidationFailed as exc:
            raise AirflowFailException(str(exc)) from exc  # retrying cannot make bad data good
        summary = summarize(published, run_id, warehouse=published, report=landing_page(settings))
        for line in summary.lines():
            logging.getLogger("pipeline").info("%s", line)
        return str(published)

    batches = discover()
    extracted = extract.expand(batch_no=batches)
    built = load()
    [batches, extracted] >> built
    publish(validate(dbt_build(built)))


report_warehouse()
