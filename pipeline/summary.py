"""What a run did, in the few lines an operator reads first."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.warehouse import connect, table_exists


@dataclass
class RunSummary:
    run_id: str
    verdict: str
    published: bool
    files_seen: int
    files_loaded: int
    files_quarantined: int
    files_unchanged: int
    documents: int
    sections: int
    tasks: int
    indicators: int
    warehouse: str
    report: str
    reason: str = ""

    def lines(self) -> list[str]:
        return [
            f"run {self.run_id}: validation {self.verdict}, {'published' if self.published else 'NOT published'}",
            f"files: {self.files_seen} seen, {self.files_loaded} loaded, {self.files_quarantined} quarantined, "
            f"{self.files_unchanged} unchanged",
            f"warehouse: {self.documents} documents, {self.sections} sections, {self.tasks} tasks, "
            f"{self.indicators} indicators",
            *([f"reason: {self.reason}"] if self.reason else []),
            f"published warehouse: {self.warehouse}",
            f"quality report: {self.report}",
        ]


def _count(con, schema: str, table: str, where: str = "") -> int:
    if not table_exists(con, schema, table):
        return 0
    return con.execute(f"select count(*) from {schema}.{table} {where}").fetchone()[0]


def summarize(db: Path, run_id: str | None, *, warehouse: Path, report: Path) -> RunSummary:
    """Read a run's summary from `db` (the published file, or a failed run's build file).

    With run_id None, the latest run recorded in `db`.
    """
    with connect(db, read_only=True) as con:
        if run_id is None:
            row = con.execute("select run_id from audit.runs order by finished_at desc limit 1").fetchone()
            if row is None:
                raise LookupError(f"{db} records no run yet")
            run_id = row[0]
        run = con.execute(
            "select verdict, published, files_seen, files_loaded, files_quarantined, files_unchanged, reason "
            "from audit.runs where run_id = ?",
            [run_id],
        ).fetchone()
        if run is None:
            raise LookupError(f"{db} records no run {run_id}")
        current = "where is_current" if table_exists(con, "marts", "dim_documents") else ""
        return RunSummary(
            run_id=run_id,
            verdict=run[0],
            published=bool(run[1]),
            files_seen=run[2],
            files_loaded=run[3],
            files_quarantined=run[4],
            files_unchanged=run[5],
            documents=_count(con, "marts", "dim_documents", current),
            sections=_count(con, "marts", "dim_sections"),
            tasks=_count(con, "marts", "fct_tasks"),
            indicators=_count(con, "marts", "fct_indicators"),
            warehouse=str(warehouse),
            report=str(report),
            reason=run[6] or "",
        )
