""".pdf reports with a text layer: lines in reading order, page furniture dropped, paragraphs rejoined.

A PDF has no paragraphs, only positioned lines. Per page we take pdfplumber's text lines, drop
running headers/footers (the same text in the top or bottom band of most pages) and page numbers
(`- 3 -`, `第3页 共8页`), then join a line to the next when the line runs to the right margin and
the next neither starts indented, after a paragraph gap, nor with a section marker: a sentence
wrapped by the layout, not a new paragraph. Joins insert nothing between CJK characters (a space
only between two Latin letters), so `坚持\n以人民` becomes `坚持以人民`.

Two-column pages are read column by column: when many lines of a page break at the same x
position (a gutter that only full-width lines such as a title cross), each such line is split
there, and every band between full-width lines is read left column first, then right column, with
the join rule applied against each column's own margins.

A PDF without a text layer (scanned pages) is refused: it needs OCR first. Reading is bounded per
file in pages (MAX_PAGES), in drawing instructions per page (MAX_PAGE_CONTENT_BYTES, checked before
the page is parsed), in characters (MAX_CHARS) and in time (TIME_BUDGET_SECONDS, checked page by
page); beyond any of them the file is refused with a reason that says which.
"""
from __future__ import annotations

import pathlib
import re
import time
from collections import Counter
from dataclasses import dataclass

from extractors.formats.errors import (
    CorruptFileError,
    EncryptedFileError,
    FileTooLargeError,
    ProcessingBudgetError,
    ScannedPdfError,
)
from extractors.records import SourceDocument

MAX_PAGES = 500
MAX_CHARS = 3_000_000  # ~2000 dense pages; a report has far fewer
MAX_PAGE_CONTENT_BYTES = 8 * 1024 * 1024  # a text page's content stream is kilobytes, a chart's a few MB
TIME_BUDGET_SECONDS = 120.0
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
    left: float | None = None  # margins of the line's column on a multi-column page
    right: float | None = None


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

    deadline = time.monotonic() + TIME_BUDGET_SECONDS
    try:
        with pdfplumber.open(str(path)) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise FileTooLargeError(
                    f"The PDF has {len(pdf.pages)} pages, more than any report ({MAX_PAGES}); split it or check the file."
                )
            pages, images, chars = [], 0, 0
            for number, page in enumerate(pdf.pages, start=1):
                content = _content_bytes(page)
                if content > MAX_PAGE_CONTENT_BYTES:
                    raise ProcessingBudgetError(
                        f"Page {number} of the PDF holds {content / 1_048_576:.0f} MB of drawing instructions "
                        f"(limit {MAX_PAGE_CONTENT_BYTES // 1_048_576} MB per page), far more than a page of text; "
                        "it was not read. Export the report's text again (e.g. as .docx) or remove the huge drawing."
                    )
                lines = _page_lines(page)
                chars += sum(len(ln.text) for ln in lines)
                pages.append((page.height, lines))
                images += len(page.images)
                page.flush_cache()  # keep memory bounded on long documents
                if chars > MAX_CHARS:
                    raise ProcessingBudgetError(
                        f"The PDF holds more than {MAX_CHARS:,} characters of text by page {number}, more than any "
                        "report; it was not read further. Check that it is a single report, or split it."
                    )
                if time.monotonic() > deadline:
                    raise ProcessingBudgetError(
                        f"Reading the PDF took longer than {TIME_BUDGET_SECONDS:.0f} s and was stopped at page {number} "
                        f"of {len(pdf.pages)}; its pages are unusually complex. Export the report again (e.g. as .docx "
                        "or a text PDF without embedded drawings) and drop it in again."
                    )
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


def _content_bytes(page) -> int:
    """Size of a page's content streams as stored, read without interpreting them."""
    from pdfminer.pdftypes import resolve1

    total = 0
    try:
        for stream in page.page_obj.contents or ():
            stream = resolve1(stream)
            length = resolve1(getattr(stream, "attrs", {}).get("Length"))
            if isinstance(length, int):
                total += length
            else:
                total += len(getattr(stream, "rawdata", None) or getattr(stream, "data", None) or b"")
    except Exception:  # a damaged stream is reported by the parser itself
        return 0
    return total


def _page_lines(page) -> list[_Line]:
    raws = [raw for raw in page.extract_text_lines(layout=False, strip=True, return_chars=True) if raw["text"].strip()]
    gutter = _gutter(raws)
    pieces: list[tuple[dict, int | None]] = []  # (line, column: 0 left, 1 right, None full width)
    for raw in raws:
        if gutter is None:
            pieces.append((raw, None))
        else:
            pieces.extend(_split_at(raw, gutter))
    lines: list[tuple[_Line, int | None]] = []
    for raw, column in pieces:
        # Letter-spaced PDFs come out as `一 、 主 要 工 作`; a space between two CJK characters is
        # layout, never text.
        text = _CJK_GAP.sub("", _CONTROL.sub("", raw["text"]))
        if text.strip():
            lines.append((_Line(text, raw["x0"], raw["x1"], raw["top"], raw["bottom"]), column))
    if gutter is None:
        out = [ln for ln, _ in lines]
        out.sort(key=lambda ln: (round(ln.top, 0), ln.x0))
        return out
    return _column_order(lines)


def _gutter(raws: list[dict]) -> float | None:
    """The x position of a two-column page's gutter, or None for a single column.

    A gutter is where many lines break with a wide gap, both halves being running text (not table
    cells), and that few lines cross (a title, a full-width heading).
    """
    if len(raws) < 6:
        return None
    widths = sorted(c["x1"] - c["x0"] for raw in raws for c in raw["chars"] if c["text"].strip())
    if not widths:
        return None
    char_w = widths[len(widths) // 2] or 1.0
    xmin = min(raw["x0"] for raw in raws)
    xmax = max(raw["x1"] for raw in raws)
    span = xmax - xmin
    gaps: list[list[tuple[float, float]]] = []
    for raw in raws:
        chars = sorted((c for c in raw["chars"] if c["text"].strip()), key=lambda c: c["x0"])
        line_gaps = []
        for a, b in zip(chars, chars[1:]):
            if b["x0"] - a["x1"] >= max(1.5 * char_w, 6.0):
                line_gaps.append((a["x1"], b["x0"]))
        gaps.append(line_gaps)
    # Candidate positions: gap midpoints in the middle half of the text, binned; only the most
    # common few bins are evaluated, so a page of table rows with many gaps stays cheap.
    bins: Counter[int] = Counter()
    for line_gaps in gaps:
        for g0, g1 in line_gaps:
            g = (g0 + g1) / 2
            if xmin + 0.25 * span <= g <= xmax - 0.25 * span:
                bins[int(g // 4)] += 1
    best: tuple[int, float] | None = None
    for bin_no, _ in bins.most_common(6):
        g = bin_no * 4 + 2.0
        split = cross = left_len = right_len = 0
        middles = []
        for raw, line_gaps in zip(raws, gaps):
            hit = next(((a, b) for a, b in line_gaps if a - 2 <= g <= b + 2), None)
            if hit is not None:
                split += 1
                middles.append((hit[0] + hit[1]) / 2)
                left_len += sum(1 for c in raw["chars"] if c["x1"] <= hit[0] + 0.01)
                right_len += sum(1 for c in raw["chars"] if c["x0"] >= hit[1] - 0.01)
            elif raw["x0"] < g < raw["x1"]:
                cross += 1
        if split < 3 or cross > max(2, 0.2 * len(raws)):
            continue
        if left_len < 8 * split or right_len < 8 * split:
            continue  # short cells side by side: a table, not two columns of prose
        if best is None or split > best[0]:
            best = (split, sorted(middles)[len(middles) // 2])
    return best[1] if best else None


def _split_at(raw: dict, gutter: float) -> list[tuple[dict, int | None]]:
    if raw["x1"] <= gutter:
        return [(raw, 0)]
    if raw["x0"] >= gutter:
        return [(raw, 1)]
    chars = sorted(raw["chars"], key=lambda c: c["x0"])
    if any(c["x0"] < gutter < c["x1"] for c in chars if c["text"].strip()):
        return [(raw, None)]
    left = [c for c in chars if c["x1"] <= gutter and c["text"].strip()]
    right = [c for c in chars if c["x0"] >= gutter and c["text"].strip()]
    if not left or not right:
        return [(raw, None)]
    return [(_from_chars(left), 0), (_from_chars(right), 1)]


def _from_chars(chars: list[dict]) -> dict:
    parts = [chars[0]["text"]]
    for a, b in zip(chars, chars[1:]):
        if b["x0"] - a["x1"] > 3:  # pdfplumber's default x_tolerance: a word space
            parts.append(" ")
        parts.append(b["text"])
    return {"text": "".join(parts).strip(), "x0": chars[0]["x0"], "x1": max(c["x1"] for c in chars),
            "top": min(c["top"] for c in chars), "bottom": max(c["bottom"] for c in chars)}


def _column_order(lines: list[tuple[_Line, int | None]]) -> list[_Line]:
    """Bands between full-width lines, each read left column then right column."""
    bounds: dict[int, tuple[float, float]] = {}
    for ln, column in lines:
        if column is not None:
            lo, hi = bounds.get(column, (ln.x0, ln.x1))
            bounds[column] = (min(lo, ln.x0), max(hi, ln.x1))
    for ln, column in lines:
        if column is not None:
            ln.left, ln.right = bounds[column]
    lines.sort(key=lambda item: (round(item[0].top, 0), item[0].x0))
    out: list[_Line] = []
    band: list[tuple[_Line, int | None]] = []
    for item in lines + [(None, None)]:
        ln, column = item
        if ln is None or column is None:
            band.sort(key=lambda it: (it[1], round(it[0].top, 0)))
            out.extend(l for l, _ in band)
            band = []
            if ln is not None:
                out.append(ln)
        else:
            band.append(item)
    return out


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
                reaches_right = previous.x1 >= (previous.right if previous.right is not None else right) - 1.6 * char_width
                indented = ln.x0 > (ln.left if ln.left is not None else left) + 1.2 * char_width
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
