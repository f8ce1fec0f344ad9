"""
### bi_extract_refresh

An example consumer: whenever `report_warehouse` publishes new marts, refresh the Parquet extracts
a BI tool imports (one file per mart, beside the published warehouse in `extracts/`). It reads the
published file read-only, so it never blocks the producer.
"""
from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import Asset, dag, task

from pipeline.settings import MARTS_ASSET_NAME


@dag(
    schedule=[Asset(MARTS_ASSET_NAME)],
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    tags=["report-warehouse", "bi", "example"],
    doc_md=__doc__,
    default_args={"retries": 2, "retry_delay": timedelta(seconds=30)},
)
def bi_extract_refresh():
    @task
    def export_marts() -> list[str]:
        from pipeline.extracts import export_marts as export
        from pipeline.settings import load_settings

        return [str(p) for p in export(load_settings())]

    export_marts()


bi_extract_refresh()
