"""Turn a report file into typed rows: documents, sections, sentences, tasks, indicators.

A plain library (no Airflow, no DuckDB). The entry points:

    read_file(path)                -> list[SourceDocument]   one per report (many for a corpus file)
    extract(source, source_path, content_sha256) -> Extraction

Offsets are exact by construction: nothing here rewrites the text it indexes.
"""
from __future__ import annotations

import hashlib

from extractors.records import (
    Anomaly,
    Document,
    Extraction,
    ExtractionError,
    Indicator,
    Section,
    Sentence,
    SourceDocument,
    Task,
)
from extractors.formats import read_file
from extractors.structure import document_attributes, parse_sections
from extractors.sentences import split_sentences
from extractors.tasks import extract_tasks
from extractors.quantities import extract_indicators

__all__ = [
    "Anomaly", "Document", "Extraction", "ExtractionError", "Indicator", "Section", "Sentence",
    "SourceDocument", "Task", "doc_id_for", "extract", "read_file",
]


def doc_id_for(content_sha256: str, record_key: str | None) -> str:
    """Stable id: the same bytes (and, in a corpus, the same record) give the same id."""
    if record_key is None:
        return content_sha256[:20]
    return hashlib.sha256(f"{content_sha256}\x1f{record_key}".encode()).hexdigest()[:20]


def extract(source: SourceDocument, source_path: str, content_sha256: str) -> Extraction:
    doc_id = doc_id_for(content_sha256, source.record_key)
    text = source.text
    attrs = document_attributes(text)
    document = Document(
        doc_id=doc_id,
        content_sha256=content_sha256,
        source_path=source_path,
        source_format=source.source_format,
        encoding=source.encoding,
        record_key=source.record_key,
        text=text,
        char_count=len(text),
        title=source.title or attrs.title,
        department=source.department or attrs.department,
        region=source.region or attrs.region,
        report_year=source.year or attrs.year,
        report_period=source.period or attrs.period,
    )
    sections, anomalies = parse_sections(text, doc_id, source.headings)
    sentences = split_sentences(text, doc_id, sections)
    tasks = extract_tasks(text, doc_id, sections, sentences, document.report_year)
    indicators = extract_indicators(text, doc_id, sections, sentences, tasks, document.report_year)
    return Extraction(document, sections, sentences, tasks, indicators, anomalies)
