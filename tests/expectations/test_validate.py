"""The gate decides on planted bad rows: critical failures block, warnings do not, rows are named."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import duckdb
import pytest

from expectations import ALL_CHECKS, thresholds
from pipeline import validate as validate_module
from pipeline.publish import critical_failures
from pipeline.validate import ExpectationOutcome, ValidationOutcome, validate
from tests.expectations.synthetic import RUN_ID


def _by_name(outcome: ValidationOutcome) -> dict[str, ExpectationOutcome]:
    return {o.expectation: o for o in outcome.results}


def _audit_rows(build_file: Path, run_id: str = RUN_ID) -> list[tuple]:
    with duckdb.connect(str(build_file), read_only=True) as con:
        return con.execute(
            "select suite, expectation, column_name, success, observed_value, unexpected_count, severity "
            "from audit.validation_results where run_id = ? order by suite, expectation", [run_id]).fetchall()


def _expected_expectation_count(build_file: Path) -> int:
    from expectations import read_reference_sets

    with duckdb.connect(str(build_file), read_only=True) as con:
        refs = read_reference_sets(con)
    return sum(len(check.expectations(refs)) for check in ALL_CHECKS)


def test_good_build_passes_with_one_row_per_expectation(build_file: Path, reports_dir: Path) -> None:
    outcome = validate(build_file, RUN_ID, reports_dir)

    assert outcome.verdict == "passed", [(o.expectation, o.observed_value) for o in outcome.results if not o.success]
    assert outcome.failing_critical == []
    rows = _audit_rows(build_file)
    assert len(rows) == _expected_expectation_count(build_file) == len(outcome.results)
    assert len({(suite, name) for suite, name, *_ in rows}) == len(rows), "expectation names repeat"
    assert {severity for *_, severity in rows} == {"critical", "warning"}
    assert {suite.split(".")[0] for suite, *_ in rows} == {"raw", "marts", "cross_table"}
    assert critical_failures(build_file, RUN_ID) == []
    assert outcome.landing_page.is_file() and outcome.data_docs_index.is_file()


def test_rerun_replaces_its_rows(build_file: Path, reports_dir: Path) -> None:
    validate(build_file, RUN_ID, reports_dir)
    validate(build_file, RUN_ID, reports_dir)
    assert len(_audit_rows(build_file)) == _expected_expectation_count(build_file)


def test_duplicate_indicator_id_fails_critical_with_its_rows(build_file: Path, reports_dir: Path, plant) -> None:
    plant("insert into marts.fct_indicators select * from marts.fct_indicators where indicator_id = 'doc000001-t2-i0'")

    outcome = validate(build_file, RUN_ID, reports_dir)

    assert outcome.verdict == "failed"
    unique = _by_name(outcome)["indicator_id_unique"]
    assert not unique.success and unique.severity == "critical" and unique.unexpected_count == 2
    assert {(e.key, e.source_path, e.line_no) for e in unique.examples} == {
        ("doc000001-t2-i0", "inbox/report_1.txt", 4)}
    assert "marts.fct_indicators: indicator_id_unique on indicator_id" in critical_failures(build_file, RUN_ID)
    row = next(r for r in _audit_rows(build_file) if r[1] == "indicator_id_unique")
    assert row[3] is False and row[5] == 2 and row[6] == "critical"
    # The fan-out shows in the cross-table suite too: one more mart row than raw has.
    assert not _by_name(outcome)["mart_rows_match_raw"].success


def test_masked_value_fails_on_exactly_the_planted_row(build_file: Path, reports_dir: Path, plant) -> None:
    plant("update marts.fct_indicators set value = 12 where indicator_id = 'doc000002-t0-i2'")

    outcome = validate(build_file, RUN_ID, reports_dir)

    masked = _by_name(outcome)["value_null_when_masked"]
    assert outcome.verdict == "failed" and not masked.success and masked.unexpected_count == 1
    [example] = masked.examples
    assert (example.key, example.source_path, example.line_no, example.excerpt) == (
        "doc000002-t0-i2", "inbox/report_2.txt", 2, "xx家")
    assert outcome.failing_critical == [masked]


def test_range_low_above_high_fails(build_file: Path, reports_dir: Path, plant) -> None:
    plant("update marts.fct_indicators set value_low = 9, value_high = 5, qualifier = 'range' "
          "where indicator_id = 'doc000000-t1-i0'")

    outcome = validate(build_file, RUN_ID, reports_dir)

    check = _by_name(outcome)["value_low_not_above_value_high"]
    assert not check.success and [e.key for e in check.examples] == ["doc000000-t1-i0"]
    assert "value_high=5" in check.examples[0].detail and "value_low=9" in check.examples[0].detail


def test_span_that_misses_its_text_fails(build_file: Path, reports_dir: Path, plant) -> None:
    plant("update marts.fct_indicators set char_start = char_start + 1 where indicator_id = 'doc000000-t3-i1'")

    outcome = validate(build_file, RUN_ID, reports_dir)

    check = _by_name(outcome)["indicator_span_matches_text"]
    assert not check.success and check.unexpected_count == 1
    assert [(e.key, e.line_no) for e in check.examples] == [("doc000000-t3-i1", 5)]


def test_span_beyond_document_end_fails(build_file: Path, reports_dir: Path, plant) -> None:
    plant("update marts.fct_tasks set char_end = 100000 where task_id = 'doc000001-t0'")

    outcome = validate(build_file, RUN_ID, reports_dir)

    assert not _by_name(outcome)["task_span_end_within_document"].success
    assert [e.key for e in _by_name(outcome)["task_span_end_within_document"].examples] == ["doc000001-t0"]
    assert outcome.verdict == "failed"


def test_status_and_domain_outside_their_sets_fail(build_file: Path, reports_dir: Path, plant) -> None:
    plant("update marts.fct_tasks set status = 'done' where task_id = 'doc000000-t0'",
          "update marts.fct_tasks set domain = '火星开发' where task_id = 'doc000002-t3'")

    outcome = validate(build_file, RUN_ID, reports_dir)

    names = _by_name(outcome)
    assert [e.key for e in names["task_status_in_set"].examples] == ["doc000000-t0"]
    assert [e.key for e in names["task_domain_in_set"].examples] == ["doc000002-t3"]
    assert {o.expectation for o in outcome.failing_critical} == {"task_status_in_set", "task_domain_in_set"}


def test_warnings_alone_do_not_fail_the_verdict(build_file: Path, reports_dir: Path, plant) -> None:
    # A share of 250% and a deadline eight years out: implausible, reported, not blocking.
    plant("update marts.fct_indicators set value = 250, value_base = 250 where indicator_id = 'doc000000-t0-i1'",
          "update marts.fct_tasks set deadline_date = date '2032-06-30' where task_id = 'doc000001-t1'")

    outcome = validate(build_file, RUN_ID, reports_dir)

    names = _by_name(outcome)
    assert outcome.verdict == "passed" and outcome.failing_critical == []
    assert {o.expectation for o in outcome.failing_warnings} == {"percent_value_plausible",
                                                                 "deadline_within_report_window"}
    assert names["percent_value_plausible"].severity == "warning"
    assert [e.key for e in names["percent_value_plausible"].examples] == ["doc000000-t0-i1"]
    assert critical_failures(build_file, RUN_ID) == []
    failed_rows = [r for r in _audit_rows(build_file) if not r[3]]
    assert {(r[1], r[6]) for r in failed_rows} == {("percent_value_plausible", "warning"),
                                                   ("deadline_within_report_window", "warning")}


def test_growth_rate_may_exceed_100_percent(build_file: Path, reports_dir: Path, plant) -> None:
    plant("update marts.fct_indicators set value = 250, value_base = 250, comparison = 'year_on_year' "
          "where indicator_id = 'doc000000-t0-i1'")

    outcome = validate(build_file, RUN_ID, reports_dir)

    assert _by_name(outcome)["percent_value_plausible"].success
    assert _by_name(outcome)["growth_percent_plausible"].success


def test_current_document_without_sections_fails(build_file: Path, reports_dir: Path, plant) -> None:
    plant("delete from marts.dim_sections where doc_id = 'doc000001'")

    outcome = validate(build_file, RUN_ID, reports_dir)

    check = _by_name(outcome)["current_document_has_sections"]
    assert not check.success and [(e.key, e.source_path) for e in check.examples] == [
        ("doc000001", "inbox/report_1.txt")]
    assert not _by_name(outcome)["mart_rows_match_raw"].success


def test_mart_dropping_rows_fails_cross_table(build_file: Path, reports_dir: Path, plant) -> None:
    plant("delete from marts.fct_indicators where indicator_id = 'doc000000-t0-i0'")

    outcome = validate(build_file, RUN_ID, reports_dir)

    check = _by_name(outcome)["mart_rows_match_raw"]
    assert not check.success and [e.key for e in check.examples] == ["fct_indicators"]
    assert "mart_rows=35" in check.examples[0].detail and "raw_rows=36" in check.examples[0].detail


def test_raw_document_with_empty_text_fails(build_file: Path, reports_dir: Path, plant) -> None:
    plant("update raw.documents set text = '', char_count = 0 where doc_id = 'doc000002'")

    outcome = validate(build_file, RUN_ID, reports_dir)

    check = _by_name(outcome)["raw_text_not_empty"]
    assert not check.success and [(e.key, e.source_path) for e in check.examples] == [
        ("doc000002", "inbox/report_2.txt")]


def test_raw_unknown_encoding_and_double_load_fail(build_file: Path, reports_dir: Path, plant) -> None:
    plant("update raw.documents set encoding = 'mac-roman' where doc_id = 'doc000000'",
          "insert into raw.documents select * replace ('docXXX' as doc_id) from raw.documents where doc_id = 'doc000001'")

    outcome = validate(build_file, RUN_ID, reports_dir)

    names = _by_name(outcome)
    assert [e.key for e in names["raw_encoding_known"].examples] == ["doc000000"]
    assert names["raw_one_row_per_file_and_record"].unexpected_count == 2


def test_missing_mart_fails_every_expectation_of_its_suite(build_file: Path, reports_dir: Path, plant) -> None:
    plant("drop table marts.fct_tasks")

    outcome = validate(build_file, RUN_ID, reports_dir)

    task_results = [o for o in outcome.results if o.suite == "marts.fct_tasks"]
    assert task_results and all(not o.success for o in task_results)
    assert all("marts.fct_tasks does not exist" in o.observed_value for o in task_results)
    assert outcome.verdict == "failed"
    assert len(_audit_rows(build_file)) == _expected_expectation_count(build_file)


def test_chunked_validation_finds_duplicates_across_the_whole_table(
    build_file: Path, reports_dir: Path, plant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chunks split by key hash: a duplicate pair always meets in one chunk, counts add up."""
    plant("insert into marts.fct_indicators select * from marts.fct_indicators "
          "where indicator_id in ('doc000000-t0-i0', 'doc000002-t3-i2')",
          "update marts.fct_indicators set value = 7 where indicator_id = 'doc000001-t1-i2'")
    whole = validate(build_file, RUN_ID, reports_dir)
    monkeypatch.setattr(thresholds, "CHUNK_ROWS", 5)  # 38 rows -> 8 chunks
    chunked_frames = []
    real_frames = validate_module._frames
    monkeypatch.setattr(validate_module, "_frames", lambda con, check, *scope: (
        chunked_frames.append(check.name) or real_frames(con, check, *scope)))
    # Another run id over the same rows: every row, not only this run's, to compare with `whole`.
    monkeypatch.setenv(validate_module.VALIDATE_ALL_ENV, "1")
    chunked = validate(build_file, "chunked-run", reports_dir)

    for name in ("indicator_id_unique", "value_null_when_masked", "indicator_span_matches_text"):
        a, b = _by_name(whole)[name], _by_name(chunked)[name]
        assert (a.success, a.unexpected_count, a.element_count) == (b.success, b.unexpected_count, b.element_count)
    assert _by_name(chunked)["indicator_id_unique"].unexpected_count == 4
    assert {e.key for e in _by_name(chunked)["indicator_id_unique"].examples} == {
        "doc000000-t0-i0", "doc000002-t3-i2"}
    assert chunked.verdict == whole.verdict == "failed"


def test_merge_recomputes_mostly_on_totals() -> None:
    """A `mostly` expectation passes or fails on the whole table, not on any single chunk."""
    import great_expectations as gx
    import pandas as pd

    context = gx.get_context(mode="ephemeral")
    batch_definition = (context.data_sources.add_pandas("p").add_dataframe_asset("a")
                        .add_batch_definition_whole_dataframe("w"))
    suite = gx.ExpectationSuite(name="s")
    suite.add_expectation(gx.expectations.ExpectColumnValuesToBeBetween(column="x", min_value=0, mostly=0.75))
    # chunk 1: 1 bad of 2 (50%, fails alone); chunk 2: 0 bad of 4. Whole: 1 of 6 bad = 83% good.
    results = [batch_definition.get_batch(batch_parameters={"dataframe": pd.DataFrame({"x": xs})})
               .validate(suite, result_format="SUMMARY") for xs in ([-1, 1], [1, 2, 3, 4])]
    assert not results[0].results[0].success
    merged = validate_module.merge_chunk_results(results)
    assert merged.success and merged.results[0].success
    assert merged.results[0].result["unexpected_count"] == 1 and merged.results[0].result["element_count"] == 6
    assert merged.statistics["successful_expectations"] == 1


def test_severity_is_in_every_expectations_meta() -> None:
    from expectations import ReferenceSets

    names = []
    for check in ALL_CHECKS:
        for expectation in check.expectations(ReferenceSets(units=("元",), domains=("教育",))):
            assert expectation.meta["severity"] in ("critical", "warning")
            assert expectation.severity.value == expectation.meta["severity"]
            assert expectation.meta["why"]
            names.append(expectation.meta["check"])
    assert len(names) == len(set(names)), "check names must be unique: they key audit rows"


def test_reports_and_data_docs_keep_history(build_file: Path, reports_dir: Path, plant) -> None:
    first = validate(build_file, "run-one", reports_dir)
    # run-two re-landed doc000000 (its raw rows carry run-two) and dbt rebuilt it with a bad value.
    plant("update raw.documents set run_id = 'run-two' where doc_id = 'doc000000'",
          "update marts.fct_indicators set value = 1 where indicator_id = 'doc000000-t0-i2'")
    second = validate(build_file, "run-two", reports_dir)

    assert (first.verdict, second.verdict) == ("passed", "failed")
    docs_index = second.data_docs_index.read_text(encoding="utf-8")
    assert "run-one" in docs_index and "run-two" in docs_index
    landing = second.landing_page.read_text(encoding="utf-8")
    assert "run-two" in landing and 'href="runs/run-one/index.html"' in landing
    assert (reports_dir / "runs" / "run-one" / "index.html").read_text(encoding="utf-8").count("PASSED") >= 1
    assert second.run_page == reports_dir / "runs" / "run-two" / "index.html"


def test_landing_page_says_what_an_auditor_needs(build_file: Path, reports_dir: Path, plant) -> None:
    plant("update marts.fct_indicators set value = 3 where indicator_id = 'doc000001-t3-i2'")

    outcome = validate(build_file, RUN_ID, reports_dir)
    page = outcome.landing_page.read_text(encoding="utf-8")

    assert 'id="verdict">FAILED<' in page
    cards = dict((label, value) for value, label in re.findall(r"<div class=card><b>([^<]*)</b><span>([^<]*)</span>", page))
    assert cards == {"files seen": "4", "loaded": "3", "quarantined": "1", "unchanged": "0", "documents": "3",
                     "tasks": "12", "indicators": "36", "masked share": "33.3%"}
    assert "The PDF is encrypted and cannot be read." in page
    assert "value_null_when_masked" in page and "inbox/report_1.txt, line 5" in page
    assert page.count("<svg") == 3
    for suite in ("raw.documents", "marts.fct_indicators", "marts.fct_tasks", "cross_table.row_counts"):
        assert suite in page
    # Nothing on the page is fetched from anywhere: no script at all, no external stylesheet.
    assert "<script" not in page and not re.search(r"<link[^>]+href=\"https?:", page)
    for href in re.findall(r'href="([^"#]+)"', page):
        assert (outcome.landing_page.parent / href).exists(), href


def test_data_docs_link_nothing_from_the_internet(build_file: Path, reports_dir: Path) -> None:
    outcome = validate(build_file, RUN_ID, reports_dir)

    assert outcome.data_docs_self_contained
    pages = list((reports_dir / "data_docs").rglob("*.html"))
    assert len(pages) > 5
    for page in pages:
        html = page.read_text(encoding="utf-8")
        for tag in re.findall(r"<(?:script|link|img)\b[^>]*>", html):
            assert not re.search(r"""(?:src|href)=["'](?:https?:)?//""", tag), (page, tag)
            assert "integrity=" not in tag
        for local in re.findall(r"""<(?:script|link|img)\b[^>]*(?:src|href)=["']([^"'?#]+)""", html):
            assert (page.parent / local).resolve().is_file(), (page, local)


def test_rewrite_reports_unknown_cdn_urls() -> None:
    from expectations.data_docs import rewrite_page

    html = ('<script src="https://code.jquery.com/jquery-3.7.1.min.js" integrity="sha384-x" crossorigin="anonymous">'
            '</script><link rel="stylesheet" href="https://cdn.example.org/new-lib.css">'
            '<a href="https://greatexpectations.io">GX</a>')
    new, rewritten, unknown = rewrite_page(html, "../static/")
    assert rewritten == 1 and unknown == ["https://cdn.example.org/new-lib.css"]
    assert '<script src="../static/vendor/jquery/dist/jquery.min.js"></script>' in new
    assert '<a href="https://greatexpectations.io">' in new  # a link a reader follows is not a fetch


def test_validation_never_writes_while_reading(build_file: Path, reports_dir: Path) -> None:
    """The data judged is the data published: validation changes nothing but its audit rows."""
    def fingerprint() -> str:
        with duckdb.connect(str(build_file), read_only=True) as con:
            tables = con.execute("select table_schema, table_name from information_schema.tables "
                                 "where table_schema in ('raw', 'marts') order by all").fetchall()
            digest = hashlib.sha256()
            for schema, table in tables:
                digest.update(repr(con.execute(f"select * from {schema}.{table} order by all").fetchall()).encode())
            return digest.hexdigest()

    before = fingerprint()
    validate(build_file, RUN_ID, reports_dir)
    assert fingerprint() == before


def test_incremental_run_checks_only_its_rows_unless_told_otherwise(
    build_file: Path, reports_dir: Path, plant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a validated run, a run that adds one document validates that document's mart rows."""
    from tests.expectations.synthetic import add_document

    first = validate(build_file, RUN_ID, reports_dir)
    assert first.verdict == "passed"
    add_document(build_file, run_id="second-run")
    # A row published (and validated) earlier, damaged behind the gate's back: out of scope.
    plant("update marts.fct_indicators set value = 7 where indicator_id = 'doc000001-t1-i2'")

    second = validate(build_file, "second-run", reports_dir)
    assert second.verdict == "passed"
    per_doc = {o.expectation: o.element_count for o in first.results}
    assert _by_name(second)["indicator_id_unique"].element_count == per_doc["indicator_id_unique"] // 3
    assert _by_name(second)["task_id_unique"].element_count == per_doc["task_id_unique"] // 3
    assert _by_name(second)["section_id_unique"].element_count == 1
    # Small and table-level suites stay global.
    assert _by_name(second)["raw_doc_id_unique"].element_count == 4
    assert len(_audit_rows(build_file, "second-run")) == _expected_expectation_count(build_file)

    monkeypatch.setenv(validate_module.VALIDATE_ALL_ENV, "1")
    assert not _by_name(validate(build_file, "third-run", reports_dir))["value_null_when_masked"].success
    monkeypatch.delenv(validate_module.VALIDATE_ALL_ENV)
    assert not _by_name(validate(build_file, "fourth-run", reports_dir, full=True))["value_null_when_masked"].success


def test_incremental_run_still_catches_ids_colliding_with_old_rows(build_file: Path, reports_dir: Path) -> None:
    """Uniqueness stays global: a new row reusing an old row's id fails, with both rows counted."""
    from tests.expectations.synthetic import add_document

    validate(build_file, RUN_ID, reports_dir)
    add_document(build_file, run_id="second-run", keep_ids=("indicator_id",))

    outcome = validate(build_file, "second-run", reports_dir)
    unique = _by_name(outcome)["indicator_id_unique"]
    assert not unique.success and unique.unexpected_count == 2 * 12
    assert outcome.verdict == "failed"
