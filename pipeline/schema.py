"""The tables the pipeline itself writes: the `raw` landing tables and the `audit` log.

One definition feeds both the DuckDB DDL and the Parquet schema of the extraction batches, so the
two cannot drift. dbt reads `raw` (see dbt_project/models/staging/__sources.yml) and owns
`staging` and `marts`.
"""
from __future__ import annotations

import pyarrow as pa

# (column, DuckDB type); Arrow types follow from the DuckDB type below.
RAW_TABLES: dict[str, list[tuple[str, str]]] = {
    "documents": [
        ("doc_id", "varchar"),
        ("content_sha256", "varchar"),
        ("source_path", "varchar"),
        ("source_format", "varchar"),
        ("encoding", "varchar"),
        ("record_key", "varchar"),
        ("text", "varchar"),
        ("char_count", "integer"),
        ("title", "varchar"),
        ("department", "varchar"),
        ("region", "varchar"),
        ("report_year", "integer"),
        ("report_period", "varchar"),
        ("ingested_at", "timestamp"),
        ("run_id", "varchar"),
        ("is_current", "boolean"),
    ],
    "sections": [
        ("section_id", "varchar"),
        ("doc_id", "varchar"),
        ("parent_section_id", "varchar"),
        ("level", "integer"),
        ("marker", "varchar"),
        ("ordinal", "integer"),
        ("heading", "varchar"),
        ("heading_start", "integer"),
        ("heading_end", "integer"),
        ("section_kind", "varchar"),
        ("path", "varchar"),
        ("char_start", "integer"),
        ("char_end", "integer"),
        ("line_no", "integer"),
        ("run_id", "varchar"),
    ],
    "sentences": [
        ("sentence_id", "varchar"),
        ("doc_id", "varchar"),
        ("section_id", "varchar"),
        ("text", "varchar"),
        ("char_start", "integer"),
        ("char_end", "integer"),
        ("line_no", "integer"),
        ("run_id", "varchar"),
    ],
    "tasks": [
        ("task_id", "varchar"),
        ("doc_id", "varchar"),
        ("section_id", "varchar"),
        ("marker", "varchar"),
        ("lead", "varchar"),
        ("task_text", "varchar"),
        ("char_start", "integer"),
        ("char_end", "integer"),
        ("status", "varchar"),
        ("action_verb", "varchar"),
        ("deadline_text", "varchar"),
        ("deadline_date", "date"),
        ("line_no", "integer"),
        ("run_id", "varchar"),
    ],
    "indicators": [
        ("indicator_id", "varchar"),
        ("doc_id", "varchar"),
        ("section_id", "varchar"),
        ("task_id", "varchar"),
        ("subject", "varchar"),
        ("quantity_text", "varchar"),
        ("char_start", "integer"),
        ("char_end", "integer"),
        ("sentence_text", "varchar"),
        ("value", "double"),
        ("value_low", "double"),
        ("value_high", "double"),
        ("unit", "varchar"),
        ("qualifier", "varchar"),
        ("is_masked", "boolean"),
        ("comparison", "varchar"),
        ("direction", "varchar"),
        ("status", "varchar"),
        ("period_year", "integer"),
        ("line_no", "integer"),
        ("run_id", "varchar"),
    ],
    "anomalies": [
        ("doc_id", "varchar"),
        ("kind", "varchar"),
        ("message", "varchar"),
        ("char_start", "integer"),
        ("line_no", "integer"),
        ("run_id", "varchar"),
    ],
}

AUDIT_TABLES: dict[str, list[tuple[str, str]]] = {
    "file_ingestions": [
        ("run_id", "varchar"),
        ("source_path", "varchar"),
        ("content_sha256", "varchar"),
        ("size_bytes", "bigint"),
        ("status", "varchar"),  # loaded | unchanged | duplicate | quarantined
        ("reason", "varchar"),
        ("detected_format", "varchar"),
        ("encoding", "varchar"),
        ("documents", "integer"),
        ("started_at", "timestamp"),
        ("finished_at", "timestamp"),
    ],
    # A file that left the inbox: its rows stay, with raw.documents.is_current = false.
    "file_removals": [
        ("run_id", "varchar"),
        ("source_path", "varchar"),
        ("removed_at", "timestamp"),
    ],
    "runs": [
        ("run_id", "varchar"),
        ("trigger", "varchar"),
        ("started_at", "timestamp"),
        ("finished_at", "timestamp"),
        ("files_seen", "integer"),
        ("files_loaded", "integer"),
        ("files_quarantined", "integer"),
        ("files_unchanged", "integer"),
        ("files_removed", "integer"),
        ("reason", "varchar"),
        ("verdict", "varchar"),
        ("published", "boolean"),
    ],
    # One row per successful `dbt build` of the file: which version of the dbt project built its
    # models. An incremental build by the same project leaves the views and seeds as they are.
    "dbt_builds": [
        ("project_fingerprint", "varchar"),
        ("full_refresh", "boolean"),
        ("kept_views_and_seeds", "boolean"),
        ("nodes", "integer"),
        ("seconds", "double"),
        ("finished_at", "timestamp"),
    ],
    "validation_results": [
        ("run_id", "varchar"),
        ("suite", "varchar"),
        ("expectation", "varchar"),
        ("column_name", "varchar"),
        ("success", "boolean"),
        ("observed_value", "varchar"),
        ("unexpected_count", "bigint"),
        ("severity", "varchar"),
    ],
}

_ARROW_TYPES = {
    "varchar": pa.string(),
    "integer": pa.int32(),
    "bigint": pa.int64(),
    "double": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
    "timestamp": pa.timestamp("us"),
}


def arrow_schema(columns: list[tuple[str, str]]) -> pa.Schema:
    return pa.schema([(name, _ARROW_TYPES[kind]) for name, kind in columns])


def arrow_rows(columns: list[tuple[str, str]], rows: list[list]) -> pa.Table:
    """`rows` (each in `columns` order) as an Arrow table, to insert thousands at once: DuckDB's
    executemany runs one statement per row (seconds for the ~9k files of a 10k-report inbox)."""
    schema = arrow_schema(columns)
    values = list(zip(*rows)) if rows else [()] * len(columns)
    return pa.Table.from_arrays([pa.array(v, type=f.type) for v, f in zip(values, schema)], schema=schema)


def create_table_sql(schema: str, table: str, columns: list[tuple[str, str]]) -> str:
    cols = ", ".join(f'"{name}" {kind}' for name, kind in columns)
    return f"create table if not exists {schema}.{table} ({cols})"


def ddl() -> list[str]:
    """Statements that create the `raw` and `audit` schemas and tables, safe to run every time."""
    statements = ["create schema if not exists raw", "create schema if not exists audit"]
    statements += [create_table_sql("raw", t, c) for t, c in RAW_TABLES.items()]
    statements += [create_table_sql("audit", t, c) for t, c in AUDIT_TABLES.items()]
    return statements
