""".html reports saved from a government website: the article's main text only.

Navigation, share buttons, scripts, footers and forms are dropped; the main text is the smallest
element that holds most of the page's paragraph text (sites differ, so no site-specific
selectors are trusted alone). Block elements become lines; table rows become ` | `-joined cells;
`<h1>`…`<h6>` lines other than the title are passed on as `SourceDocument.headings`, the shallowest
as level 1 (an unnumbered heading still opens a section).
The `<meta name="ArticleTitle">` / `ContentSource` tags many CMSs emit fill title and department.
"""
from __future__ import annotations

import pathlib
import re

from extractors.decode import decode_bytes
from extractors.formats.errors import CorruptFileError
from extractors.records import SourceDocument

_DROP = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "button",
         "select", "input", "textarea", "svg", "canvas", "object", "embed", "template")
_BLOCK = {"p", "div", "section", "article", "main", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
          "table", "tbody", "thead", "tr", "td", "th", "blockquote", "pre", "dd", "dt", "dl", "center", "figure", "figcaption"}
# Leaf elements whose text counts towards finding the article (sites put it in <p>, <div> or <td>).
_TEXT_BLOCKS = ["p", "td", "div", "li", "section", "article"]
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)


def read_file(path: pathlib.Path) -> list[SourceDocument]:
    data = path.read_bytes()
    text, encoding = _decode(data)
    from bs4 import BeautifulSoup

    try:
        soup = BeautifulSoup(text, "lxml")
    except Exception as exc:
        raise CorruptFileError(f"The HTML page cannot be parsed ({exc}); save the page again from the browser.") from None
    meta_title = _meta(soup, "ArticleTitle")
    department = _meta(soup, "ContentSource")
    page_title = soup.title.get_text(" ", strip=True) if soup.title else None
    for tag in soup.find_all(_DROP):
        tag.decompose()
    root = soup.body or soup
    main = _main_element(root)
    lines, levels = _lines(main)
    heading = meta_title or _first_heading(root, main)
    if heading and (not lines or lines[0] != heading) and heading not in lines[:3]:
        lines.insert(0, heading)
        levels = {i + 1: level for i, level in levels.items()}
    title = meta_title or heading or page_title
    body = "\n".join(lines)
    return [SourceDocument(text=body, source_format="html", encoding=encoding,
                           title=title, department=department, headings=_heading_hints(lines, levels, title))]


def _heading_hints(lines: list[str], levels: dict[int, int], title: str | None) -> tuple[tuple[int, int], ...]:
    """(offset, level) of the <h1>…<h6> lines other than the title; the shallowest becomes level 1."""
    body = {i: level for i, level in levels.items() if lines[i] != title}
    if not body:
        return ()
    shift = min(body.values()) - 1
    offsets, pos = [], 0
    for i, line in enumerate(lines):
        if i in body:
            offsets.append((pos, body[i] - shift))
        pos += len(line) + 1
    return tuple(offsets)


def _decode(data: bytes) -> tuple[str, str]:
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii", "replace").lower()
        codec = "gb18030" if name in ("gb2312", "gbk", "gb18030", "x-gbk") else name
        try:
            return data.decode(codec).lstrip("\ufeff"), codec
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration is common; detect instead
    return decode_bytes(data)


def _meta(soup, name: str) -> str | None:
    tag = soup.find("meta", attrs={"name": name})
    value = tag.get("content", "").strip() if tag else ""
    return value or None


def _text_len(node) -> int:
    return len(re.sub(r"\s+", "", node.get_text()))


def _main_element(root):
    """The smallest element holding at least 80% of the page's text in leaf blocks (<p>, <div>, <td> …)."""
    paragraphs = root.find_all(_TEXT_BLOCKS)
    weights: dict[int, int] = {}
    nodes: dict[int, object] = {}
    total = 0
    for p in paragraphs:
        if p.find(_TEXT_BLOCKS):
            continue  # count leaf blocks only, so no text is counted twice
        n = _text_len(p)
        if n < 8:
            continue
        total += n
        for ancestor in p.parents:
            if ancestor is None or ancestor.name in (None, "[document]"):
                break
            weights[id(ancestor)] = weights.get(id(ancestor), 0) + n
            nodes[id(ancestor)] = ancestor
    if total == 0:
        return root
    best, best_depth = root, -1
    for key, weight in weights.items():
        if weight >= 0.8 * total:
            node = nodes[key]
            depth = len(list(node.parents))
            if depth > best_depth:
                best, best_depth = node, depth
    return best


def _first_heading(root, main) -> str | None:
    for tag in main.find_all(["h1", "h2"], limit=1) or root.find_all(["h1", "h2"], limit=1):
        text = tag.get_text("", strip=True)
        if text:
            return text
    return None


def _lines(node) -> tuple[list[str], dict[int, int]]:
    """The element's text as lines, and the heading level of lines that come from <h1>…<h6>."""
    lines: list[str] = []
    levels: dict[int, int] = {}
    buffer: list[str] = []

    def flush() -> None:
        line = re.sub(r"[ \t\r\n\u00a0]+", " ", "".join(buffer)).strip()
        buffer.clear()
        if line:
            lines.append(line)

    def walk(element) -> None:
        for child in element.children:
            name = getattr(child, "name", None)
            if name is None:
                buffer.append(str(child))
            elif name == "br":
                flush()
            elif name == "tr" and not child.find(["p", "div", "table", "li", "section", "article"]):
                # A data row (a layout row holding the article is walked like any block)
                flush()
                cells = [re.sub(r"\s+", " ", c.get_text(" ", strip=True)) for c in child.find_all(["td", "th"])]
                row = " | ".join(c for c in cells)
                if row.strip(" |"):
                    lines.append(row)
            elif name in _BLOCK:
                flush()
                first = len(lines)
                walk(child)
                flush()
                if name in _HEADINGS:
                    for i in range(first, len(lines)):
                        levels.setdefault(i, _HEADINGS[name])
            else:
                walk(child)

    walk(node)
    flush()
    return lines, levels


_HEADINGS = {f"h{n}": n for n in range(1, 7)}
