"""Plain-text and Markdown reports: the whole file is one document, decoded as saved."""
from __future__ import annotations

import pathlib

from extractors.decode import decode_bytes
from extractors.records import SourceDocument


def read_file(path: pathlib.Path) -> list[SourceDocument]:
    text, encoding = decode_bytes(path.read_bytes())
    return [SourceDocument(text=text, source_format=path.suffix.lower().lstrip("."), encoding=encoding)]
