"""The cross-table suite: marts agree with raw, row for row.

A mart built from raw should hold exactly the current raw rows: fewer means a model dropped rows
(a bad join, a filter), more means it multiplied them (a fan-out join). Counted in DuckDB, so GX
sees one small row per mart; distinct ids on the raw side, because a re-processed file may land
its rows again under the same ids.
"""
from __future__ import annotations

from collections.abc import Sequence

import great_expectations as gx
from great_expectations.expectations.expectation import Expectation

from expectations.spec import ReferenceSets, TableCheck, check

E = gx.expectations

_CURRENT = "(select doc_id from raw.documents where coalesce(is_current, true))"


def _counts(mart: str, raw: str, key: str) -> str:
    return f"""
        select '{mart}' as mart,
               (select count(*) from marts.{mart} where doc_id in {_CURRENT}) as mart_rows,
               (select count(distinct {key}) from raw.{raw} where doc_id in {_CURRENT}) as raw_rows,
               (select count(*) from marts.{mart} as m
                 where not exists (select 1 from marts.dim_documents as d where d.doc_id = m.doc_id))
                   as orphan_rows
    """


def _expectations(refs: ReferenceSets) -> Sequence[Expectation]:
    return [
        check("critical", "mart_rows_match_raw",
              "Each mart holds one row per current raw row: no row dropped, none multiplied.",
              E.ExpectColumnPairValuesToBeEqual(column_A="mart_rows", column_B="raw_rows")),
        check("critical", "mart_rows_have_document",
              "Every fact and section points at a row of dim_documents.",
              E.ExpectColumnValuesToBeBetween(column="orphan_rows", min_value=0, max_value=0)),
    ]


CHECKS: tuple[TableCheck, ...] = (
    TableCheck(
        layer="cross_table",
        name="row_counts",
        description="Marts row counts against raw, one row per mart.",
        requires={
            "raw.documents": ("doc_id", "is_current"),
            "raw.sections": ("doc_id", "section_id"),
            "raw.tasks": ("doc_id", "task_id"),
            "raw.indicators": ("doc_id", "indicator_id"),
            "marts.dim_documents": ("doc_id",),
            "marts.dim_sections": ("doc_id",),
            "marts.fct_tasks": ("doc_id",),
            "marts.fct_indicators": ("doc_id",),
        },
        select_sql=f"""
            select 'dim_documents' as mart,
                   (select count(*) from marts.dim_documents where is_current) as mart_rows,
                   (select count(distinct doc_id) from {_CURRENT}) as raw_rows,
                   (select count(*) from marts.dim_documents where is_current and doc_id not in
                       (select doc_id from raw.documents)) as orphan_rows
            union all {_counts("dim_sections", "sections", "section_id")}
            union all {_counts("fct_tasks", "tasks", "task_id")}
            union all {_counts("fct_indicators", "indicators", "indicator_id")}
        """,
        expectations=_expectations,
        key_column="mart",
        partition_by=None,
    ),
)
