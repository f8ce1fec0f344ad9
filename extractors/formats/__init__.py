"""Format readers: one module per file format, each `read_file(path) -> list[SourceDocument]`.

`read_file` here dispatches on the suffix, refuses files larger than any report of their format
before reading them, and applies the checks every decoded text must pass (no text at all, control
characters, an absurd line without punctuation). A file that cannot become a document raises a subclass of
`ExtractionError` (see `errors.py`) whose message tells a person what the file is and what to do.
"""
from __future__ import annotations

import pathlib
import re

from extractors.formats.errors import (
    ControlCharactersError,
    EmptyFileError,
    FileTooLargeError,
    LegacyFormatError,
    NotRunningTextError,
    UnsupportedFormatError,
)
from extractors.records import SourceDocument

__all__ = ["read_file", "SUPPORTED_SUFFIXES", "check_text"]

SUPPORTED_SUFFIXES = (".txt", ".md", ".docx", ".pdf", ".html", ".htm", ".jsonl", ".csv", ".parquet")

# No report needs more; beyond this we refuse rather than risk the worker's memory. Text and HTML
# are parsed whole in memory (BeautifulSoup needs ~10x the bytes), so their limit is lower.
_MB = 1024 * 1024
MAX_FILE_BYTES = {".txt": 30 * _MB, ".md": 30 * _MB, ".html": 30 * _MB, ".htm": 30 * _MB, ".docx": 100 * _MB,
                  ".pdf": 200 * _MB, ".jsonl": 200 * _MB, ".csv": 200 * _MB, ".parquet": 200 * _MB}
# A line this long without a single sentence mark is a data dump, not prose.
MAX_LINE_WITHOUT_PUNCTUATION = 100_000

# C0/C1 controls other than tab, newline, carriage return, form feed, vertical tab.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_SENTENCE_MARK = re.compile(r"[。！？；.!?;，,]")


def read_file(path: pathlib.Path) -> list[SourceDocument]:
    """Read one inbox file into its documents (one for a report, one per record for a corpus)."""
    path = pathlib.Path(path)
    suffix = path.suffix.lower()
    size = path.stat().st_size
    limit = MAX_FILE_BYTES.get(suffix, 200 * _MB)
    if size > limit:
        raise FileTooLargeError(
            f"The file is {size / _MB:.0f} MB, far larger than any {suffix or 'such'} report "
            f"(limit {limit // _MB} MB); split it or check that it is the right file."
        )
    if suffix in (".txt", ".md"):
        from extractors.formats import txt as reader
    elif suffix == ".docx":
        from extractors.formats import docx as reader
    elif suffix == ".pdf":
        from extractors.formats import pdf as reader
    elif suffix in (".html", ".htm"):
        from extractors.formats import html as reader
    elif suffix in (".jsonl", ".csv", ".parquet"):
        from extractors.formats import corpus as reader
    elif suffix in (".doc", ".wps", ".rtf"):
        raise LegacyFormatError(
            f"This is a legacy {suffix} word-processor file, which cannot be read reliably; "
            "open it in Word, WPS or LibreOffice, save it as .docx, and drop the .docx in the inbox."
        )
    else:
        shown = suffix or "no extension"
        raise UnsupportedFormatError(
            f"Files with {shown} are not reports the warehouse reads; supported are "
            f"{', '.join(SUPPORTED_SUFFIXES)}. Convert it to one of these or remove it from the inbox."
        )
    documents = reader.read_file(path)
    return [check_text(doc) for doc in documents]


def check_text(doc: SourceDocument) -> SourceDocument:
    """Refuse decoded text no report contains; otherwise return the document unchanged."""
    where = f" (record {doc.record_key})" if doc.record_key is not None else ""
    text = doc.text
    if not text.strip():
        raise EmptyFileError(
            f"The {doc.source_format} file{where} holds no text at all (an empty document, or only images or "
            "drawings); check that it is the right file and export the report again."
        )
    bad = _CONTROL.search(text)
    if bad is not None:
        count = len(_CONTROL.findall(text))
        line = text.count("\n", 0, bad.start()) + 1
        raise ControlCharactersError(
            f"The text{where} contains {count} control character(s) such as U+{ord(bad.group()):04X} "
            f"(first on line {line}), which no report contains: the file is damaged or not text. "
            "Re-export the report as plain text."
        )
    start = 0
    while start <= len(text):
        end = text.find("\n", start)
        if end == -1:
            end = len(text)
        if end - start > MAX_LINE_WITHOUT_PUNCTUATION and not _SENTENCE_MARK.search(text, start, end):
            line = text.count("\n", 0, start) + 1
            raise NotRunningTextError(
                f"Line {line}{where} is {end - start:,} characters long without a single punctuation mark, "
                "so it is not a report's running text (perhaps a data dump or a broken export); "
                "check the file and re-export it."
            )
        start = end + 1
    if len(text) > 50_000_000:
        raise FileTooLargeError(f"The text{where} has {len(text):,} characters, far more than any report.")
    return doc
