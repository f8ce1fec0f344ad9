"""The marts suite: what BI tools and auditors read, checked row by row.

Expectations that need another table (document length, report year, the original text behind a
span) get their input from a join in `select_sql`, computed in DuckDB; GX then checks plain columns.
"""
from __future__ import annotations

from collections.abc import Sequence

import great_expectations as gx
from great_expectations.expectations.expectation import Expectation
from great_expectations.expectations.row_conditions import Column

from expectations import thresholds as t
from expectations.spec import ReferenceSets, TableCheck, check

E = gx.expectations


# DuckDB's substr walks UTF-8 text from its first character, so cutting millions of spans out of
# long documents costs time in proportion to each offset (19 s for the 2.2M quantities of 10k
# generated reports). The texts of the documents in the frame are cut once into chunks of this
# many characters instead (8 s with the cutting); a span comes out of at most two neighbouring
# chunks, and only a span longer than that reads the whole text, as the dbt test
# assert_spans_match_document_text does.
_CHUNK = 256


def _span_frame_sql(relation: str, alias: str, text_column: str, columns: str, joins: str = "") -> str:
    """A frame over `relation` (row-scoped by pipeline.validate through `from <relation> as
    <alias>`) with `columns` and `span_matches_text`: the text at the row's span is its text_column."""
    start, end = f"{alias}.char_start", f"{alias}.char_end"
    return f"""
        with {alias} as materialized (
            select * from {relation} as {alias}
        ),
        -- only the texts of the frame's documents (after one new file: one text, not all of them);
        -- a doc_id is a hash of the text, so any copy of a document will do
        documents as materialized (
            select distinct on (doc_id) doc_id, text
            from raw.documents
            where doc_id in (select doc_id from {alias})
        ),
        text_chunks as materialized (
            select doc_id,
                   unnest(generate_series(0, len(parts) - 1)) as chunk_no,
                   unnest(parts) as chunk_text
            from (
                select doc_id, regexp_extract_all(text, '(?s).{{1,{_CHUNK}}}') as parts
                from documents
            )
        )
        select {columns},
               case
                   when {end} <= ({start} // {_CHUNK} + 1) * {_CHUNK}
                       then substr(first_chunk.chunk_text, {start} % {_CHUNK} + 1, {end} - {start})
                   when {end} <= ({start} // {_CHUNK} + 2) * {_CHUNK}
                       then substr(coalesce(first_chunk.chunk_text, '') || coalesce(next_chunk.chunk_text, ''),
                                   {start} % {_CHUNK} + 1, {end} - {start})
                   else substr(r.text, {start} + 1, {end} - {start})
               end = {alias}.{text_column} as span_matches_text
        from {alias}
        left join documents as r on r.doc_id = {alias}.doc_id
        left join text_chunks as first_chunk
            on first_chunk.doc_id = {alias}.doc_id and first_chunk.chunk_no = {start} // {_CHUNK}
        left join text_chunks as next_chunk
            on next_chunk.doc_id = {alias}.doc_id and next_chunk.chunk_no = {start} // {_CHUNK} + 1
        {joins}
    """


def _span_expectations(prefix: str, text_column: str) -> list[Expectation]:
    return [
        check("critical", f"{prefix}_span_start_non_negative", "Offsets are 0-based indexes into the text.",
              E.ExpectColumnValuesToBeBetween(column="char_start", min_value=0)),
        check("critical", f"{prefix}_span_end_after_start", "A span holds at least one character.",
              E.ExpectColumnPairValuesAToBeGreaterThanB(
                  column_A="char_end", column_B="char_start", ignore_row_if="either_value_is_missing")),
        check("critical", f"{prefix}_span_end_within_document", "A span ends inside its document's text.",
              E.ExpectColumnPairValuesAToBeGreaterThanB(
                  column_A="doc_char_count", column_B="char_end", or_equal=True,
                  ignore_row_if="either_value_is_missing")),
        check("critical", f"{prefix}_span_matches_text",
              f"substr(text, char_start + 1, char_end - char_start) equals {text_column}: the auditor's "
              "way from a fact back to the exact characters of the source (contract, Offsets).",
              E.ExpectColumnValuesToBeInSet(column="span_matches_text", value_set=[True])),
    ]


def _indicator_expectations(refs: ReferenceSets) -> Sequence[Expectation]:
    is_percent = Column("measure_kind") == "percent"
    return [
        check("critical", "indicator_id_not_null", "Every indicator is addressable.",
              E.ExpectColumnValuesToNotBeNull(column="indicator_id")),
        check("critical", "indicator_id_unique", "One row per quantity mentioned.",
              E.ExpectColumnValuesToBeUnique(column="indicator_id")),
        check("critical", "indicator_doc_id_not_null", "Every indicator belongs to a document.",
              E.ExpectColumnValuesToNotBeNull(column="doc_id")),
        check("critical", "is_masked_not_null", "Masked or not must be known to sum values.",
              E.ExpectColumnValuesToNotBeNull(column="is_masked")),
        check("critical", "value_null_when_masked",
              "A masked number (xx万元) has no value; a value there was invented.",
              E.ExpectColumnValuesToBeNull(column="value", row_condition=Column("is_masked") == True)),  # noqa: E712
        check("critical", "value_present_when_not_masked",
              "An unmasked quantity was read, so its value is known (a comparison in words such as 持平 states none).",
              E.ExpectColumnValuesToNotBeNull(
                  column="value",
                  row_condition=(Column("is_masked") == False) & (Column("states_number") == True))),  # noqa: E712
        check("critical", "value_low_not_above_value_high", "A range runs from low to high (5—6家).",
              E.ExpectColumnPairValuesAToBeGreaterThanB(
                  column_A="value_high", column_B="value_low", or_equal=True,
                  ignore_row_if="either_value_is_missing")),
        check("warning", "percent_value_plausible",
              "A share or rate lies in [0, 100]%; growth rates are checked separately.",
              E.ExpectColumnValuesToBeBetween(
                  column="value_base", min_value=t.PERCENT_MIN, max_value=t.PERCENT_MAX,
                  row_condition=is_percent & Column("comparison").is_not_in(t.GROWTH_RATE_COMPARISONS))),
        check("warning", "growth_percent_plausible",
              "Growth rates beyond these bounds are misread numbers (a year read as a percent).",
              E.ExpectColumnValuesToBeBetween(
                  column="value_base", min_value=t.GROWTH_PERCENT_MIN, max_value=t.GROWTH_PERCENT_MAX,
                  row_condition=is_percent & Column("comparison").is_in(t.GROWTH_RATE_COMPARISONS))),
        check("warning", "unit_known",
              "Units outside marts.dim_units cannot be normalised; add them to seeds/units.csv.",
              E.ExpectColumnValuesToBeInSet(column="unit", value_set=list(refs.units))),
        check("critical", "measure_kind_in_set", "Contract enum.",
              E.ExpectColumnValuesToBeInSet(column="measure_kind", value_set=list(t.MEASURE_KINDS))),
        check("critical", "qualifier_in_set", "Contract enum.",
              E.ExpectColumnValuesToBeInSet(column="qualifier", value_set=list(t.QUALIFIERS))),
        check("critical", "comparison_in_set", "Contract enum.",
              E.ExpectColumnValuesToBeInSet(column="comparison", value_set=list(t.COMPARISONS))),
        check("critical", "direction_in_set", "Contract enum (null when no direction is stated).",
              E.ExpectColumnValuesToBeInSet(column="direction", value_set=list(t.DIRECTIONS))),
        check("critical", "indicator_status_in_set", "Contract enum.",
              E.ExpectColumnValuesToBeInSet(column="status", value_set=list(t.INDICATOR_STATUSES))),
        *_span_expectations("indicator", "quantity_text"),
    ]


def _task_expectations(refs: ReferenceSets) -> Sequence[Expectation]:
    return [
        check("critical", "task_id_not_null", "Every task is addressable.",
              E.ExpectColumnValuesToNotBeNull(column="task_id")),
        check("critical", "task_id_unique", "One row per work item.",
              E.ExpectColumnValuesToBeUnique(column="task_id")),
        check("critical", "task_status_in_set", "Contract enum.",
              E.ExpectColumnValuesToBeInSet(column="status", value_set=list(t.TASK_STATUSES))),
        check("critical", "task_domain_in_set",
              "Domains come from marts.dim_domains (the dbt seed); null when no keyword matched.",
              E.ExpectColumnValuesToBeInSet(column="domain", value_set=list(refs.domains))),
        check("warning", "deadline_within_report_window",
              f"A deadline lies from {t.DEADLINE_YEARS_BEFORE_REPORT} year before to "
              f"{t.DEADLINE_YEARS_AFTER_REPORT} years after the report year; outside, the year was misread.",
              E.ExpectColumnValuesToBeBetween(
                  column="deadline_years_after_report",
                  min_value=-t.DEADLINE_YEARS_BEFORE_REPORT, max_value=t.DEADLINE_YEARS_AFTER_REPORT)),
        *_span_expectations("task", "task_text"),
    ]


def _document_expectations(refs: ReferenceSets) -> Sequence[Expectation]:
    return [
        check("critical", "document_id_unique", "One row per document.",
              E.ExpectColumnValuesToBeUnique(column="doc_id")),
        check("critical", "current_document_has_sections",
              "Every current report with text yields at least one section (issue 5).",
              E.ExpectColumnValuesToBeBetween(
                  column="sections_found", min_value=1, mostly=t.DOCUMENTS_WITH_SECTIONS_MOSTLY,
                  row_condition=Column("is_current") == True)),  # noqa: E712
        check("warning", "section_count_matches_sections",
              "dim_documents.section_count is what BI sums; it must agree with dim_sections.",
              E.ExpectColumnPairValuesToBeEqual(
                  column_A="section_count", column_B="sections_found", ignore_row_if="either_value_is_missing")),
        check("critical", "report_period_format", "Contract: H1, H2, FY, Q1–Q4 or M01-M05 style, or null.",
              E.ExpectColumnValuesToMatchRegex(column="report_period", regex=t.REPORT_PERIOD_PATTERN)),
        check("warning", "report_year_plausible", "A year outside the archive's span was misread.",
              E.ExpectColumnValuesToBeBetween(
                  column="report_year", min_value=t.REPORT_YEAR_MIN, max_value=t.REPORT_YEAR_MAX)),
    ]


def _section_expectations(refs: ReferenceSets) -> Sequence[Expectation]:
    return [
        check("critical", "section_id_unique", "One row per section.",
              E.ExpectColumnValuesToBeUnique(column="section_id")),
        check("critical", "section_level_in_range", "Levels 1 (一、) to 5 (一是, ①).",
              E.ExpectColumnValuesToBeBetween(
                  column="level", min_value=t.SECTION_LEVELS[0], max_value=t.SECTION_LEVELS[1])),
        check("critical", "section_kind_in_set", "Contract enum.",
              E.ExpectColumnValuesToBeInSet(column="section_kind", value_set=list(t.SECTION_KINDS))),
        check("critical", "section_span_start_non_negative", "Offsets are 0-based indexes into the text.",
              E.ExpectColumnValuesToBeBetween(column="char_start", min_value=0)),
        check("critical", "section_span_end_not_before_start", "A section cannot end before it starts.",
              E.ExpectColumnPairValuesAToBeGreaterThanB(
                  column_A="char_end", column_B="char_start", or_equal=True,
                  ignore_row_if="either_value_is_missing")),
        check("critical", "section_span_end_within_document", "A section ends inside its document's text.",
              E.ExpectColumnPairValuesAToBeGreaterThanB(
                  column_A="doc_char_count", column_B="char_end", or_equal=True,
                  ignore_row_if="either_value_is_missing")),
    ]


def _locate(table: str, key: str, excerpt: str) -> str:
    # raw.<table>.line_no is the extractor's own line number; the mart row's doc gives the file.
    raw_table = {"fct_indicators": "raw.indicators", "fct_tasks": "raw.tasks", "dim_sections": "raw.sections"}[table]
    return f"""
        select m.{key}, any_value(d.source_path), any_value(r.line_no), any_value(m.{excerpt})
        from marts.{table} as m
        left join marts.dim_documents as d on d.doc_id = m.doc_id
        left join {raw_table} as r on r.{key} = m.{key}
        where m.{key} in (select unnest(?::varchar[]))
        group by m.{key}
    """


CHECKS: tuple[TableCheck, ...] = (
    TableCheck(
        layer="marts",
        name="fct_indicators",
        description="One row per quantity mentioned: ids, masking, ranges, plausibility, enums, spans.",
        requires={
            "marts.fct_indicators": (
                "indicator_id", "doc_id", "quantity_text", "char_start", "char_end", "value", "value_low",
                "value_high", "unit", "value_base", "unit_base", "measure_kind", "qualifier", "is_masked",
                "comparison", "direction", "status",
            ),
            "marts.dim_documents": ("doc_id", "char_count"),
            "raw.documents": ("doc_id", "text"),
        },
        select_sql=_span_frame_sql("marts.fct_indicators", "i", "quantity_text", columns="""
            i.indicator_id, i.doc_id, i.value, i.value_low, i.value_high, i.value_base, i.unit,
            i.measure_kind, i.qualifier, i.is_masked, i.comparison, i.direction, i.status,
            i.char_start, i.char_end,
            -- 与去年同期相比持平: a comparison stated in words, with no number and no unit
            not (i.unit is null and i.direction is not null) as states_number,
            d.char_count as doc_char_count
        """, joins="left join marts.dim_documents as d on d.doc_id = i.doc_id"),
        expectations=_indicator_expectations,
        key_column="indicator_id",
        partition_by="indicator_id",
        row_scope=("marts.fct_indicators", "i", "indicator_id"),
        locate_sql=_locate("fct_indicators", "indicator_id", "quantity_text"),
    ),
    TableCheck(
        layer="marts",
        name="fct_tasks",
        description="One row per work item: ids, status and domain sets, deadline window, spans.",
        requires={
            "marts.fct_tasks": ("task_id", "doc_id", "task_text", "char_start", "char_end", "status",
                                "domain", "deadline_date"),
            "marts.dim_documents": ("doc_id", "char_count", "report_year"),
            "raw.documents": ("doc_id", "text"),
        },
        select_sql=_span_frame_sql("marts.fct_tasks", "t", "task_text", columns="""
            t.task_id, t.doc_id, t.status, t.domain, t.char_start, t.char_end, t.deadline_date,
            year(t.deadline_date) - d.report_year as deadline_years_after_report,
            d.char_count as doc_char_count
        """, joins="left join marts.dim_documents as d on d.doc_id = t.doc_id"),
        expectations=_task_expectations,
        key_column="task_id",
        partition_by="task_id",
        row_scope=("marts.fct_tasks", "t", "task_id"),
        locate_sql=_locate("fct_tasks", "task_id", "task_text"),
    ),
    TableCheck(
        layer="marts",
        name="dim_documents",
        description="One row per document: ids, every current document structured, periods.",
        requires={
            "marts.dim_documents": ("doc_id", "is_current", "report_year", "report_period", "section_count"),
            "marts.dim_sections": ("doc_id",),
        },
        select_sql="""
            select d.doc_id, d.is_current, d.report_year, d.report_period, d.section_count,
                   coalesce(s.sections_found, 0) as sections_found
            from marts.dim_documents as d
            left join (
                select doc_id, count(*) as sections_found from marts.dim_sections group by doc_id
            ) as s on s.doc_id = d.doc_id
        """,
        expectations=_document_expectations,
        key_column="doc_id",
        partition_by="doc_id",
        locate_sql="""
            select doc_id, any_value(source_path), null, any_value(title)
            from marts.dim_documents where doc_id in (select unnest(?::varchar[])) group by doc_id
        """,
    ),
    TableCheck(
        layer="marts",
        name="dim_sections",
        description="One row per section: ids, levels, kinds, spans.",
        requires={
            "marts.dim_sections": ("section_id", "doc_id", "level", "section_kind", "char_start", "char_end"),
            "marts.dim_documents": ("doc_id", "char_count"),
        },
        select_sql="""
            select s.section_id, s.doc_id, s.level, s.section_kind, s.char_start, s.char_end,
                   d.char_count as doc_char_count
            from marts.dim_sections as s
            left join marts.dim_documents as d on d.doc_id = s.doc_id
        """,
        expectations=_section_expectations,
        key_column="section_id",
        partition_by="section_id",
        row_scope=("marts.dim_sections", "s", "section_id"),
        locate_sql=_locate("dim_sections", "section_id", "heading"),
    ),
)
