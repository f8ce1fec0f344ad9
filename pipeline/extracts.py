"""Parquet extracts of the published marts, for BI tools that import files rather than query DuckDB."""
from __future__ import annotations

import os
from pathlib import Path

from pipeline.settings import Settings
from pipeline.warehouse import connect

EXPORTED_MARTS = ("dim_documents", "dim_sections", "fct_tasks", "fct_indicators")


def export_marts(settings: Settings) -> list[Path]:
    target = settings.warehouse.parent / "extracts"
    target.mkdir(parents=True, exist_ok=True)
    written = []
    with connect(settings.warehouse, read_only=True) as con:
        for mart in EXPORTED_MARTS:
            final = target / f"{mart}.parquet"
            tmp = final.with_suffix(".parquet.tmp")
            quoted = str(tmp).replace("'", "''")
            con.execute(f"copy marts.{mart} to '{quoted}' (format parquet)")
            os.replace(tmp, final)  # readers of the previous extract never see a partial file
            written.append(final)
    return written
