"""`report-warehouse run` end to end: real files, real DuckDB, real dbt build, real GX."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SHARED_SAMPLES, run_cli

MARTS = ("dim_documents", "dim_sections", "fct_tasks", "fct_indicators")


def _query(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def test_run_publishes_every_mart_with_exact_spans(sample_inbox: Path, warehouse: Path, tmp_path: Path) -> None:
    result = run_cli("run", "--inbox", sample_inbox, "--warehouse", warehouse, "--reports", tmp_path / "reports")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "validation passed, published" in result.stdout
    for mart in MARTS:
        assert _query(warehouse, f"select count(*) from marts.{mart}")[0][0] > 0, mart

    # A known figure of the medical-insurance report, with its exact value, unit and span.
    text = (sample_inbox / "02_medical_insurance_2023h1.txt").read_text(encoding="utf-8")
    start = text.index("资助资金568.4万元") + len("资助资金")
    rows = _query(warehouse, """
        select i.value, i.unit, i.char_start, i.char_end, i.subject
        from marts.fct_indicators i join marts.dim_documents d using (doc_id)
        where d.source_path = '02_medical_insurance_2023h1.txt' and i.quantity_text = '568.4万元'
    """)
    assert rows == [(568.4, "万元", start, start + len("568.4万元"), "资助资金")]

    # Every span points back at exactly its own characters in raw.documents.text.
    bad = _query(warehouse, """
        select count(*) from marts.fct_indicators i join raw.documents d using (doc_id)
        where substr(d.text, i.char_start + 1, i.char_end - i.char_start) <> i.quantity_text
    """)
    assert bad == [(0,)]
    assert (tmp_path / "reports" / "index.html").is_file()


def test_gb18030_report_is_decoded_and_recorded(sample_inbox: Path, warehouse: Path, tmp_path: Path) -> None:
    assert run_cli("run", "--inbox", sample_inbox, "--warehouse", warehouse).returncode == 0
    rows = _query(warehouse, "select encoding, char_count from raw.documents where source_path like '%gb18030%'")
    assert len(rows) == 1
    assert rows[0][0].lower().replace("-", "") in {"gb18030", "gbk", "gb2312"}
    assert rows[0][1] > 1000


def test_shared_samples_yield_indicators_with_exact_spans(warehouse: Path, tmp_path: Path) -> None:
    result = run_cli("run", "--inbox", SHARED_SAMPLES, "--warehouse", warehouse, "--reports", tmp_path / "r")
    assert result.returncode == 0, result.stderr[-3000:]
    rows = _query(warehouse, """
        select i.quantity_text, substr(d.text, i.char_start + 1, i.char_end - i.char_start)
        from marts.fct_indicators i join raw.documents d using (doc_id)
    """)
    assert len(rows) > 20
    assert all(expected == actual for expected, actual in rows)


def test_binary_file_is_quarantined_and_the_rest_published(sample_inbox: Path, warehouse: Path, tmp_path: Path) -> None:
    (sample_inbox / "broken_report.txt").write_bytes(bytes(range(256)) * 40)
    result = run_cli("run", "--inbox", sample_inbox, "--warehouse", warehouse)
    assert result.returncode == 0, result.stderr[-3000:]
    status, reason = _query(warehouse, "select status, reason from audit.file_ingestions "
                                       "where source_path = 'broken_report.txt'")[0]
    assert status == "quarantined"
    assert len(reason) > 20
    assert _query(warehouse, "select count(*) from raw.documents")[0][0] == 7
    quarantined = list((warehouse.parent / ".state" / "quarantine").rglob("broken_report.txt"))
    assert len(quarantined) == 1


def test_second_run_over_unchanged_inbox_changes_nothing(sample_inbox: Path, warehouse: Path) -> None:
    assert run_cli("run", "--inbox", sample_inbox, "--warehouse", warehouse).returncode == 0
    before = hashlib.sha256(warehouse.read_bytes()).hexdigest()
    again = run_cli("run", "--inbox", sample_inbox, "--warehouse", warehouse)
    assert again.returncode == 0
    assert "left as it was" in again.stdout
    assert hashlib.sha256(warehouse.read_bytes()).hexdigest() == before


def test_bad_arguments_exit_2(tmp_path: Path) -> None:
    assert run_cli("run", "--inbox", tmp_path / "missing", "--warehouse", tmp_path / "w.duckdb").returncode == 2
    assert run_cli("run", "--warehouse", tmp_path / "w.duckdb").returncode == 2


def test_extract_prints_json_lines(sample_inbox: Path) -> None:
    import json

    result = run_cli("extract", sample_inbox / "02_medical_insurance_2023h1.txt")
    assert result.returncode == 0, result.stderr
    kinds = {json.loads(line)["type"] for line in result.stdout.splitlines()}
    assert kinds == {"document", "section", "task", "indicator"}
