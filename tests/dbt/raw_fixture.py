"""Put documents into the `raw` schema of a DuckDB file the way the loader does, without the loader.

Rows come from `extractors.extract` when the extractors import; otherwise from a deliberately small
stand-in below that honours the same offset rule, so the dbt tests never depend on extraction
quality. `load_inbox` mirrors the lead's loading rules: a changed file's old doc_id rows go, its new
rows come in with the run's run_id, and a removed file's documents get `is_current = false`.
"""
from __future__ import annotations

import dataclasses
import hashlib
import re
from datetime import datetime, timedelta
from pathlib import Path

import duckdb

from pipeline.schema import RAW_TABLES, ddl

_SECTION_RE = re.compile(r"[(（]([一二三四五六七八九十]+)[)）]|([一二三四五六七八九十]+)是")
_QUANTITY_RE = re.compile(r"(\d+(?:\.\d+)?|[x*]+)(万元|亿元|元|%|个|家|项|处|人)")
_TASK_VERBS = ("推进", "加强", "开展", "完成", "落实", "加快", "加大", "深化", "持续", "积极")
_NUMERALS = "一二三四五六七八九十"


def _toy_extract(text: str, doc_id: str) -> dict[str, list[dict]]:
    rows: dict[str, list[dict]] = {t: [] for t in RAW_TABLES if t != "documents"}
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line_no(pos: int) -> int:
        return sum(1 for s in line_starts if s <= pos)

    markers = list(_SECTION_RE.finditer(text))
    current_l2 = None
    for n, m in enumerate(markers):
        level = 2 if m.group(1) else 5
        end = len(text)
        for later in markers[n + 1:]:
            if level == 5 or later.group(1):
                end = later.start()
                break
        end = min(end, text.find("\n", m.start()) if "\n" in text[m.start():] else len(text))
        stop = text.find("。", m.end(), end)
        heading_end = stop if stop != -1 else end
        section_id = f"{doc_id}-s{n}"
        if level == 2:
            current_l2 = section_id
        numeral = m.group(1) or m.group(2)
        rows["sections"].append(dict(
            section_id=section_id, doc_id=doc_id, parent_section_id=current_l2 if level == 5 else None,
            level=level, marker=m.group(0), ordinal=_NUMERALS.find(numeral[-1]) + 1,
            heading=text[m.end():heading_end], heading_start=m.end(), heading_end=heading_end,
            section_kind="plan" if "计划" in text[m.end():heading_end] else "other",
            path=numeral, char_start=m.start(), char_end=end, line_no=line_no(m.start()),
        ))
        if level == 5:
            rows["tasks"].append(dict(
                task_id=f"{doc_id}-t{n}", doc_id=doc_id, section_id=section_id, marker=m.group(0),
                lead=text[m.end():heading_end], task_text=text[m.end():end], char_start=m.end(), char_end=end,
                status="planned" if "将" in text[m.end():end] else "unknown",
                action_verb=next((v for v in _TASK_VERBS if v in text[m.end():end]), None),
                deadline_text=None, deadline_date=None, line_no=line_no(m.start()),
            ))

    if not rows["sections"] and text.strip():
        rows["sections"].append(dict(
            section_id=f"{doc_id}-s0", doc_id=doc_id, parent_section_id=None, level=1, marker="",
            ordinal=1, heading="", heading_start=0, heading_end=0, section_kind="other", path="",
            char_start=0, char_end=len(text), line_no=1,
        ))

    def section_at(pos: int) -> dict | None:
        inside = [s for s in rows["sections"] if s["char_start"] <= pos < s["char_end"]]
        return max(inside, key=lambda s: s["char_start"]) if inside else None

    def task_at(pos: int) -> dict | None:
        return next((t for t in rows["tasks"] if t["char_start"] <= pos < t["char_end"]), None)

    for n, m in enumerate(re.finditer(r"[^。\n]+。?", text)):
        if not m.group(0).strip():
            continue
        section = section_at(m.start())
        sentence = dict(
            sentence_id=f"{doc_id}-p{n}", doc_id=doc_id, section_id=section and section["section_id"],
            text=m.group(0), char_start=m.start(), char_end=m.end(), line_no=line_no(m.start()),
        )
        rows["sentences"].append(sentence)
        for k, q in enumerate(_QUANTITY_RE.finditer(m.group(0))):
            start, end = m.start() + q.start(), m.start() + q.end()
            masked = not q.group(1)[0].isdigit()
            value = None if masked else float(q.group(1))
            task = task_at(start)
            rows["indicators"].append(dict(
                indicator_id=f"{sentence['sentence_id']}-i{k}", doc_id=doc_id,
                section_id=section and section["section_id"], task_id=task and task["task_id"],
                subject=m.group(0)[max(0, q.start() - 4):q.start()] or None, quantity_text=q.group(0),
                char_start=start, char_end=end, sentence_text=m.group(0), value=value, value_low=value,
                value_high=value, unit=q.group(2), qualifier="exact", is_masked=masked, comparison="none",
                direction=None, status="actual", period_year=None, line_no=line_no(start),
            ))
    return rows


def _real_extract(path: Path, rel: str, sha: str) -> list[tuple[dict, dict[str, list[dict]]]] | None:
    try:
        import extractors
    except Exception:  # the extractors are still being written: fall back to the stand-in
        return None
    out = []
    for source in extractors.read_file(path):
        extraction = extractors.extract(source, rel, sha)
        document = dataclasses.asdict(extraction.document)
        tables = {
            "sections": [dataclasses.asdict(r) for r in extraction.sections],
            "sentences": [dataclasses.asdict(r) for r in extraction.sentences],
            "tasks": [dataclasses.asdict(r) for r in extraction.tasks],
            "indicators": [dataclasses.asdict(r) for r in extraction.indicators],
            "anomalies": [dataclasses.asdict(r) for r in extraction.anomalies],
        }
        out.append((document, tables))
    return out


def extract_file(path: Path, rel: str, *, use_extractors: bool = True) -> list[tuple[dict, dict[str, list[dict]]]]:
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    if use_extractors:
        real = _real_extract(path, rel, sha)
        if real is not None:
            return real
    text = data.decode("utf-8", errors="replace")
    doc_id = sha[:20]
    document = dict(
        doc_id=doc_id, content_sha256=sha, source_path=rel, source_format="txt", encoding="utf-8",
        record_key=None, text=text, char_count=len(text), title=None, department=None, region=None,
        report_year=2024, report_period="H1",
    )
    return [(document, _toy_extract(text, doc_id))]


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    if not rows:
        return
    columns = [c for c, _ in RAW_TABLES[table]]
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" for _ in columns)
    con.executemany(
        f"insert into raw.{table} ({names}) values ({marks})",
        [[row.get(c) for c in columns] for row in rows],
    )


def load_inbox(db: Path, inbox: Path, run_id: str, *, started: datetime, use_extractors: bool = True) -> dict[str, int]:
    """Bring raw in db up to date with the files in inbox; return counts of what changed."""
    con = duckdb.connect(str(db))
    try:
        for statement in ddl():
            con.execute(statement)
        known = dict(con.execute(
            "select source_path, any_value(content_sha256) from raw.documents where is_current group by 1"
        ).fetchall())
        files = {p.relative_to(inbox).as_posix(): p for p in sorted(inbox.rglob("*")) if p.is_file()}
        loaded = removed = 0
        for n, (rel, path) in enumerate(files.items()):
            sha = hashlib.sha256(path.read_bytes()).hexdigest()
            if known.get(rel) == sha:
                continue
            con.execute("begin")
            old = [r[0] for r in con.execute("select doc_id from raw.documents where source_path = ?", [rel]).fetchall()]
            extracted = extract_file(path, rel, use_extractors=use_extractors)
            doomed = old + [doc["doc_id"] for doc, _ in extracted]
            for table in RAW_TABLES:
                con.execute(f"delete from raw.{table} where doc_id in (select unnest(?::varchar[]))", [doomed])
            for doc, tables in extracted:
                ingested = started + timedelta(milliseconds=n)
                _insert(con, "documents", [{**doc, "ingested_at": ingested, "run_id": run_id, "is_current": True}])
                for table, rows in tables.items():
                    _insert(con, table, [{**row, "run_id": run_id} for row in rows])
            con.execute("commit")
            loaded += 1
        for rel in set(known) - set(files):
            con.execute("update raw.documents set is_current = false where source_path = ?", [rel])
            removed += 1
        con.execute("checkpoint")
        return {"loaded": loaded, "removed": removed}
    finally:
        con.close()
