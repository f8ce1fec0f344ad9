"""Load a run's extraction batches into the `raw` schema of a fresh build file, in one transaction.

The build file starts as a byte copy of the published warehouse (the last validated state), so the
load is idempotent: a retried or rerun load starts again from the same place.
"""
from __future__ import annotations

import dataclasses
import logging
import os
import shutil
from datetime import datetime, timezone

from pipeline.discover import EXTRACT_ACTIONS, Plan, plan_path
from pipeline.extract import batch_dir
from pipeline.schema import AUDIT_TABLES, RAW_TABLES, arrow_rows, ddl
from pipeline.settings import Settings
from pipeline.warehouse import connect

log = logging.getLogger(__name__)


@dataclasses.dataclass
class LoadResult:
    build_path: str
    documents_loaded: int
    files_removed: int


class LoadError(Exception):
    """The extraction output for this run is incomplete or unreadable."""


def fresh_build_file(settings: Settings, run_id: str):
    build = settings.build_path(run_id)
    build.parent.mkdir(parents=True, exist_ok=True)
    for stale in (build, build.with_name(build.name + ".wal")):
        stale.unlink(missing_ok=True)
    if settings.warehouse.exists():
        tmp = build.with_name(build.name + ".copy")
        shutil.copyfile(settings.warehouse, tmp)
        os.replace(tmp, build)
    return build


def load(settings: Settings, run_id: str) -> LoadResult:
    plan = Plan.load(plan_path(settings, run_id))
    batches = [batch_dir(settings, run_id, n) for n in range(len(plan.batches))]
    missing = [str(b) for b in batches if not (b / "file_ingestions.parquet").exists()]
    if missing:
        raise LoadError(f"extraction output missing for {len(missing)} batch(es), e.g. {missing[0]}; rerun extract")
    build = fresh_build_file(settings, run_id)
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    extracted_paths = [f.source_path for f in plan.files if f.action in EXTRACT_ACTIONS]

    with connect(build) as con:
        for statement in ddl():
            con.execute(statement)
        con.execute("begin transaction")
        # A rerun of this run's load (a cleared task after its publish) starts from a copy that
        # already holds this run's audit rows: replace them, never append a second set.
        con.execute("delete from audit.file_ingestions where run_id = ?", [run_id])
        con.execute("delete from audit.file_removals where run_id = ?", [run_id])
        paths = arrow_rows([("source_path", "varchar")], [[p] for p in extracted_paths])
        con.execute("create temp table run_paths as select * from paths")
        documents_loaded = 0
        if batches:
            files = [str(b / "documents.parquet") for b in batches]
            con.execute("create temp table new_docs as select doc_id from read_parquet(?)", [files])
            # Old versions of re-extracted files, and any earlier copy of the same documents, go first.
            con.execute("""
                create temp table replaced as
                select doc_id from raw.documents where source_path in (select source_path from run_paths)
                union select doc_id from new_docs
            """)
            # The same bytes extracted again keep their first ingestion time: dbt's first_seen_at, which
            # decides which copy of a repeated passage is the original.
            con.execute("""
                create temp table first_seen as
                select doc_id, min(ingested_at) as ingested_at from raw.documents
                where doc_id in (select doc_id from new_docs) group by doc_id
            """)
            for table in RAW_TABLES:
                con.execute(f"delete from raw.{table} where doc_id in (select doc_id from replaced)")
            for table, columns in RAW_TABLES.items():
                names = ", ".join(f'"{c}"' for c, _ in columns)
                parts = [str(b / f"{table}.parquet") for b in batches]
                con.execute(f"insert into raw.{table} ({names}) select {names} from read_parquet(?)", [parts])
            con.execute("""
                update raw.documents set ingested_at = first_seen.ingested_at
                from first_seen where raw.documents.doc_id = first_seen.doc_id
            """)
            documents_loaded = con.execute("select count(*) from new_docs").fetchone()[0]
            ingest = [str(b / "file_ingestions.parquet") for b in batches]
            con.execute("insert into audit.file_ingestions select * from read_parquet(?)", [ingest])
        if plan.removed:
            con.execute("update raw.documents set is_current = false where source_path in (select unnest(?))",
                        [list(plan.removed)])
            removals = arrow_rows(AUDIT_TABLES["file_removals"], [[run_id, p, now] for p in plan.removed])
            con.execute("insert into audit.file_removals select * from removals")
        recorded = [
            [run_id, f.source_path, f.content_sha256, f.size_bytes, "quarantined" if f.action == "rejected" else f.action,
             f.reason, None, None, 0, now, now]
            for f in plan.files if f.action not in EXTRACT_ACTIONS
        ]
        if recorded:
            ingestions = arrow_rows(AUDIT_TABLES["file_ingestions"], recorded)
            con.execute("insert into audit.file_ingestions select * from ingestions")
        con.execute("commit")
        con.execute("checkpoint")
    log.info("loaded %d document(s) into %s; %d removed file(s) marked not current",
             documents_loaded, build, len(plan.removed))
    return LoadResult(str(build), documents_loaded, len(plan.removed))
