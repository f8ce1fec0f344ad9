"""A small, internally consistent build file: raw, marts and audit tables as the contract lays out.

Stands in for `dbt build` output in the gate's tests and benchmark, so they exercise the suites on
known-good data and then on planted bad rows. Generated in DuckDB SQL (not Python loops) so the
benchmark's million indicator rows take seconds.

Every document is a heading line and `sentences` copies of one sentence; each sentence is a task
holding three indicators (an amount, a percent, a masked count). Offsets follow by arithmetic, so
every span satisfies the contract's offset rule by construction.
"""
from __future__ import annotations

from pathlib import Path

import duckdb

from pipeline.schema import ddl

RUN_ID = "test-run"
HEADING = "一、主要工作成效\n"
SENTENCE = "全年完成投资1972.95万元，覆盖率达98%，新增企业xx家。\n"
# (quantity_text, value, unit, value_base, unit_base, measure_kind, is_masked, comparison)
QUANTITIES = (
    ("1972.95万元", 1972.95, "万元", 19729500.0, "元", "currency", False, "none"),
    ("98%", 98.0, "%", 98.0, "%", "percent", False, "share"),
    ("xx家", None, "家", None, "家", "count", True, "none"),
)
DEPARTMENTS = ("发展改革委", "财政局", "教育局")
DOMAINS = ("财政", "教育", "交通")
TASK_STATUSES = ("completed", "in_progress", "planned")
UNITS = (("元", "元", 1.0, "currency"), ("万元", "元", 1e4, "currency"), ("%", "%", 1.0, "percent"),
         ("家", "家", 1.0, "count"))

MARTS_DDL = (
    "create schema if not exists marts",
    "create schema if not exists staging",
    """create table marts.dim_documents (doc_id varchar, source_path varchar, source_format varchar,
        encoding varchar, title varchar, department varchar, region varchar, report_year integer,
        report_period varchar, char_count integer, section_count integer, task_count integer,
        indicator_count integer, content_sha256 varchar, first_seen_at timestamp, is_current boolean)""",
    """create table marts.dim_sections (section_id varchar, doc_id varchar, parent_section_id varchar,
        level integer, marker varchar, ordinal integer, heading varchar, heading_start integer,
        heading_end integer, section_kind varchar, path varchar, char_start integer, char_end integer,
        line_no integer)""",
    """create table marts.fct_tasks (task_id varchar, doc_id varchar, section_id varchar, marker varchar,
        lead varchar, task_text varchar, char_start integer, char_end integer, status varchar,
        action_verb varchar, deadline_text varchar, deadline_date date, domain varchar,
        indicator_count integer, is_duplicate boolean)""",
    """create table marts.fct_indicators (indicator_id varchar, doc_id varchar, section_id varchar,
        task_id varchar, subject varchar, quantity_text varchar, char_start integer, char_end integer,
        sentence_text varchar, value double, value_low double, value_high double, unit varchar,
        value_base double, unit_base varchar, measure_kind varchar, qualifier varchar, is_masked boolean,
        comparison varchar, direction varchar, status varchar, period_year integer, is_duplicate boolean)""",
    "create table marts.dim_units (unit varchar, unit_base varchar, factor double, measure_kind varchar)",
    "create table marts.dim_domains (domain varchar, domain_code varchar)",
)


def _list(values: tuple) -> str:
    return "[" + ", ".join("NULL" if v is None else repr(v) if isinstance(v, str) else str(v).lower()
                           if isinstance(v, bool) else str(v) for v in values) + "]"


def build_warehouse(path: Path, *, documents: int = 3, sentences: int = 4, run_id: str = RUN_ID) -> Path:
    """Write a build file at `path` with `documents` × `sentences` tasks and 3× as many indicators."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = HEADING + SENTENCE * sentences
    sentence_len, heading_len = len(SENTENCE), len(HEADING)
    offsets = tuple(SENTENCE.index(q[0]) for q in QUANTITIES)
    with duckdb.connect(str(path)) as con:
        for statement in (*ddl(), *MARTS_DDL):
            con.execute(statement)
        con.execute("insert into marts.dim_units values " + ", ".join(
            f"('{u}', '{b}', {f}, '{k}')" for u, b, f, k in UNITS))
        con.execute("insert into marts.dim_domains values " + ", ".join(
            f"('{d}', 'D{i}')" for i, d in enumerate(DOMAINS)))
        con.execute("create table staging.units as select * from marts.dim_units")
        con.execute(f"""
            create temp table docs as
            select i, 'doc' || lpad(cast(i as varchar), 6, '0') as doc_id,
                   'inbox/report_' || i || '.txt' as source_path,
                   {_list(DEPARTMENTS)}[1 + i % {len(DEPARTMENTS)}] as department,
                   2024 - i % 2 as report_year, ['H1', 'FY'][1 + i % 2] as report_period
            from range({documents}) as r(i)""")
        con.execute(f"""
            insert into raw.documents by name
            select doc_id, sha256(doc_id) as content_sha256, source_path, 'txt' as source_format,
                   'utf-8' as encoding, null as record_key, ? as text, {len(text)} as char_count,
                   '第' || i || '号工作报告' as title, department, '某县' as region, report_year,
                   report_period, timestamp '2025-01-01' as ingested_at, ? as run_id, true as is_current
            from docs""", [text, run_id])
        con.execute(f"""
            insert into raw.sections by name
            select doc_id || '-s1' as section_id, doc_id, null as parent_section_id, 1 as level,
                   '一、' as marker, 1 as ordinal, '主要工作成效' as heading, 2 as heading_start,
                   {heading_len - 1} as heading_end, 'achievement' as section_kind, '一' as path,
                   0 as char_start, {len(text)} as char_end, 1 as line_no, ? as run_id
            from docs""", [run_id])
        con.execute(f"""
            create temp table sentences as
            select d.*, s, {heading_len} + s * {sentence_len} as start
            from docs as d, range({sentences}) as r(s)""")
        con.execute(f"""
            insert into raw.tasks by name
            select doc_id || '-t' || s as task_id, doc_id, doc_id || '-s1' as section_id, null as marker,
                   '完成投资' as lead, ? as task_text, start as char_start,
                   start + {sentence_len - 1} as char_end,
                   {_list(TASK_STATUSES)}[1 + (i + s) % {len(TASK_STATUSES)}] as status,
                   '完成' as action_verb, '年底前' as deadline_text,
                   make_date(report_year, 12, 31) as deadline_date, 2 + s as line_no, ? as run_id
            from sentences""", [SENTENCE.rstrip("\n"), run_id])
        con.execute(f"""
            create temp table quantities as
            select * from (values {", ".join(
                f"({k}, {q[0]!r}, {'NULL' if q[1] is None else q[1]}, {q[2]!r}, "
                f"{'NULL' if q[3] is None else q[3]}, {q[4]!r}, {q[5]!r}, {str(q[6]).lower()}, {q[7]!r}, {offsets[k]})"
                for k, q in enumerate(QUANTITIES))})
            as q(k, quantity_text, value, unit, value_base, unit_base, measure_kind, is_masked, comparison, offset_in)""")
        con.execute(f"""
            insert into raw.indicators by name
            select doc_id || '-t' || s || '-i' || k as indicator_id, doc_id, doc_id || '-s1' as section_id,
                   doc_id || '-t' || s as task_id, '投资' as subject, quantity_text,
                   start + offset_in as char_start, start + offset_in + length(quantity_text) as char_end,
                   ? as sentence_text, value, null as value_low, null as value_high, unit,
                   case when is_masked then 'approx' else 'exact' end as qualifier, is_masked, comparison,
                   null as direction, 'actual' as status, report_year as period_year, 2 + s as line_no,
                   ? as run_id
            from sentences, quantities""", [SENTENCE.rstrip("\n"), run_id])
        # The marts, as dbt would build them from raw.
        con.execute("""
            insert into marts.dim_documents
            select d.doc_id, d.source_path, d.source_format, d.encoding, d.title, d.department, d.region,
                   d.report_year, d.report_period, d.char_count,
                   (select count(*) from raw.sections as s where s.doc_id = d.doc_id),
                   (select count(*) from raw.tasks as t where t.doc_id = d.doc_id),
                   (select count(*) from raw.indicators as x where x.doc_id = d.doc_id),
                   d.content_sha256, d.ingested_at, d.is_current
            from raw.documents as d""")
        con.execute("""
            insert into marts.dim_sections
            select section_id, doc_id, parent_section_id, level, marker, ordinal, heading, heading_start,
                   heading_end, section_kind, path, char_start, char_end, line_no from raw.sections""")
        con.execute(f"""
            insert into marts.fct_tasks
            select t.task_id, t.doc_id, t.section_id, t.marker, t.lead, t.task_text, t.char_start, t.char_end,
                   t.status, t.action_verb, t.deadline_text, t.deadline_date,
                   {_list(DOMAINS)}[1 + (hash(t.task_id) % {len(DOMAINS)})::integer] as domain,
                   3 as indicator_count, false as is_duplicate
            from raw.tasks as t""")
        con.execute("""
            insert into marts.fct_indicators
            select i.indicator_id, i.doc_id, i.section_id, i.task_id, i.subject, i.quantity_text, i.char_start,
                   i.char_end, i.sentence_text, i.value, i.value_low, i.value_high, i.unit,
                   i.value * u.factor as value_base, u.unit_base, u.measure_kind, i.qualifier, i.is_masked,
                   i.comparison, i.direction, i.status, i.period_year, false as is_duplicate
            from raw.indicators as i left join marts.dim_units as u on u.unit = i.unit""")
        con.execute("""
            insert into audit.file_ingestions by name
            select ? as run_id, source_path, content_sha256, 1000 as size_bytes, 'loaded' as status,
                   'read as one document' as reason, 'txt' as detected_format, 'utf-8' as encoding,
                   1 as documents, timestamp '2025-01-01' as started_at, timestamp '2025-01-01' as finished_at
            from raw.documents""", [run_id])
        con.execute("""
            insert into audit.file_ingestions (run_id, source_path, status, reason, documents)
            values (?, 'inbox/broken.pdf', 'quarantined', 'The PDF is encrypted and cannot be read.', 0)""",
                    [run_id])
        con.execute("checkpoint")
    return path


def add_document(path: Path, *, run_id: str, copy_of: str = "doc000000", suffix: str = "-new",
                 keep_ids: tuple[str, ...] = ()) -> str:
    """Land one more document in `path` as run `run_id` would: a copy of `copy_of`'s rows in raw and
    marts with every id (and source_path) suffixed, except the id columns in `keep_ids`.

    Returns the new doc_id. How the tests and bench/bench_validate.py model "one new file".
    """
    with duckdb.connect(str(path)) as con:
        tables = con.execute("""
            select table_schema, table_name from information_schema.columns
            where table_schema in ('raw', 'marts') and column_name = 'doc_id' and table_name not like 'stg%'
            group by all order by all""").fetchall()
        for schema, table in tables:
            columns = con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = ? and table_name = ? order by ordinal_position", [schema, table]).fetchall()
            exprs = []
            for name, data_type in columns:
                if name == "run_id":
                    exprs.append(f"'{run_id}' as run_id")
                elif (data_type == "VARCHAR" and name not in keep_ids
                      and (name.endswith("_id") or name == "source_path")):
                    exprs.append(f"{name} || '{suffix}' as {name}")
                else:
                    exprs.append(name)
            con.execute(f"insert into {schema}.{table} select {', '.join(exprs)} "
                        f"from {schema}.{table} where doc_id = ?", [copy_of])
        con.execute("checkpoint")
    return copy_of + suffix
