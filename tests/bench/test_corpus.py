"""The benchmark corpus: deterministic, report-sized, readable by the extractors, and a valid inbox.

Small N only; no timings are asserted here (the benchmark reports them, `make bench`).
"""
from __future__ import annotations

import json
from pathlib import Path

import duckdb

import extractors
from bench.corpus import (
    DEFAULT_MIX,
    MAX_CHARS,
    MIN_CHARS,
    generate_corpus,
    generate_report,
    generate_reports,
    supported_formats,
)
from tests.conftest import run_cli

# Every format the extractors read today, in equal shares, so a small corpus holds each of them.
EVERY_FORMAT = {fmt: 1.0 for fmt in supported_formats()}
TEXT_FORMATS = {".txt", ".md"}


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_seed_gives_the_same_bytes(tmp_path: Path) -> None:
    a = generate_corpus(tmp_path / "a", 14, seed=7, formats=EVERY_FORMAT)
    b = generate_corpus(tmp_path / "b", 14, seed=7, formats=EVERY_FORMAT)
    assert [p.name for p in a] == [p.name for p in b]
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")
    generate_corpus(tmp_path / "c", 14, seed=8, formats=EVERY_FORMAT)
    assert _tree(tmp_path / "c") != _tree(tmp_path / "a")


def test_a_report_does_not_depend_on_the_corpus_size() -> None:
    assert generate_report(5, seed=3).text == list(generate_reports(9, seed=3))[5].text


def test_sizes_are_report_sized_and_vary() -> None:
    sizes = [len(r.text) for r in generate_reports(60, seed=1)]
    assert all(MIN_CHARS <= n <= MAX_CHARS for n in sizes), (min(sizes), max(sizes))
    assert max(sizes) - min(sizes) > 5_000


def test_every_mention_span_is_exact_and_every_kind_occurs() -> None:
    reports = list(generate_reports(40, seed=2))
    kinds = set()
    for report in reports:
        for m in report.mentions:
            assert report.text[m.start:m.end] == m.text
            assert m.start <= m.core_start < m.core_end <= m.end
            kinds.add(m.kind)
    assert {"currency", "percent", "points", "count", "area", "mass", "length", "duration"} <= kinds
    money = [m for r in reports for m in r.money]
    assert any(m.masked for m in money) and any(m.text != reports[0].text[m.core_start:m.core_end] for m in money)
    joined = "".join(r.text for r in reports)
    for shape in ("一、", "一是", "1.", "①", "同比增长", "个百分点", "xx", "余", "《", "底前"):
        assert shape in joined or shape.replace(".", "．") in joined, shape


def test_every_format_reads_and_labels_index_the_decoded_text(tmp_path: Path) -> None:
    checked = 0
    for fmt in EVERY_FORMAT:
        labels = tmp_path / f"{fmt}.jsonl"
        paths = generate_corpus(tmp_path / fmt, 2, seed=4, formats={fmt: 1.0}, labels=labels)
        texts: dict[tuple[str, str | None], str] = {}
        for path in paths:
            for source in extractors.read_file(path):
                texts[(path.name, source.record_key)] = source.text
        assert len(texts) == 2, fmt
        if Path(paths[0]).suffix not in TEXT_FORMATS | {".jsonl", ".csv"}:
            continue  # docx/pdf/html: the reader rebuilds paragraphs, the labels index the generated text
        for row in map(json.loads, labels.read_text(encoding="utf-8").splitlines()):
            assert texts[(row["file"], row["record_key"])][row["start"]:row["end"]] == row["text"]
            checked += 1
    assert checked > 100


def test_the_default_mix_only_names_known_formats() -> None:
    assert set(supported_formats()) <= set(DEFAULT_MIX)
    assert {"txt", "txt-gb18030", "txt-bom", "md", "jsonl", "csv"} <= set(supported_formats())


def test_the_cli_publishes_a_generated_inbox(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    generate_corpus(inbox, 20, seed=5, formats=EVERY_FORMAT)
    warehouse = tmp_path / "published" / "warehouse.duckdb"
    result = run_cli("run", "--inbox", inbox, "--warehouse", warehouse, "--reports", tmp_path / "reports")
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select count(*) from marts.dim_documents").fetchone()[0] == 20
        assert con.execute("select count(*) from marts.fct_indicators").fetchone()[0] > 20 * 50
