"""Corpus files: `.jsonl`, `.csv`, `.parquet`, one document per record.

Each record needs a `text` field; `id`, `title`, `region`, `department`, `year`, `period` are
optional and fill the document's attributes. The record key is the `id` when given, else the
record's 1-based position (line for JSONL, row for CSV/Parquet), so it is stable for the same bytes.
"""
from __future__ import annotations

import io
import json
import math
import pathlib
import re
from collections.abc import Iterable, Mapping
from typing import Any

from extractors.decode import decode_bytes
from extractors.formats.errors import BadCorpusError, CorruptFileError, FileTooLargeError
from extractors.records import SourceDocument
from extractors.structure import period_from_text

MAX_RECORDS = 200_000

_PERIOD_CODES = re.compile(r"^(H1|H2|FY|Q[1-4]|M\d{2}(-M\d{2})?)$")


def read_file(path: pathlib.Path) -> list[SourceDocument]:
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        text, encoding = decode_bytes(path.read_bytes())
        records = _jsonl_records(text)
    elif suffix == ".csv":
        text, encoding = decode_bytes(path.read_bytes())
        records = _csv_records(text)
    else:
        encoding = None
        records = _parquet_records(path)
    fmt = suffix.lstrip(".")
    documents: list[SourceDocument] = []
    seen_keys: set[str] = set()
    for position, record in records:
        if len(documents) >= MAX_RECORDS:
            raise FileTooLargeError(
                f"The corpus has more than {MAX_RECORDS:,} records; split it into smaller files."
            )
        documents.append(_document(record, position, fmt, encoding, seen_keys))
    if not documents:
        raise BadCorpusError(
            f"The {fmt} corpus holds no record with text; each record needs a non-empty `text` field."
        )
    return documents


def _document(record: Mapping[str, Any], position: int, fmt: str, encoding: str | None,
              seen_keys: set[str]) -> SourceDocument:
    if "text" not in record:
        raise BadCorpusError(
            f"Record {position} of the {fmt} corpus has no `text` field (fields: "
            f"{', '.join(map(str, record)) or 'none'}); every record needs its report text in `text`."
        )
    text = record["text"]
    if not isinstance(text, str) or not text.strip():
        raise BadCorpusError(
            f"Record {position} of the {fmt} corpus has an empty or non-text `text` field; "
            "remove the record or fill in its report text."
        )
    key = _clean(record.get("id")) or str(position)
    if key in seen_keys:
        raise BadCorpusError(
            f"Record {position} of the {fmt} corpus repeats the id {key!r}; ids must be unique within a file."
        )
    seen_keys.add(key)
    return SourceDocument(
        text=text,
        source_format=fmt,
        encoding=encoding,
        record_key=key,
        title=_clean(record.get("title")),
        region=_clean(record.get("region")),
        department=_clean(record.get("department")),
        year=_year(record.get("year")),
        period=_period(record.get("period")),
    )


def _jsonl_records(text: str) -> Iterable[tuple[int, Mapping[str, Any]]]:
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise BadCorpusError(
                f"Line {line_no} of the JSONL corpus is not valid JSON ({exc.msg}); fix or remove that line."
            ) from None
        if not isinstance(record, dict):
            raise BadCorpusError(
                f"Line {line_no} of the JSONL corpus is not a JSON object; each line must be one object with `text`."
            )
        yield line_no, record


def _csv_records(text: str) -> Iterable[tuple[int, Mapping[str, Any]]]:
    import pandas as pd

    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeError) as exc:
        raise BadCorpusError(f"The CSV corpus cannot be parsed ({exc}); check its quoting and columns.") from None
    _require_text_column(list(frame.columns), "CSV")
    for row_no, record in enumerate(frame.to_dict(orient="records"), start=1):
        yield row_no, record


def _parquet_records(path: pathlib.Path) -> Iterable[tuple[int, Mapping[str, Any]]]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as exc:
        raise CorruptFileError(
            f"The Parquet file cannot be opened ({exc}); it is truncated or not Parquet. Export it again."
        ) from None
    if parquet.metadata.num_rows > MAX_RECORDS:
        raise FileTooLargeError(
            f"The Parquet corpus has {parquet.metadata.num_rows:,} rows, more than {MAX_RECORDS:,}; split it."
        )
    names = parquet.schema_arrow.names
    _require_text_column(names, "Parquet")
    wanted = [c for c in ("text", "id", "title", "region", "department", "year", "period") if c in names]
    row_no = 0
    try:
        for batch in parquet.iter_batches(columns=wanted, batch_size=1024):
            for record in batch.to_pylist():
                row_no += 1
                yield row_no, record
    except (pa.ArrowException, OSError) as exc:
        raise CorruptFileError(f"The Parquet file is damaged after row {row_no} ({exc}); export it again.") from None


def _require_text_column(columns: list[str], fmt: str) -> None:
    if "text" not in columns:
        raise BadCorpusError(
            f"The {fmt} corpus has no `text` column (columns: {', '.join(map(str, columns)) or 'none'}); "
            "rename the column holding the report text to `text`."
        )


def _clean(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    return text or None


def _year(value: Any) -> int | None:
    text = _clean(value)
    if text is None:
        return None
    match = re.search(r"(19|20)\d{2}", text)
    return int(match.group()) if match else None


def _period(value: Any) -> str | None:
    text = _clean(value)
    if text is None:
        return None
    if _PERIOD_CODES.match(text.upper()):
        return text.upper()
    return period_from_text(text)
