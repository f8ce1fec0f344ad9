""".docx reports: paragraphs and tables in body order, Word's automatic numbering rendered.

python-docx gives a paragraph's typed text only; a heading numbered by Word (`一、` from a
numbering definition) would lose its marker, and the section tree with it. So the numbering part is
read here and each numbered paragraph gets its rendered label (`一、`, `（一）`, `1.`, `①` …)
prefixed, exactly as Word displays it. Tables become one line per row, cells joined by ` | `.
Paragraphs in a heading style (Heading 1/2, 标题 1/2, or any style with an outline level) are
passed on as `SourceDocument.headings`, so a heading Word shows without a number still opens a
section.

The archive is inspected before parsing: a wrong signature, a truncated archive or an absurd
unpacked size is refused with its reason, so a zip bomb costs no memory.
"""
from __future__ import annotations

import pathlib
import re
import zipfile
from dataclasses import dataclass, field

from extractors.formats.errors import (
    CorruptFileError,
    EncryptedFileError,
    LegacyFormatError,
    ZipBombError,
)
from extractors.records import SourceDocument

MAX_UNPACKED_BYTES = 150 * 1024 * 1024
MAX_RATIO = 150  # real .docx XML compresses ~5-20x; a bomb compresses thousands of times

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_file(path: pathlib.Path) -> list[SourceDocument]:
    _check_archive(path)
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises many kinds (KeyError, XMLSyntaxError, ValueError …)
        raise CorruptFileError(
            f"The .docx cannot be opened by a Word reader ({type(exc).__name__}: {exc}); it is damaged or "
            "not really a Word document. Open and re-save it in Word or LibreOffice."
        ) from None
    numbering = _Numbering(document)
    outline = _Outline(document)
    lines: list[str] = []
    headings: list[tuple[int, int]] = []
    offset = 0
    title: str | None = None
    for child in _blocks(document.element.body):
        if child.tag == f"{_W}p":
            text = _paragraph_text(child)
            label = numbering.label(child, document)
            line = (label + text).strip() if label else text.strip()
            if not line:
                continue
            if title is None and not lines and _style_name(child, document).lower() in ("title", "标题"):
                title = line
            else:
                level = outline.level(child)
                if level is not None:
                    headings.append((offset, level))
            lines.append(line)
            offset += len(line) + 1
        elif child.tag == f"{_W}tbl":
            for row in _table_rows(child):
                lines.append(row)
                offset += len(row) + 1
    text = "\n".join(lines)
    return [SourceDocument(text=text, source_format="docx", encoding=None, title=title, headings=tuple(headings))]


class _Outline:
    """A paragraph's outline level (1 = Heading 1): from its own w:outlineLvl, else its style's
    (`Heading 2`, `标题 2`, `heading 2`, or a custom style with an outline level), through w:basedOn."""

    _NAME = re.compile(r"^(?:heading|标题)\s*([1-9])$", re.IGNORECASE)

    def __init__(self, document) -> None:
        self.styles = document.styles.element
        self.cache: dict[str, int | None] = {}

    def level(self, p) -> int | None:
        own = _ppr_value(p, "outlineLvl")
        if own is not None:
            return _outline_value(own)
        style_id = _ppr_value(p, "pStyle")
        return self._style_level(style_id, 0) if style_id else None

    def _style_level(self, style_id: str, depth: int) -> int | None:
        if style_id in self.cache:
            return self.cache[style_id]
        level: int | None = None
        style = self.styles.get_by_id(style_id) if depth <= 10 else None
        if style is not None:
            name = style.find(f"{_W}name")
            match = self._NAME.match((name.get(f"{_W}val", "") if name is not None else "").strip())
            ppr = style.find(f"{_W}pPr")
            lvl = ppr.find(f"{_W}outlineLvl") if ppr is not None else None
            if match:
                level = int(match.group(1))
            elif lvl is not None:
                level = _outline_value(lvl.get(f"{_W}val"))
            else:
                based = style.find(f"{_W}basedOn")
                if based is not None and based.get(f"{_W}val"):
                    level = self._style_level(based.get(f"{_W}val"), depth + 1)
        self.cache[style_id] = level
        return level


def _outline_value(value: str | None) -> int | None:
    """w:outlineLvl is 0-based, and 9 means body text."""
    try:
        n = int(value or "")
    except ValueError:
        return None
    return n + 1 if 0 <= n <= 8 else None


def _blocks(parent):
    """Paragraphs and tables in body order, including those inside content controls (w:sdt)."""
    for child in parent.iterchildren():
        if child.tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _blocks(content)
        else:
            yield child


def _check_archive(path: pathlib.Path) -> None:
    with path.open("rb") as handle:
        head = handle.read(8)
        if head.startswith(_OLE):
            handle.seek(0)
            sample = handle.read(1 << 20)
            if "EncryptedPackage".encode("utf-16-le") in sample:
                raise EncryptedFileError(
                    "The .docx is password-protected, so its text cannot be read; remove the password "
                    "in Word (File > Info > Protect Document) and drop the file in again."
                )
            raise LegacyFormatError(
                "The file is a legacy Word 97-2003 document (.doc) saved with a .docx name; open it in Word, "
                "WPS or LibreOffice, save it as a real .docx, and drop that in the inbox."
            )
    if not head:
        raise CorruptFileError("The .docx file is empty (0 bytes); export the report again.")
    if not head.startswith(b"PK"):
        raise CorruptFileError(
            "The file has a .docx name but is not a Word document (no ZIP signature); "
            "check what it really is and give it the right extension."
        )
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
            unpacked = sum(m.file_size for m in members)
            packed = sum(m.compress_size for m in members) or 1
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise CorruptFileError(
            f"The .docx is truncated or damaged ({exc}); open and re-save it in Word, or export it again."
        ) from None
    if unpacked > MAX_UNPACKED_BYTES or (unpacked > 10 * 1024 * 1024 and unpacked / packed > MAX_RATIO):
        raise ZipBombError(
            f"The .docx would unpack to {unpacked / 1_048_576:,.0f} MB from {packed / 1_048_576:,.1f} MB, "
            "which no report needs (a zip bomb or a broken archive); it was not opened. Check where the file came from."
        )
    if "word/document.xml" not in names:
        raise CorruptFileError(
            "The .docx archive has no word/document.xml, so it is not a Word document (perhaps an .xlsx or "
            ".pptx renamed); give it its proper extension or export the report as .docx."
        )


def _paragraph_text(p) -> str:
    """Visible text of a paragraph in order: runs, tabs, breaks; deleted revisions skipped."""
    parts: list[str] = []
    for node in p.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr", f"{_W}delText", f"{_W}sym"):
        tag = node.tag
        if tag == f"{_W}t":
            parts.append(node.text or "")
        elif tag == f"{_W}tab":
            # A tab inside a tab-stop list (w:tabs) is not text.
            if node.getparent().tag != f"{_W}tabs":
                parts.append("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
    return "".join(parts)


def _table_rows(tbl) -> list[str]:
    rows: list[str] = []
    for tr in tbl.iterchildren(f"{_W}tr"):
        cells: list[str] = []
        for tc in tr.iterchildren(f"{_W}tc"):
            texts = [_paragraph_text(p).strip() for p in tc.iterchildren(f"{_W}p")]
            cell = " ".join(t for t in texts if t).replace("\n", " ")
            cells.append(cell)
        while cells and not cells[-1]:
            cells.pop()
        if any(cells):
            rows.append(" | ".join(cells))
    return rows


def _style_name(p, document) -> str:
    style_id = _ppr_value(p, "pStyle")
    if style_id is None:
        return ""
    try:
        style = document.styles.element.get_by_id(style_id)
    except Exception:
        return ""
    if style is None:
        return ""
    name = style.find(f"{_W}name")
    return name.get(f"{_W}val", "") if name is not None else ""


def _ppr_value(p, tag: str) -> str | None:
    ppr = p.find(f"{_W}pPr")
    if ppr is None:
        return None
    node = ppr.find(f"{_W}{tag}")
    return node.get(f"{_W}val") if node is not None else None


# ---------------------------------------------------------------------------------------------
# Automatic numbering


@dataclass(slots=True)
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    suffix: str = "tab"
    restart_after: int | None = None  # w:lvlRestart: restart after this (1-based) level


@dataclass(slots=True)
class _Abstract:
    levels: dict[int, _Level] = field(default_factory=dict)


class _Numbering:
    """Counters for Word's numbering definitions, advanced paragraph by paragraph in body order."""

    def __init__(self, document) -> None:
        self.abstracts: dict[str, _Abstract] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}  # numId -> (abstractNumId, start overrides)
        self.counters: dict[str, dict[int, int]] = {}  # numId -> level -> current value
        self.style_numbering: dict[str, tuple[str, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            root = None
        if root is not None:
            for abstract in root.iterchildren(f"{_W}abstractNum"):
                parsed = _Abstract()
                for lvl in abstract.iterchildren(f"{_W}lvl"):
                    parsed.levels[int(lvl.get(f"{_W}ilvl", "0"))] = _parse_level(lvl)
                self.abstracts[abstract.get(f"{_W}abstractNumId")] = parsed
            for num in root.iterchildren(f"{_W}num"):
                ref = num.find(f"{_W}abstractNumId")
                overrides: dict[int, int] = {}
                for override in num.iterchildren(f"{_W}lvlOverride"):
                    start = override.find(f"{_W}startOverride")
                    if start is not None:
                        overrides[int(override.get(f"{_W}ilvl", "0"))] = int(start.get(f"{_W}val", "1"))
                if ref is not None:
                    self.nums[num.get(f"{_W}numId")] = (ref.get(f"{_W}val"), overrides)
        self.styles = document.styles.element if self.nums else None
        self.applied_overrides: set[str] = set()

    def label(self, p, document) -> str:
        found = self._num_pr(p)
        if found is None:
            return ""
        num_id, ilvl = found
        if num_id not in self.nums:
            return ""  # numId 0 switches numbering off
        abstract_id, overrides = self.nums[num_id]
        abstract = self.abstracts.get(abstract_id)
        if abstract is None or ilvl not in abstract.levels:
            return ""
        counters = self.counters.setdefault(num_id, {})  # each w:num is its own list instance
        if num_id not in self.applied_overrides:
            self.applied_overrides.add(num_id)
            for lvl_no, start in overrides.items():
                counters[lvl_no] = start - 1
                for deeper in [k for k in counters if k > lvl_no]:
                    del counters[deeper]
        level = abstract.levels[ilvl]
        counters[ilvl] = counters.get(ilvl, level.start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            restart = abstract.levels.get(deeper, _Level()).restart_after
            if restart is None or restart - 1 >= ilvl:
                del counters[deeper]
        if level.fmt in ("bullet", "none"):
            return ""
        label = level.text
        for k in range(9):
            token = f"%{k + 1}"
            if token in label:
                lvl = abstract.levels.get(k, _Level())
                value = counters.get(k, lvl.start)
                label = label.replace(token, _format(value, lvl.fmt if k != ilvl else level.fmt))
        return label + (" " if level.suffix == "space" else "")

    def _num_pr(self, p) -> tuple[str, int] | None:
        ppr = p.find(f"{_W}pPr")
        num_pr = ppr.find(f"{_W}numPr") if ppr is not None else None
        if num_pr is not None:
            num_id = num_pr.find(f"{_W}numId")
            ilvl = num_pr.find(f"{_W}ilvl")
            if num_id is not None:
                return num_id.get(f"{_W}val"), int(ilvl.get(f"{_W}val", "0")) if ilvl is not None else 0
        style_id = _ppr_value(p, "pStyle")
        return self._style_num_pr(style_id, depth=0) if style_id and self.styles is not None else None

    def _style_num_pr(self, style_id: str, depth: int) -> tuple[str, int] | None:
        if depth > 10:
            return None
        style = self.styles.get_by_id(style_id)
        if style is None:
            return None
        ppr = style.find(f"{_W}pPr")
        num_pr = ppr.find(f"{_W}numPr") if ppr is not None else None
        if num_pr is not None and num_pr.find(f"{_W}numId") is not None:
            ilvl = num_pr.find(f"{_W}ilvl")
            return num_pr.find(f"{_W}numId").get(f"{_W}val"), int(ilvl.get(f"{_W}val", "0")) if ilvl is not None else 0
        based = style.find(f"{_W}basedOn")
        return self._style_num_pr(based.get(f"{_W}val"), depth + 1) if based is not None else None


def _parse_level(lvl) -> _Level:
    def val(tag: str) -> str | None:
        node = lvl.find(f"{_W}{tag}")
        return node.get(f"{_W}val") if node is not None else None

    level = _Level()
    if (start := val("start")) is not None:
        level.start = int(start)
    level.fmt = val("numFmt") or "decimal"
    level.text = val("lvlText") if val("lvlText") is not None else ""
    level.suffix = val("suff") or "tab"
    if (restart := val("lvlRestart")) is not None:
        level.restart_after = int(restart)
    return level


_CN_DIGIT = "〇一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"


def _chinese(n: int, digits: str = _CN_DIGIT, ten: str = "十") -> str:
    if n <= 0:
        return str(n)
    if n < 10:
        return digits[n]
    if n < 20:
        return ten + (digits[n - 10] if n > 10 else "")
    if n < 100:
        return digits[n // 10] + ten + (digits[n % 10] if n % 10 else "")
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, numeral in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                           (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + numeral, n - value
    return out


def _format(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "taiwaneseCounting", "taiwaneseCountingThousand",
               "japaneseCounting"):
        return _chinese(n)
    if fmt in ("chineseLegalSimplified", "ideographLegalTraditional"):
        return _chinese(n, _CN_LEGAL, "拾")
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return _CIRCLED[n - 1]
    if fmt == "ideographTraditional" and 1 <= n <= 10:
        return _TIANGAN[n - 1]
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("upperLetter", "lowerLetter"):
        letter = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman"):
        return _roman(n) if fmt == "upperRoman" else _roman(n).lower()
    return str(n)
