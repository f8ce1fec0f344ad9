"""The marts are incremental by document, and a full refresh gives the same marts.

Each step changes the inbox, loads raw, runs `dbt build` incrementally on the warehouse file, then
runs a full refresh on a copy and compares every mart and BI view, row for row. Steps: first load,
reload unchanged, change one file, copy a passage into a new file, remove the file holding the
original, remove another file, and a final full refresh.
"""
from __future__ import annotations

import os
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from pipeline.transform import TransformError, dbt_build
from tests.conftest import SHARED_SAMPLES
from tests.dbt.raw_fixture import load_inbox

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SAMPLE_INBOX = PROJECT_ROOT / "examples" / "inbox"

MARTS = {
    "dim_documents": "doc_id",
    "dim_sections": "section_id",
    "fct_tasks": "task_id",
    "fct_indicators": "indicator_id",
    "dim_periods": "period_key",
    "dim_units": "unit",
    "dim_domains": "domain",
    "rpt_indicators_by_domain_period": None,
    "rpt_task_status_by_department": None,
    "rpt_masked_share_by_document": "doc_id",
}

INCREMENTAL = ("dim_documents", "dim_sections", "fct_tasks", "fct_indicators")

COPIED_PASSAGE = (
    "一是紧盯两个省考断面水质变化,及时分析研判,务实推进入河排污口排查整治,"
    "确保2024年水质优良比例达到95%,完成整治排污口12处。"
)

pytestmark = pytest.mark.timeout(900)


def snapshot(db: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(db), read_only=True) as con:
        out = {}
        for table in MARTS:
            # dbt_invocation_id says which build wrote a row: the one column allowed to differ
            columns = "* exclude (dbt_invocation_id)" if table in INCREMENTAL else "*"
            rows = con.execute(f"select {columns} from marts.{table}").fetchall()
            out[table] = sorted((tuple(_stable(v) for v in row) for row in rows), key=repr)
        return out


def _stable(value: object) -> object:
    # sums over floats depend on the order rows are added in; compare them to 9 significant digits
    return float(f"{value:.9g}") if isinstance(value, float) else value


def row_ids(db: Path, table: str, key: str) -> set[tuple]:
    """(key, rowid): a row deleted and inserted again gets a new rowid, so this shows rewrites."""
    with duckdb.connect(str(db), read_only=True) as con:
        return set(con.execute(f"select {key}, rowid from marts.{table}").fetchall())


def query(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def _pipeline_available() -> bool:
    try:
        import pipeline.discover  # noqa: F401
        import pipeline.extract  # noqa: F401
        import pipeline.load  # noqa: F401
    except Exception:
        return False
    return True


class Scenario:
    """`loader="standin"` fills raw with tests/dbt/raw_fixture.py (deterministic, no extractors);
    `loader="pipeline"` runs the real discover, extract and load steps, then dbt, then publishes
    the build file by renaming it over the warehouse (validation is not this test's concern)."""

    def __init__(self, tmp_path: Path, loader: str = "standin"):
        self.loader = loader
        self.tmp = tmp_path
        self.inbox = tmp_path / "inbox"
        self.db = tmp_path / "warehouse.duckdb"
        self.step = 0
        shutil.copytree(SAMPLE_INBOX, self.inbox)
        for sample in SHARED_SAMPLES.glob("*.txt"):
            shutil.copy(sample, self.inbox / sample.name)

    def run(self) -> dict[str, list[tuple]]:
        """Load, build incrementally, and check a full refresh of the same raw gives the same marts."""
        self.step += 1
        started = datetime(2024, 7, 1) + timedelta(hours=self.step)
        refresh = self.tmp / f"refresh{self.step}.duckdb"
        if self.loader == "pipeline":
            build = self._pipeline_load(f"run{self.step}")
            shutil.copy(build, refresh)
            dbt_build(build)
            os.replace(build, self.db)
        else:
            load_inbox(self.db, self.inbox, f"run{self.step}", started=started, use_extractors=False)
            shutil.copy(self.db, refresh)
            dbt_build(self.db)
        incremental = snapshot(self.db)
        dbt_build(refresh, full_refresh=True)
        full = snapshot(refresh)
        for table in MARTS:
            assert incremental[table] == full[table], f"step {self.step}: {table} differs from a full refresh"
        refresh.unlink()
        return incremental

    def _pipeline_load(self, run_id: str) -> Path:
        from pipeline.discover import discover
        from pipeline.extract import extract_batch
        from pipeline.load import load
        from pipeline.settings import load_settings

        settings = load_settings(inbox=self.inbox, warehouse=self.db, reports_dir=self.tmp / "reports")
        plan = discover(settings, run_id)
        for n in range(len(plan.batches)):
            extract_batch(settings, run_id, n)
        return Path(load(settings, run_id).build_path)


@pytest.mark.parametrize("loader", [
    "standin",
    pytest.param("pipeline", marks=pytest.mark.skipif(not _pipeline_available(), reason="pipeline.load not importable yet")),
])
def test_incremental_scenario(tmp_path: Path, loader: str) -> None:
    scenario = Scenario(tmp_path, loader)
    files = sorted(p.name for p in scenario.inbox.iterdir())

    # 1. first load
    first = scenario.run()
    assert len(first["dim_documents"]) == len(files)
    assert first["fct_tasks"] and first["fct_indicators"]

    # 2. reload unchanged: nothing added, nothing rewritten
    before = {t: row_ids(scenario.db, t, k) for t, k in MARTS.items() if k and t.startswith(("dim_doc", "dim_sec", "fct_"))}
    second = scenario.run()
    assert second == first
    for table, ids in before.items():
        assert row_ids(scenario.db, table, MARTS[table]) == ids, f"{table} rows were rewritten"

    # 3. change one file: its old doc_id leaves every mart, the new one comes in
    changed = scenario.inbox / files[0]
    old_doc = query(scenario.db, "select doc_id from marts.dim_documents where source_path = ?", [files[0]])[0][0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n(九)新增一段。一是完成投资3000万元。\n", encoding="utf-8")
    scenario.run()
    for table in ("dim_documents", "dim_sections", "fct_tasks", "fct_indicators"):
        assert not query(scenario.db, f"select 1 from marts.{table} where doc_id = ?", [old_doc]), table
    assert query(scenario.db, "select count(*) from marts.fct_indicators where quantity_text = '3000万元'") == [(1,)]

    # 4. a passage copied into a new file: the later copy is flagged, the original is not
    original = scenario.inbox / "zz_original.txt"
    original.write_text("(一)生态环境保护。" + COPIED_PASSAGE + "\n", encoding="utf-8")
    scenario.run()
    copy = scenario.inbox / "zz_copy.txt"
    copy.write_text("(二)污染防治攻坚。" + COPIED_PASSAGE + "二是另一项工作。\n", encoding="utf-8")
    scenario.run()
    flags = dict(query(scenario.db, """
        select d.source_path, bool_or(t.is_duplicate)
        from marts.fct_tasks t join marts.dim_documents d using (doc_id)
        where d.source_path like 'zz_%' and t.task_text like '%紧盯两个省考断面%'
        group by 1
    """))
    assert flags == {"zz_original.txt": False, "zz_copy.txt": True}
    indicator_flags = dict(query(scenario.db, """
        select d.source_path, list(i.is_duplicate order by i.char_start)
        from marts.fct_indicators i join marts.dim_documents d using (doc_id)
        where d.source_path like 'zz_%' group by 1
    """))
    assert indicator_flags["zz_original.txt"] and not any(indicator_flags["zz_original.txt"])
    assert indicator_flags["zz_copy.txt"] == [True] * len(indicator_flags["zz_original.txt"])

    # 5. remove the original: its rows stay, not current, out of the BI views; the copy is now the original
    original.unlink()
    scenario.run()
    assert query(scenario.db, """
        select bool_and(not is_current) from marts.fct_tasks t
        where doc_id in (select doc_id from marts.dim_documents where source_path = 'zz_original.txt')
    """) == [(True,)]
    assert query(scenario.db, """
        select bool_or(t.is_duplicate) from marts.fct_tasks t join marts.dim_documents d using (doc_id)
        where d.source_path = 'zz_copy.txt'
    """) == [(False,)]
    assert not query(scenario.db, """
        select 1 from marts.rpt_masked_share_by_document where source_path = 'zz_original.txt'
    """)

    # 6. remove another file
    (scenario.inbox / files[1]).unlink()
    scenario.run()
    current = query(scenario.db, "select source_path, is_current from marts.dim_documents")
    assert (files[1], False) in current

    # 7. a full refresh of the final state equals what the incremental runs built
    final = snapshot(scenario.db)
    dbt_build(scenario.db, full_refresh=True)
    assert snapshot(scenario.db) == final


def test_offset_rule_cuts_spans_across_chunks_and_flags_one_shifted_span(tmp_path: Path) -> None:
    """The offset test cuts spans out of 256-character chunks of the text: spans inside one chunk,
    across two, longer than two and ending at the text's end must pass; one shifted span must fail."""
    db = tmp_path / "spans.duckdb"
    load_inbox(db, SAMPLE_INBOX, "run1", started=datetime(2024, 7, 1), use_extractors=False)
    with duckdb.connect(str(db)) as con:
        doc_id, text = con.execute(
            "select doc_id, text from raw.documents where length(text) > 1200 order by doc_id limit 1").fetchone()
        task_ids = [r[0] for r in con.execute(
            "select task_id from raw.tasks where doc_id = ? order by task_id limit 5", [doc_id]).fetchall()]
        assert len(task_ids) == 5, "the sample document needs five work items to rewrite"
        spans = [
            (10, 20, text[10:20]),                          # inside the first chunk
            (250, 262, text[250:262]),                      # across the first two chunks
            (300, 900, text[300:900]),                      # longer than two chunks
            (len(text) - 3, len(text), text[-3:]),          # ending where the text ends
            (600, 610, text[601:611]),                      # shifted by one character: wrong
        ]
        for task_id, (start, end, span_text) in zip(task_ids, spans):
            con.execute("update raw.tasks set char_start = ?, char_end = ?, task_text = ? where task_id = ?",
                        [start, end, span_text, task_id])
    with pytest.raises(TransformError, match=r"assert_spans_match_document_text \(fail\): Got 1 result,"):
        dbt_build(db)
