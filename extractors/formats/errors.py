"""Why a file cannot become a document: one class per reason, each message a sentence for a person."""
from __future__ import annotations

from extractors.decode import BinaryFileError, EmptyFileError, UndecodableTextError
from extractors.records import ExtractionError

__all__ = [
    "BinaryFileError", "ControlCharactersError", "CorruptFileError", "EmptyFileError", "FileTooLargeError",
    "LegacyFormatError", "NotRunningTextError", "ScannedPdfError", "UndecodableTextError",
    "UnsupportedFormatError", "ZipBombError", "BadCorpusError", "EncryptedFileError", "ProcessingBudgetError",
]


class UnsupportedFormatError(ExtractionError):
    """An extension the warehouse does not read."""


class LegacyFormatError(ExtractionError):
    """A legacy binary Office file (.doc) that must be re-saved in a modern format."""


class CorruptFileError(ExtractionError):
    """A .docx/.pdf/.parquet that is truncated or damaged."""


class EncryptedFileError(ExtractionError):
    """A password-protected document."""


class ZipBombError(ExtractionError):
    """A .docx whose unpacked size is absurd for a report."""


class FileTooLargeError(ExtractionError):
    """More bytes, pages or characters than any report has; refused to bound time and memory."""


class ProcessingBudgetError(FileTooLargeError):
    """A file within the size limits whose reading would exceed the per-file time or text budget
    (e.g. a PDF page made of millions of drawing operations)."""


class ScannedPdfError(ExtractionError):
    """A PDF without a text layer (page images)."""


class ControlCharactersError(ExtractionError):
    """Text containing control characters that no report contains."""


class NotRunningTextError(ExtractionError):
    """Text that is not prose (e.g. one enormous line without any punctuation)."""


class BadCorpusError(ExtractionError):
    """A corpus file without a usable `text` column or with a malformed record."""
