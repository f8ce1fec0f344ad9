"""The quality gate: run the GX suites against a build file, record the verdict, publish the reports.

Runs after `dbt build`, before publishing. GX Core has no working DuckDB data source (every
expectation fails with MetricResolutionError through duckdb-engine, GX issues #10738 and #11579),
so GX validates pandas DataFrames read through a read-only DuckDB connection:

* push-down: each suite's frame is a DuckDB query that reads only the columns its expectations
  look at and computes in SQL whatever needs a join (a span's text against raw.documents.text, a
  document's length, its report year). Wide text columns never reach pandas.
* chunks: a frame larger than `CHUNK_ROWS` is read in chunks split by a hash of its key, so rows a
  uniqueness expectation must compare always meet in the same chunk; chunk results are merged
  into one GX result per suite (counts summed, `mostly` recomputed on the totals).
* once: each suite's frame query (with its joins against raw.documents.text) runs once; its
  result is materialised into a TEMP table of the read-only connection (DuckDB allows temp tables
  there; they live in memory/temp spill and vanish with the connection). The hash-partitioned
  chunks are then cheap scans of that narrow table, with no joins re-run.
* incremental: for a check with `row_scope` (the big marts: fct_indicators, fct_tasks,
  dim_sections), only the rows this build wrote are read: rows of documents whose raw row has
  `run_id` = this run, and every row written by the same dbt invocation (`dbt_invocation_id`) as
  this run's documents. Earlier rows were validated when they were published and the incremental
  delete+insert models have not touched them. Uniqueness stays global: rows whose key occurs more
  than once anywhere in the table are always added to the frame (a cheap SQL group-by), so a new
  row colliding with an old one still fails `*_id_unique`. Small frames (raw.documents,
  dim_documents, the cross-table counts, which are SQL aggregates) are always validated whole.
  Full validation (every row) happens when `validate(..., full=True)` (pass it on
  `--full-refresh`), when `REPORTS_VALIDATE_ALL=1` is set, or when the build file holds no audit
  rows of an earlier run (a first build). With incremental scope the "N of M rows" counts in
  audit.validation_results.observed_value are over the rows validated in this run.

Every expectation of every suite gives one row in `audit.validation_results` of the build file,
which is what `pipeline.publish` reads to decide. The merged results are stored in a file-backed
GX context under `reports_dir/gx/`, so the Data Docs site in `reports_dir/data_docs/` keeps every
earlier run, and the auditor's landing page is `reports_dir/index.html`.
"""
from __future__ import annotations

import copy
import logging
import math
import os
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

from typing import TYPE_CHECKING

import duckdb

from pipeline import reports
from pipeline.schema import AUDIT_TABLES, create_table_sql
from pipeline.warehouse import connect, table_exists

if TYPE_CHECKING:  # GX and pandas are imported when validation runs, not when the CLI starts
    import pandas as pd

    from expectations.spec import ReferenceSets, Severity, TableCheck

log = logging.getLogger(__name__)

DATA_DOCS_SITE = "reports"
DATASOURCE = "build_file"
BATCH_DEFINITION = "whole_frame"

Verdict = Literal["passed", "failed"]
VALIDATE_ALL_ENV = "REPORTS_VALIDATE_ALL"


@dataclass(frozen=True)
class ExampleRow:
    """A failing row as an auditor wants it: which row, which file, which line, what it says."""

    key: str | None
    source_path: str | None
    line_no: int | None
    excerpt: str | None
    detail: str  # the offending values as GX reported them


@dataclass
class ExpectationOutcome:
    """One expectation's result in one run: a row of audit.validation_results, and more."""

    run_id: str
    suite: str
    expectation: str
    column_name: str | None
    success: bool
    observed_value: str
    unexpected_count: int | None
    severity: Severity
    expectation_type: str = ""
    why: str = ""
    element_count: int | None = None
    examples: list[ExampleRow] = field(default_factory=list)
    docs_page: Path | None = None

    def audit_row(self) -> tuple[Any, ...]:
        return (self.run_id, self.suite, self.expectation, self.column_name, self.success,
                self.observed_value, self.unexpected_count, self.severity)


@dataclass
class ValidationOutcome:
    verdict: Verdict
    results: list[ExpectationOutcome]
    failing_critical: list[ExpectationOutcome]
    landing_page: Path
    data_docs_index: Path
    run_page: Path | None = None
    # False when the site still links CDNs (vendored assets not installed, or a URL GX added).
    data_docs_self_contained: bool = True
    seconds: float = 0.0

    @property
    def failing_warnings(self) -> list[ExpectationOutcome]:
        return [r for r in self.results if not r.success and r.severity == "warning"]


class ValidationError(Exception):
    """Validation could not run at all (as opposed to: it ran and data failed)."""


def import_gx_in_background() -> threading.Thread:
    """Start importing Great Expectations (seconds of imports) in a thread, for a caller that waits on
    something else first: pipeline.run imports it while dbt, a subprocess, builds the marts."""
    def _import() -> None:
        os.environ["GX_ANALYTICS_ENABLED"] = "False"  # before GX reads it, as in _gx_context
        import great_expectations  # noqa: F401

    thread = threading.Thread(target=_import, name="import-great-expectations", daemon=True)
    thread.start()
    return thread


def validate(build_path: Path, run_id: str, reports_dir: Path, *, full: bool = False) -> ValidationOutcome:
    """Validate `build_path`; write results into it and the reports into `reports_dir`.

    `full=True` (or REPORTS_VALIDATE_ALL=1) checks every row, not only the rows this run wrote.
    Never raises because data is bad: bad data gives verdict 'failed' (and rows saying why).
    Raises ValidationError when the build file does not exist.
    """
    started = time.perf_counter()
    from expectations import ALL_CHECKS, read_reference_sets

    build_path, reports_dir = Path(build_path), Path(reports_dir)
    if not build_path.exists():
        raise ValidationError(f"no build file at {build_path}: run dbt build first")
    reports_dir.mkdir(parents=True, exist_ok=True)
    validated_at = datetime.now(timezone.utc)

    context = _gx_context(reports_dir)
    suite_results: list[tuple[TableCheck, Any]] = []
    outcomes: list[ExpectationOutcome] = []
    # Read-only while reading: the build file may be large, and a read-only connection is what
    # proves this step cannot change the data it judges.
    with connect(build_path, read_only=True) as con:
        refs = read_reference_sets(con)
        full = full or os.environ.get(VALIDATE_ALL_ENV, "") not in ("", "0") or not _validated_before(con, run_id)
        log.info("validation of run %s: %s", run_id, "every row" if full else "rows written by this run")
        for table_check in ALL_CHECKS:
            table_outcomes, gx_result = _run_check(con, context, table_check, refs, run_id, full)
            outcomes += table_outcomes
            if gx_result is not None:
                suite_results.append((table_check, gx_result))
        report_data = reports.collect(con, run_id)

    docs_index, pages, self_contained = _publish_data_docs(context, reports_dir, suite_results, run_id, validated_at)
    for outcome in outcomes:
        outcome.docs_page = pages.get(outcome.suite)

    failing_critical = [o for o in outcomes if not o.success and o.severity == "critical"]
    verdict: Verdict = "failed" if failing_critical else "passed"
    outcome = ValidationOutcome(
        verdict=verdict,
        results=outcomes,
        failing_critical=failing_critical,
        landing_page=reports_dir / "index.html",
        data_docs_index=docs_index,
        data_docs_self_contained=self_contained,
    )
    outcome.run_page = reports.write_landing_pages(
        outcome, report_data, reports_dir, run_id, validated_at, data_docs_self_contained=self_contained)
    # Only now read-write: the read-only connection above is closed, and DuckDB allows one writer.
    _write_audit_rows(build_path, run_id, outcomes)
    outcome.seconds = time.perf_counter() - started
    log.info("validation of run %s: %s (%d expectations, %d critical failing, %d warnings) in %.1fs",
             run_id, verdict, len(outcomes), len(failing_critical), len(outcome.failing_warnings),
             outcome.seconds)
    return outcome


# --- running one table's suite ---------------------------------------------------------------------

def _validated_before(con: duckdb.DuckDBPyConnection, run_id: str) -> bool:
    """Whether the build file holds the verdict of an earlier run (so its rows were validated)."""
    if not table_exists(con, "audit", "validation_results"):
        return False
    return con.execute(
        "select count(*) > 0 from audit.validation_results where run_id <> ?", [run_id]).fetchone()[0]


def _run_check(
    con: duckdb.DuckDBPyConnection, context: Any, table_check: TableCheck, refs: ReferenceSets, run_id: str,
    full: bool = True,
) -> tuple[list[ExpectationOutcome], Any | None]:
    from expectations import thresholds

    suite = context.suites.add_or_update(table_check.build_suite(refs))
    missing = _missing_requirements(con, table_check)
    if missing:
        # The frame cannot be built, so nothing was checked: every expectation of the suite fails
        # (a missing model must not pass a critical expectation by default).
        reason = "not run: " + "; ".join(missing)
        log.error("%s %s", table_check.suite_name, reason)
        return [_not_run_outcome(run_id, table_check, e, reason) for e in suite.expectations], None

    batch_definition = _batch_definition(context, table_check.name)
    result_format = {
        "result_format": "SUMMARY",
        "partial_unexpected_count": thresholds.PARTIAL_UNEXPECTED_COUNT,
        **({"unexpected_index_column_names": [table_check.key_column]} if table_check.key_column else {}),
    }
    chunk_results = []
    for frame in _frames(con, table_check, None if full else run_id):
        batch = batch_definition.get_batch(batch_parameters={"dataframe": frame})
        chunk_results.append(batch.validate(suite, result_format=result_format))
        del frame, batch  # free the chunk before the next one is read
    merged = merge_chunk_results(chunk_results)
    outcomes = [_outcome(run_id, table_check, r) for r in merged.results]
    _attach_examples(con, table_check, outcomes, merged.results)
    return outcomes, merged


def _missing_requirements(con: duckdb.DuckDBPyConnection, table_check: TableCheck) -> list[str]:
    present: dict[str, set[str]] = {}
    for schema, table, column in con.execute(
        "select table_schema, table_name, column_name from information_schema.columns"
    ).fetchall():
        present.setdefault(f"{schema}.{table}", set()).add(column)
    missing = []
    for relation, columns in table_check.requires.items():
        if relation not in present:
            missing.append(f"{relation} does not exist")
            continue
        absent = [c for c in columns if c not in present[relation]]
        if absent:
            missing.append(f"{relation} has no column {', '.join(absent)}")
    return missing


def _columns(con: duckdb.DuckDBPyConnection, relation: str) -> set[str]:
    schema, table = relation.split(".")
    return {r[0] for r in con.execute(
        "select column_name from information_schema.columns where table_schema = ? and table_name = ?",
        [schema, table]).fetchall()}


def scoped_frame_sql(con: duckdb.DuckDBPyConnection, table_check: TableCheck, run_id: str | None) -> str:
    """The check's frame SQL, restricted to the rows `run_id` wrote (None: every row).

    Rows whose key is duplicated anywhere in the table are always kept, so uniqueness stays global.
    """
    scope = table_check.row_scope
    if run_id is None or scope is None:
        return table_check.select_sql
    relation, alias, key = scope
    quoted = run_id.replace("'", "''")
    conditions = [f"doc_id in (select doc_id from raw.documents where run_id = '{quoted}')"]
    if "dbt_invocation_id" in _columns(con, relation) and "dbt_invocation_id" in _columns(con, "marts.dim_documents"):
        # Whatever the dbt invocation that built this run's documents wrote, in any document.
        conditions.append(
            f"dbt_invocation_id in (select distinct dbt_invocation_id from marts.dim_documents "
            f"where doc_id in (select doc_id from raw.documents where run_id = '{quoted}'))")
    conditions.append(f"{key} in (select {key} from {relation} group by {key} having count(*) > 1)")
    scoped = " or ".join(f"({c})" for c in conditions)
    base = f"from {relation} as {alias}"
    if table_check.select_sql.count(base) != 1:
        raise ValueError(f"{table_check.suite_name}: row_scope needs exactly one '{base}' in select_sql")
    # Filter the base table before the joins, so the text join reads only the scoped documents.
    return table_check.select_sql.replace(base, f"from (select * from {relation} where {scoped}) as {alias}")


def _frames(
    con: duckdb.DuckDBPyConnection, table_check: TableCheck, run_id: str | None = None
) -> Iterator[pd.DataFrame]:
    """The check's frame, whole when small, else in hash-partitioned chunks of ~CHUNK_ROWS.

    The frame query runs once, into a TEMP table; the chunks read it back (a scan of a narrow
    table, no joins).
    """
    from expectations import thresholds

    frame_sql = scoped_frame_sql(con, table_check, run_id)
    if not table_check.partition_by:
        yield con.execute(frame_sql).df()
        return
    table = f"validate_frame_{table_check.name}"
    con.execute(f"create or replace temp table {table} as {frame_sql}")
    try:
        rows = con.execute(f"select count(*) from {table}").fetchone()[0]
        chunks = max(1, math.ceil(rows / thresholds.CHUNK_ROWS))
        if chunks == 1:
            yield con.execute(f"select * from {table}").df()
            return
        for chunk in range(chunks):
            # hash() is deterministic within a DuckDB version: rows with one key meet in one chunk.
            yield con.execute(
                f"select * from {table} where hash({table_check.partition_by}) % {chunks} = {chunk}").df()
    finally:
        con.execute(f"drop table if exists {table}")


def merge_chunk_results(chunk_results: Sequence[Any]) -> Any:
    """One suite result from the results of the same suite over disjoint chunks of one frame.

    Only row-wise ("map") expectations can be merged: their unexpected rows are the union of the
    chunks'. An aggregate (a mean, a row count) is refused rather than merged wrongly.
    """
    if not chunk_results:
        raise ValueError("no chunk results to merge")
    merged = copy.deepcopy(chunk_results[0])
    if len(chunk_results) == 1:
        return merged
    for position, result in enumerate(merged.results):
        parts = [chunk.results[position] for chunk in chunk_results]
        completed = [p for p in parts if not p.exception_info.get("raised_exception")]
        if any("unexpected_count" not in (p.result or {}) for p in completed):
            raise ValueError(
                f"{result.expectation_config.type} is not row-wise and cannot be merged across chunks; "
                "give its TableCheck partition_by=None")
        _merge_expectation_result(result, parts)
    statistics = merged.statistics
    statistics["evaluated_expectations"] = len(merged.results)
    statistics["successful_expectations"] = sum(1 for r in merged.results if r.success)
    statistics["unsuccessful_expectations"] = sum(1 for r in merged.results if not r.success)
    statistics["success_percent"] = (
        100.0 * statistics["successful_expectations"] / len(merged.results) if merged.results else None)
    merged.success = all(r.success for r in merged.results)
    return merged


def _merge_expectation_result(result: Any, parts: Sequence[Any]) -> None:
    from expectations import thresholds

    raised = [p for p in parts if p.exception_info.get("raised_exception")]
    if raised:
        result.success = False
        result.exception_info = copy.deepcopy(raised[0].exception_info)
        return
    element = sum(p.result.get("element_count", 0) for p in parts)
    missing = sum(p.result.get("missing_count", 0) or 0 for p in parts)
    unexpected = sum(p.result["unexpected_count"] for p in parts)
    nonmissing = element - missing
    merged = result.result
    merged["element_count"] = element
    merged["unexpected_count"] = unexpected
    merged["unexpected_percent"] = 100.0 * unexpected / nonmissing if nonmissing else 0.0
    if "missing_count" in merged:
        merged["missing_count"] = missing
        merged["missing_percent"] = 100.0 * missing / element if element else None
        merged["unexpected_percent_total"] = 100.0 * unexpected / element if element else 0.0
        merged["unexpected_percent_nonmissing"] = merged["unexpected_percent"]
    limit = thresholds.PARTIAL_UNEXPECTED_COUNT
    for key in ("partial_unexpected_list", "partial_unexpected_index_list"):
        if key in merged:
            merged[key] = [v for p in parts for v in p.result.get(key, [])][:limit]
    if "partial_unexpected_counts" in merged:
        counts: Counter = Counter()
        for p in parts:
            for entry in p.result.get("partial_unexpected_counts", []):
                counts[_hashable(entry["value"])] += entry["count"]
        merged["partial_unexpected_counts"] = [
            {"value": value, "count": count} for value, count in counts.most_common(limit)]
    mostly = result.expectation_config.kwargs.get("mostly")
    if mostly is None:
        result.success = unexpected == 0
    else:
        result.success = nonmissing == 0 or (1 - unexpected / nonmissing) >= mostly


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


# --- turning GX results into rows --------------------------------------------------------------------

def _column_name(kwargs: dict[str, Any]) -> str | None:
    if "column" in kwargs:
        return kwargs["column"]
    if "column_A" in kwargs:
        return f"{kwargs['column_A']},{kwargs['column_B']}"
    if "column_list" in kwargs:
        return ",".join(kwargs["column_list"])
    return None


def _observed(result: Any) -> str:
    if result.exception_info.get("raised_exception"):
        return f"error: {result.exception_info.get('exception_message')}"
    details = result.result or {}
    if "unexpected_count" in details:
        element = details.get("element_count") or 0
        return (f"{details['unexpected_count']} of {element} rows unexpected "
                f"({details.get('unexpected_percent') or 0:.4g}%)")
    return str(details.get("observed_value"))


def _outcome(run_id: str, table_check: TableCheck, result: Any) -> ExpectationOutcome:
    config = result.expectation_config
    meta = config.meta or {}
    details = result.result or {}
    return ExpectationOutcome(
        run_id=run_id,
        suite=table_check.suite_name,
        expectation=meta.get("check", config.type),
        column_name=_column_name(config.kwargs),
        success=bool(result.success),
        observed_value=_observed(result),
        unexpected_count=details.get("unexpected_count"),
        severity=meta.get("severity", "critical"),
        expectation_type=config.type,
        why=meta.get("why", ""),
        element_count=details.get("element_count"),
    )


def _not_run_outcome(run_id: str, table_check: TableCheck, expectation: Any, reason: str) -> ExpectationOutcome:
    config = expectation.configuration
    meta = config.meta or {}
    return ExpectationOutcome(
        run_id=run_id, suite=table_check.suite_name, expectation=meta.get("check", config.type),
        column_name=_column_name(config.kwargs), success=False, observed_value=reason,
        unexpected_count=None, severity=meta.get("severity", "critical"),
        expectation_type=config.type, why=meta.get("why", ""))


def _attach_examples(
    con: duckdb.DuckDBPyConnection, table_check: TableCheck, outcomes: list[ExpectationOutcome], results: Iterable[Any]
) -> None:
    """Give each failing expectation a few rows with their source file and line."""
    from expectations import thresholds

    key = table_check.key_column
    for outcome, result in zip(outcomes, results, strict=True):
        if outcome.success or not key:
            continue
        indexed = (result.result or {}).get("partial_unexpected_index_list") or []
        picked: list[dict[str, Any]] = []
        seen: set[Any] = set()
        for entry in indexed:
            if entry.get(key) not in seen:
                seen.add(entry.get(key))
                picked.append(entry)
            if len(picked) == thresholds.EXAMPLE_ROWS:
                break
        located: dict[str, tuple[Any, ...]] = {}
        keys = [str(e[key]) for e in picked if e.get(key) is not None]
        if keys and table_check.locate_sql:
            try:
                located = {str(row[0]): row for row in con.execute(table_check.locate_sql, [keys]).fetchall()}
            except duckdb.Error as exc:  # the report loses its line numbers, the verdict stands
                log.warning("could not locate failing rows of %s: %s", table_check.suite_name, exc)
        for entry in picked:
            row_key = None if entry.get(key) is None else str(entry[key])
            _, source_path, line_no, excerpt = located.get(row_key, (row_key, None, None, None))
            detail = ", ".join(f"{k}={_short(v)}" for k, v in entry.items() if k != key)
            outcome.examples.append(ExampleRow(row_key, source_path, line_no, excerpt, detail))


def _short(value: Any, limit: int = 80) -> str:
    text = "null" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- GX context and Data Docs ------------------------------------------------------------------------

def _gx_context(reports_dir: Path) -> Any:
    # Telemetry off before the first context exists (GX reads the variable when it starts one),
    # and recorded in the project config too, so a `gx` command run by hand there stays quiet.
    os.environ["GX_ANALYTICS_ENABLED"] = "False"
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="file", project_root_dir=reports_dir)
    site_config = {
        "class_name": "SiteBuilder",
        "show_how_to_buttons": False,
        "store_backend": {"class_name": "TupleFilesystemStoreBackend",
                          "base_directory": str((reports_dir / "data_docs").resolve())},
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
    }
    sites = context.list_data_docs_sites()
    if "local_site" in sites:  # GX's default site would build a second copy nobody reads
        context.delete_data_docs_site("local_site")
    if DATA_DOCS_SITE in sites:
        context.update_data_docs_site(DATA_DOCS_SITE, site_config)
    else:
        context.add_data_docs_site(DATA_DOCS_SITE, site_config)
    if context.config.analytics_enabled is not False:
        context.enable_analytics(False)
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    context.variables.save()
    context.data_sources.add_or_update_pandas(DATASOURCE)
    return context


def _batch_definition(context: Any, asset_name: str) -> Any:
    datasource = context.data_sources.get(DATASOURCE)
    try:
        asset = datasource.get_asset(asset_name)
    except LookupError:
        asset = datasource.add_dataframe_asset(name=asset_name)
    try:
        return asset.get_batch_definition(BATCH_DEFINITION)
    except (KeyError, LookupError):
        return asset.add_batch_definition_whole_dataframe(BATCH_DEFINITION)


def _publish_data_docs(
    context: Any, reports_dir: Path, suite_results: Sequence[tuple[TableCheck, Any]], run_id: str,
    validated_at: datetime,
) -> tuple[Path, dict[str, Path], bool]:
    """Store this run's results and rebuild the site.

    Returns the index, each suite's page of this run, and whether the site is self-contained.
    """
    from expectations.data_docs import DataDocsAssetsMissing, make_self_contained
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    gx_run = RunIdentifier(run_name=run_id, run_time=validated_at)
    identifiers: list[Any] = []
    for table_check, result in suite_results:
        result.meta["run_id"] = gx_run
        result.meta["validation_time"] = validated_at
        suite_id = ExpectationSuiteIdentifier(name=table_check.suite_name)
        batch_id = result.meta.get("active_batch_definition", {}).get("data_asset_name") or table_check.name
        key = ValidationResultIdentifier(
            expectation_suite_identifier=suite_id, run_id=gx_run, batch_identifier=f"{DATASOURCE}-{batch_id}")
        context.validation_results_store.set(key, result)
        identifiers += [key, suite_id]
    docs_dir = reports_dir / "data_docs"
    # Incremental: only this run's pages are rendered; the index is rebuilt from the stored results
    # of every run, which is how the history stays without re-rendering it each time.
    context.build_data_docs(site_names=[DATA_DOCS_SITE], resource_identifiers=identifiers)
    try:
        self_contained = make_self_contained(docs_dir).self_contained
    except DataDocsAssetsMissing as exc:
        # The verdict is about the data; unstyled docs are no reason to block a good build. The
        # landing page says so in a banner and the browser test fails on it.
        log.error("%s", exc)
        self_contained = False
    pages: dict[str, Path] = {}
    for key in identifiers:
        if isinstance(key, ValidationResultIdentifier):
            urls = context.get_docs_sites_urls(resource_identifier=key, site_name=DATA_DOCS_SITE)
            if urls and urls[0].get("site_url"):
                pages[key.expectation_suite_identifier.name] = _path_from_url(urls[0]["site_url"])
    return docs_dir / "index.html", pages, self_contained


def _path_from_url(url: str) -> Path:
    from urllib.parse import unquote, urlparse

    return Path(unquote(urlparse(url).path))


# --- audit rows ----------------------------------------------------------------------------------------

def _write_audit_rows(build_path: Path, run_id: str, outcomes: Sequence[ExpectationOutcome]) -> None:
    with connect(build_path) as con:
        con.execute("create schema if not exists audit")
        con.execute(create_table_sql("audit", "validation_results", AUDIT_TABLES["validation_results"]))
        con.execute("begin transaction")
        # A retried task writes its rows once: replace, never append, this run's verdict.
        con.execute("delete from audit.validation_results where run_id = ?", [run_id])
        con.executemany(
            "insert into audit.validation_results (run_id, suite, expectation, column_name, success, "
            "observed_value, unexpected_count, severity) values (?, ?, ?, ?, ?, ?, ?, ?)",
            [o.audit_row() for o in outcomes],
        )
        con.execute("commit")
        con.execute("checkpoint")
