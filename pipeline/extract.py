"""Extract one batch of inbox files into Parquet files in the run's staging area.

Batches run in parallel (Airflow maps this over the plan's batches); none of them touches DuckDB,
so they never contend for its single-writer lock. A file that cannot be read is copied to the
quarantine folder and recorded with its reason; the rest of the batch goes on.
"""
from __future__ import annotations

import dataclasses
import logging
import os
import shutil
import time
from datetime import datetime, timezone
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

import extractors
from pipeline.discover import Plan, plan_path
from pipeline.schema import AUDIT_TABLES, RAW_TABLES, arrow_schema
from pipeline.settings import Settings, safe_run_id

log = logging.getLogger(__name__)


@dataclasses.dataclass
class BatchResult:
    batch_no: int
    files: int
    loaded: int
    quarantined: int
    documents: int


def batch_dir(settings: Settings, run_id: str, batch_no: int) -> Path:
    return settings.run_dir(run_id) / "batches" / f"{batch_no:05d}"


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _quarantine(settings: Settings, run_id: str, path: Path, rel: str) -> None:
    target = settings.quarantine_dir / safe_run_id(run_id) / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, target)  # copied, never moved: the inbox stays the source of truth


def _as_row(record: object, **extra: object) -> dict:
    # Records are flat, so a shallow read of their fields is enough; dataclasses.asdict deep-copies
    # every value and cost a quarter of the extract stage.
    row = {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}
    row.update(extra)
    return row


def _rows(extraction: extractors.Extraction, run_id: str, ingested_at: datetime) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {
        "documents": [_as_row(extraction.document, ingested_at=ingested_at, run_id=run_id, is_current=True)],
    }
    for table, records in (
        ("sections", extraction.sections),
        ("sentences", extraction.sentences),
        ("tasks", extraction.tasks),
        ("indicators", extraction.indicators),
        ("anomalies", extraction.anomalies),
    ):
        out[table] = [_as_row(r, run_id=run_id) for r in records]
    return out


def extract_file(path: Path, rel: str, sha: str, run_id: str) -> tuple[list[extractors.Extraction], str | None, str | None]:
    """(extractions, detected format, encoding) for one file; raises ExtractionError on bad input."""
    sources = extractors.read_file(path)
    extractions = [extractors.extract(s, rel, sha) for s in sources]
    fmt = sources[0].source_format if sources else path.suffix.lstrip(".").lower() or None
    enc = sources[0].encoding if sources else None
    return extractions, fmt, enc


def extract_batch(settings: Settings, run_id: str, batch_no: int) -> BatchResult:
    plan = Plan.load(plan_path(settings, run_id))
    by_path = {f.source_path: f for f in plan.files}
    rels = plan.batches[batch_no]
    tables: dict[str, list[dict]] = {t: [] for t in RAW_TABLES}
    ingestions: list[dict] = []
    loaded = quarantined = documents = 0

    for rel in rels:
        candidate = by_path[rel]
        path = settings.inbox / rel
        started = _now()
        t0 = time.perf_counter()
        status, reason, fmt, enc, n_docs = "loaded", "", None, None, 0
        try:
            extractions, fmt, enc = extract_file(path, rel, candidate.content_sha256 or "", run_id)
            if not extractions:
                raise extractors.ExtractionError("the file holds no document (a corpus with no records)")
            for extraction in extractions:
                for table, rows in _rows(extraction, run_id, started).items():
                    tables[table].extend(rows)
            n_docs = len(extractions)
            reason = f"{n_docs} document(s) extracted"
            loaded += 1
            documents += n_docs
        except extractors.ExtractionError as exc:
            status, reason = "quarantined", str(exc)
        except Exception as exc:  # an extractor bug must not lose the rest of the batch
            log.exception("%s: unexpected extractor failure", rel)
            status, reason = "quarantined", f"the extractor failed on this file ({type(exc).__name__}: {exc}); please report it"
        if status == "quarantined":
            quarantined += 1
            _quarantine(settings, run_id, path, rel)
        ingestions.append(dict(
            run_id=run_id, source_path=rel, content_sha256=candidate.content_sha256,
            size_bytes=candidate.size_bytes, status=status, reason=reason, detected_format=fmt,
            encoding=enc, documents=n_docs, started_at=started, finished_at=_now(),
        ))
        log.info("%s: %s in %.2fs: %s", rel, status, time.perf_counter() - t0, reason)

    _write_batch(batch_dir(settings, run_id, batch_no), tables, ingestions)
    return BatchResult(batch_no, len(rels), loaded, quarantined, documents)


def _write_batch(target: Path, tables: dict[str, list[dict]], ingestions: list[dict]) -> None:
    """Write into a temporary folder, then rename: a rerun or a killed task leaves no half batch."""
    tmp = target.with_name(target.name + f".tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for table, rows in tables.items():
        schema = arrow_schema(RAW_TABLES[table])
        pq.write_table(pa.Table.from_pylist(rows, schema=schema), tmp / f"{table}.parquet")
    pq.write_table(
        pa.Table.from_pylist(ingestions, schema=arrow_schema(AUDIT_TABLES["file_ingestions"])),
        tmp / "file_ingestions.parquet",
    )
    shutil.rmtree(target, ignore_errors=True)
    os.replace(tmp, target)
