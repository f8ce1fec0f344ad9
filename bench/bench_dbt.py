"""Benchmark the dbt build: a full build over a generated corpus, then an incremental build after
one changed document, and their ratio (target: incremental at least 10x faster).

Not a test. The corpus is synthesised straight into `raw` with DuckDB SQL (generate_series), with
exact offsets, repeated passages across documents and masked figures, so every dbt test runs as
it would in production:

    .venv/bin/python bench/bench_dbt.py                  # 10k documents, ~1M indicators
    .venv/bin/python bench/bench_dbt.py --documents 1000 # a quicker look

Results are printed and written as JSON under bench/results/ (git-ignored). Besides wall time it
reports the CPU time of the dbt process (steadier when other jobs share the cores), dbt's own
elapsed time (without process start-up and parsing), and dbt's fixed cost per invocation measured
on an 11-document corpus: start-up, manifest and ~110 seeds, views and tests that take the same
time at any size. REPORTS_DBT_THREADS sets dbt's threads (default 2).
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import resource
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import duckdb

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from pipeline.schema import ddl  # noqa: E402
from pipeline.transform import dbt_build  # noqa: E402

SECTIONS_PER_DOC = 5
TASKS_PER_SECTION = 4
QUANTITIES_PER_TASK = 5  # 5 x 4 x 5 = 100 indicators per document
COPIED_EVERY = 10  # every 10th document repeats the same passages (report writers copy text)

# Pieces of text in document order; offsets follow from the running sum of their lengths.
PIECES_SQL = """
create or replace temp table pieces as
with
numerals as (
    select * from (values (0, '一'), (1, '二'), (2, '三'), (3, '四'), (4, '五')) as t(n, numeral)
),
headings as (
    select * from (values
        (0, '扎实推进生态环境保护'), (1, '持续提升医疗保障水平'), (2, '全力抓好安全生产工作'),
        (3, '加快推进招商引资'), (4, '稳步发展农业农村')
    ) as t(n, heading)
),
leads as (
    select * from (values
        (0, '持续推进重点项目建设'), (1, '加强养老服务体系建设'), (2, '深化教育资助工作'),
        (3, '推进新能源产业发展'), (4, '加快交通基础设施建设'), (5, '落实财政预算管理'),
        (6, '开展文化旅游推广活动'), (7, '推进乡村振兴示范创建')
    ) as t(n, lead)
),
subjects as (
    select * from (values
        (0, ',完成投资', '万元'), (1, ',新增企业', '家'), (2, ',达标率达到', '%'),
        (3, ',改造农田', '亩'), (4, ',培训人员', '人')
    ) as t(n, subject, unit)
),
docs as (
    select d, d % {copied} = 0 as copied from generate_series(0, {documents} - 1) as t(d)
),
sections as (
    select d, copied, s from docs, generate_series(0, {sections} - 1) as t(s)
),
tasks as (
    select d, copied, s, k,
        hash(case when copied then 0 else d end, s, k) as task_seed,
    from sections, generate_series(0, {tasks} - 1) as t(k)
),
quantities as (
    select d, copied, s, k, q, task_seed,
        hash(task_seed, q) as quantity_seed,
    from tasks, generate_series(0, {quantities} - 1) as t(q)
),
all_pieces as (
    select d, s, -1 as k, 0 as part, 0 as q, 'section_marker' as kind,
        '(' || numerals.numeral || ')' as piece, null::varchar as unit, null::double as value
    from sections join numerals on sections.s % 5 = numerals.n
    union all
    select d, s, -1, 1, 0, 'section_heading', headings.heading, null, null
    from sections join headings on sections.s % 5 = headings.n
    union all
    select d, s, -1, 2, 0, 'punct', '。', null, null from sections
    union all
    select d, s, k, 0, 0, 'task_marker', numerals.numeral || '是', null, null
    from tasks join numerals on tasks.k % 5 = numerals.n
    union all
    select d, s, k, 1, 0, 'task_lead', leads.lead, null, null
    from tasks join leads on tasks.task_seed % 8 = leads.n
    union all
    select d, s, k, 2, q, 'subject', subjects.subject, null, null
    from quantities join subjects on quantities.q % 5 = subjects.n
    union all
    select d, s, k, 3, q, 'quantity',
        case when quantity_seed % 20 = 0 then 'xx' else (100 + quantity_seed % 9900)::varchar end
            || subjects.unit,
        subjects.unit,
        case when quantity_seed % 20 = 0 then null else (100 + quantity_seed % 9900)::double end
    from quantities join subjects on quantities.q % 5 = subjects.n
    union all
    select d, s, k, 4, 0, 'task_end', '。', null, null from tasks
    union all
    select d, s, 99, 0, 0, 'newline', chr(10), null, null from sections
)
select
    *,
    sum(length(piece)) over (
        partition by d order by s, k, part, q rows between unbounded preceding and current row
    ) - length(piece) as char_start,
    sum(length(piece)) over (
        partition by d order by s, k, part, q rows between unbounded preceding and current row
    ) as char_end,
from all_pieces
"""

RAW_SQL = [
    """
    create or replace temp table doc_keys as
    select d, left(md5('bench-doc-' || d), 20) as doc_id, md5('bench-bytes-' || d) as sha
    from generate_series(0, {documents} - 1) as t(d)
    """,
    """
    insert into raw.documents
    select
        doc_keys.doc_id, doc_keys.sha || doc_keys.sha, 'bench/doc_' || lpad(pieces.d::varchar, 5, '0') || '.txt',
        'txt', 'utf-8', null, string_agg(piece, '' order by s, k, part, q), sum(length(piece))::integer,
        '报告' || pieces.d, '部门' || (pieces.d % 37), '*区', 2024, 'H1',
        timestamp '2024-07-01' + to_milliseconds(pieces.d), 'bench-run-1', true
    from pieces join doc_keys using (d)
    group by pieces.d, doc_keys.doc_id, doc_keys.sha
    """,
    """
    insert into raw.sections
    with l2 as (
        select d, s,
            min(char_start) filter (where kind = 'section_marker') as char_start,
            max(char_end) filter (where kind = 'task_end') as char_end,
            any_value(piece) filter (where kind = 'section_marker') as marker,
            any_value(piece) filter (where kind = 'section_heading') as heading,
            any_value(char_start) filter (where kind = 'section_heading') as heading_start,
            any_value(char_end) filter (where kind = 'section_heading') as heading_end,
        from pieces group by d, s
    ),
    l5 as (
        select d, s, k,
            min(char_start) filter (where kind = 'task_marker') as char_start,
            max(char_end) filter (where kind = 'task_end') as char_end,
            any_value(piece) filter (where kind = 'task_marker') as marker,
            any_value(piece) filter (where kind = 'task_lead') as heading,
            any_value(char_start) filter (where kind = 'task_lead') as heading_start,
            any_value(char_end) filter (where kind = 'task_lead') as heading_end,
        from pieces where k between 0 and 98 group by d, s, k
    )
    select doc_id || '-s' || s, doc_id, null, 2, marker, s + 1, heading, heading_start, heading_end,
        case when s = 4 then 'plan' else 'achievement' end, marker, char_start, char_end, s + 1, 'bench-run-1'
    from l2 join doc_keys using (d)
    union all
    select doc_id || '-s' || s || '-' || k, doc_id, doc_id || '-s' || s, 5, marker, k + 1, heading,
        heading_start, heading_end, case when s = 4 then 'plan' else 'achievement' end,
        '(' || (s + 1) || ')/' || marker, char_start, char_end, s + 1, 'bench-run-1'
    from l5 join doc_keys using (d)
    """,
    """
    create or replace temp table task_spans as
    select d, s, k,
        min(char_start) filter (where kind = 'task_lead') as char_start,
        max(char_end) filter (where kind = 'task_end') as char_end,
        string_agg(piece, '' order by part, q) filter (where kind <> 'task_marker') as task_text,
        any_value(piece) filter (where kind = 'task_marker') as marker,
        any_value(piece) filter (where kind = 'task_lead') as lead,
    from pieces where k between 0 and 98 group by d, s, k
    """,
    """
    insert into raw.tasks
    select doc_id || '-t' || s || '-' || k, doc_id, doc_id || '-s' || s || '-' || k, marker, lead, task_text,
        char_start, char_end, case when s = 4 then 'planned' else 'completed' end, '推进', null, null,
        s + 1, 'bench-run-1'
    from task_spans join doc_keys using (d)
    """,
    """
    insert into raw.sentences
    select doc_id || '-p' || s || '-' || k, doc_id, doc_id || '-s' || s || '-' || k, task_text,
        char_start, char_end, s + 1, 'bench-run-1'
    from task_spans join doc_keys using (d)
    """,
    """
    insert into raw.indicators
    select doc_id || '-i' || pieces.s || '-' || pieces.k || '-' || pieces.q, doc_id,
        doc_id || '-s' || pieces.s || '-' || pieces.k, doc_id || '-t' || pieces.s || '-' || pieces.k,
        '指标', pieces.piece, pieces.char_start, pieces.char_end, task_spans.task_text,
        pieces.value, pieces.value, pieces.value, pieces.unit, 'exact', pieces.value is null, 'none', null,
        case when pieces.s = 4 then 'target' else 'actual' end, 2024, pieces.s + 1, 'bench-run-1'
    from pieces
    join task_spans using (d, s, k)
    join doc_keys using (d)
    where pieces.kind = 'quantity'
    """,
]

# One document changes: its file got new bytes, so a new doc_id replaces the old one, re-extracted
# by a later run. A copied document (it shares passages with a thousand others) is the hard case.
CHANGE_SQL = [
    "create or replace temp table changed as select doc_id as old_id, left(md5(doc_id || '-v2'), 20) as new_id from raw.documents where source_path = 'bench/doc_00010.txt'",
    *[
        f"""
        create or replace temp table moved_{table} as
        select * replace (
            (select new_id from changed) as doc_id,
            {extra}
            'bench-run-2' as run_id
        )
        from raw.{table} where doc_id = (select old_id from changed)
        """
        for table, extra in [
            ("documents", "now()::timestamp as ingested_at, content_sha256 || '2' as content_sha256,"),
            ("sections", "replace(section_id, (select old_id from changed), (select new_id from changed)) as section_id, replace(parent_section_id, (select old_id from changed), (select new_id from changed)) as parent_section_id,"),
            ("sentences", "replace(sentence_id, (select old_id from changed), (select new_id from changed)) as sentence_id, replace(section_id, (select old_id from changed), (select new_id from changed)) as section_id,"),
            ("tasks", "replace(task_id, (select old_id from changed), (select new_id from changed)) as task_id, replace(section_id, (select old_id from changed), (select new_id from changed)) as section_id,"),
            ("indicators", "replace(indicator_id, (select old_id from changed), (select new_id from changed)) as indicator_id, replace(section_id, (select old_id from changed), (select new_id from changed)) as section_id, replace(task_id, (select old_id from changed), (select new_id from changed)) as task_id,"),
        ]
    ],
    *[f"delete from raw.{t} where doc_id = (select old_id from changed)" for t in ("documents", "sections", "sentences", "tasks", "indicators")],
    *[f"insert into raw.{t} select * from moved_{t}" for t in ("documents", "sections", "sentences", "tasks", "indicators")],
]


def generate(db: Path, documents: int) -> dict[str, int]:
    params = dict(documents=documents, sections=SECTIONS_PER_DOC, tasks=TASKS_PER_SECTION,
                  quantities=QUANTITIES_PER_TASK, copied=COPIED_EVERY)
    with duckdb.connect(str(db)) as con:
        for statement in ddl():
            con.execute(statement)
        con.execute(PIECES_SQL.format(**params))
        for statement in RAW_SQL:
            con.execute(statement.format(**params))
        con.execute("checkpoint")
        return {t: con.execute(f"select count(*) from raw.{t}").fetchone()[0]
                for t in ("documents", "sections", "sentences", "tasks", "indicators")}


def change_one_document(db: Path) -> None:
    with duckdb.connect(str(db)) as con:
        con.execute("begin")
        for statement in CHANGE_SQL:
            con.execute(statement)
        con.execute("commit")
        con.execute("checkpoint")


def mart_counts(db: Path) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {t: con.execute(f"select count(*) from marts.{t}").fetchone()[0]
                for t in ("dim_documents", "dim_sections", "fct_tasks", "fct_indicators")}


def node_timings(db: Path) -> list[dict]:
    results = db.with_name(db.name + ".dbt") / "target" / "run_results.json"
    data = json.loads(results.read_text(encoding="utf-8"))
    rows = [{"node": r["unique_id"], "seconds": round(r["execution_time"], 3)} for r in data["results"]]
    return sorted(rows, key=lambda r: -r["seconds"])[:8]


def dbt_elapsed(db: Path) -> float:
    """dbt's own elapsed time for the nodes, without process start-up and parsing."""
    results = db.with_name(db.name + ".dbt") / "target" / "run_results.json"
    return float(json.loads(results.read_text(encoding="utf-8"))["elapsed_time"])


def timed(label: str, fn) -> dict[str, float]:
    """Wall time, CPU time of the dbt process (robust when other jobs share the cores), dbt's elapsed."""
    before = os.times()
    start = time.perf_counter()
    fn()
    wall = time.perf_counter() - start
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return_value = {"wall": round(wall, 2), "cpu": round(cpu, 2)}
    # peak RSS of any dbt process so far (ru_maxrss is a running maximum over waited-for children)
    return_value["peak_rss_mb_so_far"] = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
    return_value["dbt_elapsed"] = round(dbt_elapsed(DB_PATH[0]), 2)
    print(f"{label}: wall {wall:.2f}s, dbt cpu {cpu:.2f}s, dbt elapsed {return_value['dbt_elapsed']:.2f}s", flush=True)
    return return_value


DB_PATH: list[Path] = []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--workdir", type=Path, default=None, help="keep the build file here")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench_dbt_"))
    workdir.mkdir(parents=True, exist_ok=True)
    db = workdir / "bench.duckdb"
    for stale in (db, db.with_name(db.name + ".wal")):
        stale.unlink(missing_ok=True)

    start = time.perf_counter()
    raw_counts = generate(db, args.documents)
    generate_s = time.perf_counter() - start
    print(f"generated in {generate_s:.1f}s: {raw_counts}", flush=True)

    DB_PATH.append(db)
    full = timed("dbt build (full)", lambda: dbt_build(db, full_refresh=True))
    full_nodes = node_timings(db)
    noop = timed("dbt build (incremental, nothing changed)", lambda: dbt_build(db))
    change_one_document(db)
    incremental = timed("dbt build (incremental, one changed document)", lambda: dbt_build(db))
    incremental_nodes = node_timings(db)
    ratios = {k: round(full[k] / incremental[k], 2) for k in full if not k.startswith("peak_rss")}
    print("ratio full / incremental (target >= 10x): "
          + ", ".join(f"{k} {v:.1f}x" for k, v in ratios.items()))

    # dbt's fixed cost per invocation (start-up, manifest, ~110 nodes of seeds, views and tests),
    # whatever the data size: the same incremental build over an 11-document corpus
    floor_db = workdir / "floor.duckdb"
    for stale in (floor_db, floor_db.with_name(floor_db.name + ".wal")):
        stale.unlink(missing_ok=True)
    generate(floor_db, 11)
    DB_PATH[0] = floor_db
    dbt_build(floor_db, full_refresh=True)
    change_one_document(floor_db)
    floor = timed("dbt fixed cost (incremental, 11 documents)", lambda: dbt_build(floor_db))
    above_floor = {
        k: round((full[k] - floor[k]) / max(incremental[k] - floor[k], 0.01), 1) for k in full if not k.startswith("peak_rss")
    }
    print("ratio of the work above dbt's fixed cost, full / incremental: "
          + ", ".join(f"{k} {v:.1f}x" for k, v in above_floor.items()))
    print("slowest nodes (full):", ", ".join(f"{n['node'].split('.')[-1]} {n['seconds']}s" for n in full_nodes[:5]))
    print("slowest nodes (incremental):", ", ".join(f"{n['node'].split('.')[-1]} {n['seconds']}s" for n in incremental_nodes[:5]))

    result = {
        "finished_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "documents": args.documents,
        "raw_rows": raw_counts,
        "mart_rows": mart_counts(db),
        "generate_seconds": round(generate_s, 2),
        "full_build": full,
        "noop_incremental": noop,
        "one_change_incremental": incremental,
        "ratio": ratios,
        "dbt_fixed_cost": floor,
        "ratio_above_fixed_cost": above_floor,
        "slowest_nodes_full": full_nodes,
        "slowest_nodes_incremental": incremental_nodes,
        "load_average": os.getloadavg(),
        "machine": {"python": platform.python_version(), "duckdb": duckdb.__version__, "cpus": os.cpu_count()},
    }
    out_dir = PROJECT_ROOT / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"bench_dbt_{datetime.now(timezone.utc).strftime('%Y%m%dT%H%M%S')}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"results written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
