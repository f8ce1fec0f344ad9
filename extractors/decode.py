"""Bytes to text: detect the encoding a report was saved in, and refuse what is not text.

Order of trust: a byte-order mark, then strict UTF-8 (most files today), then charset-normalizer's
best guess (GB18030/GBK files from older office software). The GB family is always decoded with
GB18030, the superset, so a GBK guess never fails on a rare character. The text is returned as
decoded (only a BOM is dropped): offsets downstream index exactly this string.
"""
from __future__ import annotations

import codecs

from extractors.records import ExtractionError


class EmptyFileError(ExtractionError):
    """The file has no bytes, or only whitespace."""


class BinaryFileError(ExtractionError):
    """The bytes are not text (NUL bytes, a known binary signature)."""


class UndecodableTextError(ExtractionError):
    """No encoding we know turns the bytes into coherent text."""


_GB_FAMILY = {"gb2312", "gbk", "gb18030", "hz", "cp936"}

# Signatures of binary formats that people rename to .txt by mistake; the message names them.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (perhaps a .docx or .xlsx)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a legacy Microsoft Office file (.doc/.xls)"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x7fELF", "an executable program"),
    (b"MZ", "a Windows executable"),
)


def sniff_binary(data: bytes) -> str | None:
    """Name the binary format the bytes start with, or None."""
    for magic, name in _SIGNATURES:
        if data.startswith(magic):
            return name
    return None


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a text file's bytes; return (text, encoding name as recorded in the warehouse)."""
    if not data.strip():
        raise EmptyFileError("The file is empty (no text at all); re-export the report and drop it in again.")
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[len(codecs.BOM_UTF8):], "utf-8", "utf-8-sig")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", "utf-16")
    kind = sniff_binary(data)
    if kind is not None:
        raise BinaryFileError(
            f"The file has a text extension but its bytes are {kind}, not text; "
            "give it its proper extension or export the report as plain text."
        )
    nul = data.find(b"\x00")
    if nul != -1:
        unmarked = _utf16_without_bom(data)
        if unmarked is not None:
            return unmarked
        raise BinaryFileError(
            f"The file contains NUL bytes (first at byte {nul}), so it is binary data, not a text "
            "report; export the report again as plain text (UTF-8)."
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    return _detect(data)


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 saved without a byte-order mark: NULs in every other byte of the ASCII parts."""
    if len(data) % 2:
        return None
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text and _mostly_cjk(text):
            return text, codec
    return None


def _strict(data: bytes, codec: str, name: str) -> tuple[str, str]:
    try:
        return data.decode(codec), name
    except UnicodeDecodeError as exc:
        raise UndecodableTextError(
            f"The file starts with a {name} byte-order mark but byte {exc.start} is not valid {name}; "
            "the file is damaged or mislabelled, re-save it as UTF-8."
        ) from None


def _detect(data: bytes) -> tuple[str, str]:
    # Reports here are Simplified Chinese: bytes that are valid GB18030 and read as CJK text are
    # GB18030/GBK. charset-normalizer alone misreads short GBK texts (6 characters come out as
    # cp949 or big5), so it decides only what GB18030 cannot decode.
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is not None and _mostly_cjk(text):
        return text, "gb18030"
    from charset_normalizer import from_bytes  # imported late: it is slow to load and rarely needed

    best = from_bytes(data[:200_000]).best()  # a sample keeps detection bounded on large files
    guess = best.encoding.lower().replace("_", "") if best is not None else None
    if guess is not None and guess not in _GB_FAMILY:
        try:
            return data.decode(guess), guess
        except (UnicodeDecodeError, LookupError):
            pass
    if text is not None:
        return text, "gb18030"
    raise UndecodableTextError(
        "The file is neither UTF-8 nor GB18030/GBK and no other encoding decodes it cleanly; "
        "open it in an editor and save it as UTF-8."
    )


def _mostly_cjk(text: str) -> bool:
    letters = [ch for ch in text[:20_000] if not ch.isspace() and not ch.isascii()]
    if not letters:
        return False  # pure ASCII would have been valid UTF-8
    cjk = sum(1 for ch in letters if "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef")
    return cjk / len(letters) > 0.6
