""".pdf reports with a text layer: lines in reading order, page furniture dropped, paragraphs rejoined.

A PDF has no paragraphs, only positioned lines. Per page we take pdfplumber's text lines, drop
running headers/footers (the same text in the top or bottom band of most pages) and page numbers
(`- 3 -`, `第3页 共8页`), then join a line to the next when the line runs to the right margin and
the next neither starts indented, after a paragraph gap, nor with a section marker: a sentence
wrapped by the layout, not a new paragraph. Joins insert nothing between CJK characters (a space
only between two Latin letters), so `坚持\n以人民` becomes `坚持以人民`.

A PDF without a text layer (scanned pages) is refused: it needs OCR first.
"""
from __future__ import annotations

import pathlib
import re
from collections import Counter
from dataclasses import dataclass

from extractors.formats.errors import CorruptFileError, EncryptedFileError, FileTooLargeError, ScannedPdfError
from extractors.records import SourceDocument

MAX_PAGES = 500
BAND = 0.09  # top/bottom share of the page height where running headers and footers live

_PAGE_NUMBER = re.compile(
    r"^[\s\-—–_·•]*(?:第\s*)?\d{1,4}\s*(?:页)?\s*(?:[/／]\s*\d{1,4}|(?:共|of)\s*\d{1,4}\s*页?)?[\s\-—–_·•]*$"
    r"|^[\s\-—–]*(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?[\s\-—–]*$",
    re.IGNORECASE,
)
_MARKER_START = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}、|[(（][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[.、．](?!\d)|[①-⑳]"
    r"|[一二三四五六七八九十]{1,3}是|第[一二三四五六七八九十]{1,3}[，,、])"
)


_CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # broken ToUnicode maps emit these; they are not text
_CJK_GAP = re.compile(rf"(?<=[{_CJK}]) +(?=[{_CJK}])")


@dataclass(slots=True)
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float


def read_file(path: pathlib.Path) -> list[SourceDocument]:
    with path.open("rb") as handle:
        head = handle.read(1024)
    if b"%PDF-" not in head:
        raise CorruptFileError(
            "The file has a .pdf name but is not a PDF (no %PDF header); check what it really is and give it "
            "the right extension."
        )
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    try:
        with pdfplumber.open(str(path)) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise FileTooLargeError(
                    f"The PDF has {len(pdf.pages)} pages, more than any report ({MAX_PAGES}); split it or check the file."
                )
            pages, images = [], 0
            for page in pdf.pages:
                pages.append((page.height, _page_lines(page)))
                images += len(page.images)
                page.flush_cache()  # keep memory bounded on long documents
    except PDFPasswordIncorrect:
        raise EncryptedFileError(
            "The PDF is password-protected, so its text cannot be read; export an unprotected copy and drop it in again."
        ) from None
    except (FileTooLargeError, EncryptedFileError):
        raise
    except Exception as exc:  # pdfminer raises a zoo of exceptions on damaged files
        if "password" in str(exc).lower() or "encrypt" in type(exc).__name__.lower():
            raise EncryptedFileError(
                "The PDF is encrypted, so its text cannot be read; export an unprotected copy and drop it in again."
            ) from None
        raise CorruptFileError(
            f"The PDF is truncated or damaged ({type(exc).__name__}: {exc}); export it again from the original document."
        ) from None
    if not pages:
        raise CorruptFileError("The PDF has no pages (its page tree is missing or damaged); export it again.")
    text = _assemble(pages)
    if sum(1 for ch in text if not ch.isspace()) < 10:
        what = "scanned page images" if images else "no text at all"
        raise ScannedPdfError(
            f"The PDF has {len(pages)} page(s) but no text layer ({what}), so there is nothing to read; run OCR on it "
            "or supply the report as .docx or .txt."
        )
    return [SourceDocument(text=text, source_format="pdf", encoding=None)]


def _page_lines(page) -> list[_Line]:
    lines = []
    for raw in page.extract_text_lines(layout=False, strip=True, return_chars=False):
        # Letter-spaced PDFs come out as `一 、 主 要 工 作`; a space between two CJK characters is
        # layout, never text.
        text = _CJK_GAP.sub("", _CONTROL.sub("", raw["text"]))
        if text.strip():
            lines.append(_Line(text, raw["x0"], raw["x1"], raw["top"], raw["bottom"]))
    lines.sort(key=lambda ln: (round(ln.top, 0), ln.x0))
    return lines


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.replace(" ", ""))


def _assemble(pages: list[tuple[float, list[_Line]]]) -> str:
    # Running headers/footers: text (digits ignored) in a band that recurs on at least half the pages.
    band_counts: Counter[str] = Counter()
    for height, lines in pages:
        keys = {_furniture_key(ln.text) for ln in lines if ln.top < height * BAND or ln.bottom > height * (1 - BAND)}
        band_counts.update(keys)
    repeated = {k for k, n in band_counts.items() if len(pages) >= 2 and n >= max(2, len(pages) // 2)}

    body: list[list[_Line]] = []
    for height, lines in pages:
        kept = []
        for ln in lines:
            in_band = ln.top < height * BAND or ln.bottom > height * (1 - BAND)
            if in_band and (_furniture_key(ln.text) in repeated or _PAGE_NUMBER.match(ln.text)):
                continue
            if _PAGE_NUMBER.match(ln.text) and len(ln.text.strip()) <= 12 and (ln is lines[-1] or ln is lines[0]):
                continue
            kept.append(ln)
        body.append(kept)

    all_lines = [ln for page in body for ln in page]
    if not all_lines:
        return ""
    left = min(ln.x0 for ln in all_lines)
    right = max(ln.x1 for ln in all_lines)
    char_width = _median([(ln.x1 - ln.x0) / max(len(ln.text), 1) for ln in all_lines]) or 10.0
    spacing = _median([b.top - a.top for page in body for a, b in zip(page, page[1:]) if b.top > a.top]) or 0.0

    out: list[str] = []
    previous: _Line | None = None
    previous_page = -1
    for page_no, page in enumerate(body):
        for ln in page:
            if previous is not None:
                same_page = page_no == previous_page
                gap = ln.top - previous.top if same_page else spacing
                reaches_right = previous.x1 >= right - 1.6 * char_width
                indented = ln.x0 > left + 1.2 * char_width
                paragraph_gap = spacing and gap > spacing * 1.45
                if reaches_right and not indented and not paragraph_gap and not _MARKER_START.match(ln.text):
                    out.append(_joiner(out[-1], ln.text))
                else:
                    out.append("\n")
            out.append(ln.text.strip())
            previous, previous_page = ln, page_no
    return "".join(out).strip()


def _joiner(before: str, after: str) -> str:
    a, b = before[-1:], after.lstrip()[:1]
    return " " if a.isascii() and a.isalpha() and b.isascii() and b.isalpha() else ""


def _median(values: list[float]) -> float:
    values = sorted(v for v in values if v > 0)
    return values[len(values) // 2] if values else 0.0
