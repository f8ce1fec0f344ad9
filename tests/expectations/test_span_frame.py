"""The span check of the quantities' frame cuts text out of 256-character chunks: it must agree
with plain string slicing wherever a span lies (one chunk, two, longer, at the end, off by one)."""
from __future__ import annotations

import random

import duckdb

from expectations import ALL_CHECKS


def test_span_flag_agrees_with_slicing_the_text() -> None:
    rng = random.Random(7)
    text = "".join(rng.choice("资助资金万元参保率不低于，。xx\n1972.95%") for _ in range(1300))
    spans = [(10, 20), (250, 262), (255, 257), (300, 900), (511, 513), (1297, 1300), (0, 1300), (1290, 1301)]
    rows = []
    for n, (start, end) in enumerate(spans):
        rows.append((f"right-{n}", start, end, text[start:end]))
        rows.append((f"shifted-{n}", start, end, text[start + 1:end + 1]))
    check = next(c for c in ALL_CHECKS if c.name == "fct_indicators")
    columns = ", ".join(f"null::varchar as {c}" for c in check.requires["marts.fct_indicators"]
                        if c not in ("indicator_id", "doc_id", "quantity_text", "char_start", "char_end"))

    with duckdb.connect() as con:
        con.execute("create schema raw; create schema marts")
        con.execute("create table raw.documents as select 'd1' as doc_id, ?::varchar as text", [text])
        con.execute("create table marts.dim_documents as select 'd1' as doc_id, 1300 as char_count")
        con.execute("create table spans (indicator_id varchar, char_start int, char_end int, quantity_text varchar)")
        con.executemany("insert into spans values (?, ?, ?, ?)", rows)
        con.execute(f"create table marts.fct_indicators as select *, 'd1' as doc_id, {columns} from spans")
        con.execute("alter table marts.fct_indicators alter value type double")
        flags = dict(con.execute(f"select indicator_id, span_matches_text from ({check.select_sql})").fetchall())

    expected = {key: text[start:end] == span_text for key, start, end, span_text in rows}
    assert flags == expected
    assert expected == {key: key.startswith("right") for key in expected}  # the cases are what they say
