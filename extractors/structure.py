"""The structure of a report: its numbered sections, and what the text says about the document.

Levels follow GB/T 9704-2012 and its variants in practice:

    1  一、 一．        2  (一) （一）        3  1.  1、  1．
    4  (1) （1）        5  ①  一是  第一，  其一，  首先/其次/再次/最后

and above them the parts of a report, which are not numbered in that scheme:

    第一部分 / 第二部分 …                       a numbered part, level 1
    a line standing alone that names a part    `上半年工作开展情况`, `存在的问题`, `下一步工作打算`
    a heading the file marks                   Word's Heading 1/2/标题 1 style, HTML <h2>, Markdown `##`

Level rule for these. `level` keeps the contract's meaning (it names the marker family, 1 = `一、`),
so a part is level 1, and the `一、` sections a part holds are level 1 as well: depth is in
`parent_section_id` and `path`, not in `level` (a child's level is never below its parent's, and is
above it unless the parent is unnumbered or a part). Nesting follows a rank: a part ranks above
`一、`; a heading with outline level k from its file ranks just above the numbered level k (Heading 1
holds `一、`, Heading 2 sits between `一、` and `(一)`), and is the sibling of an open heading of the
same outline level. A plain part line is placed as a reader places it (`_place_part_line`): the
sibling of an earlier part line, a sub-part of an open top section whose heading names its kind
(`三、存在问题及下步打算` then `存在的问题`), a part above a fresh `一、` sequence that follows it, else the
sibling of the open top sections. Unnumbered headings have marker "" and their heading as path part
(`存在的问题/一是`); their ordinal counts them among their siblings.

A plain line is a part heading only when the whole line (≤ MAX_PART_LINE characters, an optional
period and topic before the part's name, `：` allowed at the end) names a part and body text
follows; never on a line that carries on a hard-wrapped sentence, in web-page leftovers or tables,
or on the first line when it is the document's title (the only such line, or naming two kinds:
`…工作总结及下半年工作计划`). A title naming one kind (`下半年工作计划`, `xx局2024年工作要点`) still sets
the kind of what nothing else labels.

One pass over the text with explicit positions, so every offset is exact by construction. The
document is never rewritten: full-width forms are folded only in a same-length copy used for
matching (`_FOLD`), and all positions come from the original string.

A marker opens a section when a reader would read it as one:

* at the start of a line, or after a sentence end (。！？ and half-width forms);
* fused with the heading before it, with no punctuation in between (`一、…潜能一是…`,
  `二、存在问题(一)…`): a first child (ordinal 1) of a deeper level inside a heading;
* levels 1–2 also after `：` when they start or continue a sequence (`…困难和问题：(一)…`);
* `第一部分` only at the start of a line, before a heading (not in `第一部分资金已到位，…`);
* level 5 (`一是`, `第一，`, `其一，`, `首先`) also after `：` and `；`, and after `，` when its previous
  sibling is open or a second item follows on the same line (`…三个方面，一是…，二是…`); `①` always;
  a lone `首先` with no `其次`/`最后` after it is an adverb, not an enumeration;
* levels 3–4 after `；` only when they continue an open sequence, and in the middle of a line only
  when they start or continue one (so `（1）…（2）` inside a running sentence stays prose);
* never inside “…” or 《…》, on a table row (cells joined by `|`), or on lines that are not report
  body (`boilerplate_spans`: web-page leftovers, a table of contents, footnotes, an attachment list,
  the closing signature); never for `2.62亿元`, `1-5月份`, `一、二季度`, `二、三产业`, `3、4月份`.

A heading runs from after its marker to the first sentence end, colon, line end or fused child
marker, then is trimmed where a reader would end it:

* a heading fused with its body (`(一)全旗安全生产形势截至目前,…`) ends where a heading word
  (形势, 情况, 问题 …) is followed by a typical opening of body text (截至, 在 …), and before a
  dated opening whatever precedes it (`2．农村公路建设截至6月底,…` -> `农村公路建设`);
* a lead-in before the colon is dropped (`处于前期x项,分别为:` -> `处于前期x项`);
* a first sentence that is really the item's body (long, giving figures, or any level-3–5 item
  beyond a short two-part title) gives its opening clause: `一是紧盯臭氧污染防治，7月至9月…`
  -> `紧盯臭氧污染防治`, while `(六)深化环境要素保障，服务经济发展` stays whole.

`path` joins the markers from the top section down, each written without its trailing
punctuation and with half-width brackets: `三/(一)/2/(1)/①`, `一/(二)/一是`, `二/第一`,
`第二部分/(一)`, `下半年工作计划/(一)` (an unnumbered heading contributes its heading text).

`section_kind` comes from the heading's own cues (level-1 headings name their part of the report,
deeper ones only count with unmistakable phrases), children inherit it, and topical level-1
headings before a report's first problem/plan part are its achievements.

Restarting or out-of-order numbering is recorded as an `Anomaly`, never fatal. A file of unrelated
excerpts, one per line (numbering restarts at many line starts), is read line by line: each line
starts a fresh tree, as a reader of such a file would.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from extractors.records import Anomaly, Section, builder

__all__ = [
    "DocumentAttributes", "boilerplate_spans", "document_attributes", "parse_sections",
    "period_from_text",
]

# Same-length folding used only for matching: full-width ASCII forms -> half-width.
_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FOLD[0x3000] = 0x20  # ideographic space
_FOLD[0xFF0E] = ord(".")
_FULL_WIDTH = re.compile("[\uff01-\uff5e\u3000]")


def _fold(text: str) -> str:
    """text.translate(_FOLD), faster: str.translate looks every non-ASCII character up in the
    dict, while a report holds only a handful of distinct full-width forms (，（）：；…)."""
    for ch in set(_FULL_WIDTH.findall(text)):
        text = text.replace(ch, chr(_FOLD[ord(ch)]))
    return text

_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}
_CN = "一二三四五六七八九十"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_SEQUENCE_WORDS = {"首先": 1, "其次": 2, "再次": 3, "最后": 0}  # 0: "the one after the last"
_WORD_SPAN = 3000  # how far a 首先 looks for its 其次/最后

# Matched against the folded text. Lookbehinds keep `2019.5`, `十一、` (as 一、), `统一是` out.
# The leading lookahead names every character a branch can start with (after folding: `(` stands
# for `（`, `\d` for full-width digits too): without it the lookbehinds are tried at every position.
# Each branch ends in an empty group naming its family (`m.lastgroup`) and starts with a character
# to read, not a group or a lookbehind (a lookbehind comes after the first character and looks
# one further back): `re` then skips a branch whose first character does not fit without entering
# it, which halves the time of the scan. A numeral the branch does not capture is the marker less
# its last character (`一、`, `12.`, `三是`).
_MARKER = re.compile(
    rf"(?=[第(\d{_CN}{_CIRCLED}其首再最])"
    rf"(?:第(?P<n0>[{_CN}]{{1,3}})部分(?P<l0>)"
    rf"|\((?P<n2>[{_CN}]{{1,3}})\)[、.]?(?P<l2>)"
    rf"|\((?P<n4>\d{{1,2}})\)[、.]?(?P<l4>)"
    rf"|[{_CN}](?<![{_CN}百千万第].)[{_CN}]{{0,2}}(?:、|\.(?!\d))(?P<l1>)"
    rf"|\d(?<![\d.].)\d?[.、](?!\d)(?P<l3>)"
    rf"|[{_CIRCLED}](?P<l5c>)"
    rf"|[{_CN}](?<![{_CN}百千万第].)[{_CN}]{{0,2}}是(?P<l5s>)"
    rf"|第(?P<n5d>[{_CN}]{{1,3}})[,、:](?P<l5d>)"
    rf"|其(?P<n5q>[{_CN}]{{1,2}})[,、:](?P<l5q>)"
    rf"|(?:首先[,:]?|其次[,:]?|再次[,:]|最后[,:])(?P<l5w>))"
)

_SPACE = " \t\u3000\u00a0\ufeff\u200b"
_HEADING_STOP = set("。!?;:\n")
_HEADING_STOP_RE = re.compile("[" + re.escape("".join(sorted(_HEADING_STOP))) + "]")
MAX_HEADING = 120
_QUANTITY = re.compile(r"[0-9]|[xX*]+[个家条%万亿名次人户项场批元吨亩]")
SHORT_ITEM = 20
# An opening clause that is an adverbial (`针对x条主导产业链,…`) is not a title: keep the sentence.
_ADVERBIAL = re.compile(r"(?:针对|围绕|按照|根据|依据|通过|对照|对(?![标接外])|为了|为|在|以(?!商)|结合|依托|随着|由于|经过)")
LONG_HEADING = 40  # headings are rarely longer; a longer first sentence is body text

# A heading fused with its body: a heading word followed by a typical opening of body text.
_HEADING_WORD = re.compile(
    r"(情况|问题|不足|计划|安排|打算|思路|形势|成效|成绩|工作|措施|举措|目标|任务|做法|亮点|短板|困难|建议|进展|概况|回顾)"
)
_BODY_OPENING = re.compile(
    r"(截至|截止|今年以来|年初以来|[自在]|目前|近年来|近期|当前|今年|去年|为|根据|按照|对照"
    r"|我[县区市旗镇乡局委办省州盟]|全[县区市旗镇乡省州盟]|\d)"
)

_DATED_OPENING = re.compile(r"(?:截至|截止)(?:目前|当前|今年|本月|年底|上半年|[0-9一二三四五六七八九十])")

# Lead-ins before a colon are not part of the heading: `3.处于前期x项,分别为:`.
_LEAD_IN = re.compile(r",?(?:分别为|分别是|主要有|主要包括|包括|具体如下|如下|具体为|具体是|主要是|主要为)$")

# Ranges that look like a level-1 marker: 一、二季度, 二、三产业, 一、二、三级.
_RANGE_TAIL = re.compile(rf"[{_CN}](?:、|季度|产业|类|级|档|批|期|线|等|个|年级|月)")

# Cues for section_kind. A level-1 heading names its part of the report, so its words are
# reliable; deeper headings name work items (`加快补齐教育资源短板` is a plan, not a problem),
# so only the unmistakable phrases count there.
_KIND_CUES_TOP: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("problem", re.compile(r"问题|不足|困难|短板|差距|薄弱|瓶颈|挑战")),
    ("plan", re.compile(
        r"下半年|下一步|下步|明年|今后|计划|打算|安排|思路|展望|要点|设想|保障措施"
        r"|重点工作任务|重点任务|主要任务|工作任务|目标任务(?!完成)")),
    ("achievement", re.compile(
        r"情况|主要工作|工作成效|成效|成绩|工作进展|工作回顾|回顾|主要做法|做法|亮点|总结|完成|取得")),
)
_KIND_CUES_DEEP: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("problem", re.compile(r"存在(的)?(主要)?问题|问题(和|与|及)(不足|困难|短板)|(困难|不足)(和|与|及)问题|不足之处")),
    ("plan", re.compile(r"下半年|下一步|下步|工作计划|工作安排|工作打算|工作思路|工作要点")),
    ("achievement", re.compile(
        r"工作开展情况|开展情况|主要工作|完成情况|工作成效|主要成效|工作进展|进展情况|运行情况|工作回顾"
        r"|主要做法|工作亮点|基本情况|工作情况|主要经济指标|情况$")),
)


@dataclass(frozen=True, slots=True)
class DocumentAttributes:
    """What the text itself says about the document; None where it says nothing."""

    title: str | None = None
    department: str | None = None
    region: str | None = None
    year: int | None = None
    period: str | None = None


@dataclass(slots=True)
class _Candidate:
    start: int
    end: int
    level: int
    ordinal: int
    kind: str  # marker family: part, cn, paren_cn, digit, paren_digit, circled, shi, di, qi, word; plain, styled
    enumerated: bool = False  # a first item that a second item follows on its line
    rank: float = 0.0  # nesting order: a candidate closes every open section of equal or higher rank
    heading_end: int = -1  # unnumbered headings (plain, styled): where the heading line ends
    outline: int | None = None  # the outline level the source gives this heading line (Word style, `##`)


@dataclass(slots=True)
class _Open:
    """A section still open on the stack while the text is scanned."""

    index: int  # into the drafts
    level: int
    rank: float
    kind: str
    outline: int | None
    children_last: dict[object, int] = field(default_factory=dict)  # sibling key -> last child ordinal


@dataclass(slots=True)
class _Draft:
    start: int
    marker_end: int
    level: int
    ordinal: int
    marker: str
    heading_start: int
    heading_end: int
    parent: int | None
    path: str
    line_no: int
    end: int = -1
    kind: str = "other"
    family: str = ""  # the candidate's marker family (plain, styled, part, cn …)


class _Lines:
    """Line starts of the text, for line numbers and line ends by position."""

    def __init__(self, text: str) -> None:
        self.starts = [0]
        find = text.find
        pos = find("\n")
        while pos != -1:
            self.starts.append(pos + 1)
            pos = find("\n", pos + 1)
        self.length = len(text)

    def line_no(self, pos: int) -> int:
        return bisect_right(self.starts, pos)

    def line_start(self, pos: int) -> int:
        return self.starts[bisect_right(self.starts, pos) - 1]

    def line_end(self, pos: int) -> int:
        """Position of the newline ending the line holding pos (or the text length)."""
        i = bisect_right(self.starts, pos)
        return self.starts[i] - 1 if i < len(self.starts) else self.length


_new_section = builder(Section)


def parse_sections(text: str, doc_id: str, headings: Sequence[tuple[int, int]] = ()) -> tuple[list[Section], list[Anomaly]]:
    """Recover the section tree of a report; anomalies record odd numbering (never fatal).

    `headings` are (position, level) of paragraphs the source file marks as headings (a Word
    Heading 1/2/标题 1 style, see `SourceDocument.headings`); a numbered line ignores its hint.
    """
    folded = _fold(text)
    lines = _Lines(text)
    protected = _protected_mask(folded, lines)
    noise = boilerplate_spans(text)
    skip = sorted(noise + _table_rows(text))
    candidates = _candidates(folded, protected, skip)
    unnumbered, outline = _unnumbered_headings(text, folded, lines, skip, list(headings))
    if unnumbered:
        candidates = sorted(candidates + unnumbered, key=lambda c: c.start)
    if outline:
        for c in candidates:
            if c.kind not in _UNNUMBERED and lines.line_start(c.start) in outline \
                    and _context(folded, c.start, lines.line_start(c.start)) == "line":
                c.outline = outline[lines.line_start(c.start)]
    drafts, anomalies, restarts = _build(text, folded, lines, candidates, doc_id, per_line=False, noise=noise, protected=protected)
    lines_with_markers = len({d.line_no for d in drafts})
    excerpts = restarts >= 2 and restarts * 4 >= lines_with_markers
    if excerpts:
        drafts, anomalies, _ = _build(text, folded, lines, candidates, doc_id, per_line=True, noise=noise, protected=protected)
        anomalies.insert(0, Anomaly(
            doc_id, "excerpt_collection",
            f"numbering restarts at {restarts} line starts: read as unrelated excerpts, one tree per line",
            0, 1))
    _assign_kinds(text, drafts, whole_document=not excerpts,
                  title_kind=None if excerpts else _title_kind(text, drafts))
    sections = [
        _new_section(  # the fields in declared order
            f"{doc_id}:s{i + 1}",  # section_id
            doc_id,
            None if d.parent is None else f"{doc_id}:s{d.parent + 1}",  # parent_section_id
            d.level,
            d.marker,
            d.ordinal,
            text[d.heading_start:d.heading_end],  # heading
            d.heading_start,
            d.heading_end,
            d.kind,  # section_kind
            d.path,
            d.start,  # char_start
            d.end,  # char_end
            d.line_no,
        )
        for i, d in enumerate(drafts)
    ]
    return sections, anomalies


# ---------------------------------------------------------------------------------------------
# Candidates


@lru_cache(maxsize=4096)  # pure, and asked for the same few numerals at every marker
def _cn_number(numeral: str) -> int | None:
    """一..九十九 as written in markers; None for anything else (e.g. 十十)."""
    if "十" in numeral:
        head, _, tail = numeral.partition("十")
        if "十" in tail or len(head) > 1 or len(tail) > 1:
            return None
        tens = _CN_DIGITS.get(head, None) if head else 1
        ones = _CN_DIGITS.get(tail, None) if tail else 0
        if tens is None or ones is None or tens == 0:
            return None
        return tens * 10 + ones
    if len(numeral) != 1:
        return None
    value = _CN_DIGITS.get(numeral)
    return value or None


def _candidates(folded: str, protected: bytearray, noise: list[tuple[int, int]]) -> list[_Candidate]:
    out: list[_Candidate] = []
    noise_starts = [s for s, _ in noise]
    for m in _MARKER.finditer(folded):
        start = m.start()
        if protected[start]:
            continue
        if noise:
            i = bisect_right(noise_starts, start) - 1
            if i >= 0 and noise[i][0] <= start < noise[i][1]:
                continue
        group = m.lastgroup
        end = m.end()
        if group == "l1":
            level, kind, ordinal = 1, "cn", _cn_number(m.group()[:-1])
            if _RANGE_TAIL.match(folded, end) and ordinal is not None:
                nxt = _cn_number(folded[end])
                if nxt == ordinal + 1 or folded.startswith("、", end + 1):
                    continue
        elif group == "l2":
            level, kind, ordinal = 2, "paren_cn", _cn_number(m.group("n2"))
        elif group == "l3":
            level, kind, ordinal = 3, "digit", int(m.group()[:-1])
            if folded.startswith(("%", "万", "亿", "倍"), end):
                continue
        elif group == "l4":
            level, kind, ordinal = 4, "paren_digit", int(m.group("n4"))
        elif group == "l5c":
            level, kind, ordinal = 5, "circled", _CIRCLED.index(m.group()) + 1
        elif group == "l5s":
            level, kind, ordinal = 5, "shi", _cn_number(m.group()[:-1])
        elif group == "l5d":
            level, kind, ordinal = 5, "di", _cn_number(m.group("n5d"))
        elif group == "l5q":
            level, kind, ordinal = 5, "qi", _cn_number(m.group("n5q"))
        elif group == "l0":
            level, kind, ordinal = 1, "part", _cn_number(m.group("n0"))
        else:
            level, kind, ordinal = 5, "word", _SEQUENCE_WORDS[m.group()[:2]]
        if ordinal is None or (ordinal == 0 and kind != "word"):
            continue
        out.append(_Candidate(start, end, level, ordinal, kind, rank=0.0 if kind == "part" else float(level)))
    _mark_enumerations(folded, out)
    return out


def _mark_enumerations(folded: str, candidates: list[_Candidate]) -> None:
    """Flag a `一是` / `第一，` / `首先` that a `二是` / `第二，` / `其次` follows on the same line.

    Such a pair is an enumeration even in the middle of a sentence (`主要表现在三个方面，一是…，二是…`).
    """
    pending: dict[str, _Candidate] = {}
    line_start = 0
    for c in candidates:
        if folded.rfind("\n", line_start, c.start) != -1:
            # `首先…其次…` often spans paragraphs; the other families pair within a line.
            pending = {k: v for k, v in pending.items() if k == "word" and c.start - v.start < _WORD_SPAN}
            line_start = folded.rfind("\n", 0, c.start) + 1
        if c.kind not in ("shi", "di", "qi", "word"):
            continue
        if c.ordinal == 1:
            pending[c.kind] = c
        elif c.kind in pending and (c.ordinal == 2 or (c.kind == "word" and c.ordinal in (0, 3))):
            pending.pop(c.kind).enumerated = True


# An unnumbered line that names a part of the report (`下半年工作计划`, `存在的问题`, `一、` missing):
# an optional period, an optional topic of a few characters, then the part's name; two such names
# may be joined (`存在问题及下一步打算`). Matched against the whole folded line.
_PART_PERIOD = (r"(?:(?:19|20)\d{2}年度?|今年|本年度?|明年|全年|上半年|下半年|前三季度|第?[一二三四]季度"
                r"|\d{1,2}[-—–~至]\d{1,2}月份?|[一二三四五六七八九十]{1,2}[-—–~至][一二三四五六七八九十]{1,3}月份?"
                r"|近期|今后|下一步|下步|下阶段|下一阶段)")
_PART_NAME = (
    r"(?:(?:存在|面临)的?(?:主要)?(?:问题|困难|不足|短板|挑战|风险)(?:(?:和|与|及|、)(?:问题|困难|不足|短板|挑战|差距))?"
    r"|(?:问题|困难)(?:和|与|及|、)(?:不足|困难|问题|短板|挑战)|不足之处|主要问题"
    r"|(?:重点)?工作(?:计划|安排|打算|思路|要点|设想|重点)(?:(?:和|与|及)(?:措施|举措|建议))?"
    r"|保障措施|工作措施|工作建议|意见建议"
    r"|(?:主要)?工作情况|(?:完成|开展|进展|推进|落实|运行)情况|基本情况|总体情况"
    r"|(?:主要)?工作(?:及|和|与)?(?:主要)?(?:成效|成绩|做法|亮点|进展|回顾|总结)|主要(?:成效|成绩|做法|亮点)"
    r"|取得的(?:主要)?(?:成效|成绩))"
)
# `计划`, `打算`, `重点` name a part only right after a period (`下一步打算`, `2024年重点任务`).
_PERIOD_NAME = r"的?(?:重点)?(?:计划|安排|打算|思路|要点|设想|重点|目标任务|重点任务|主要任务)"
_PART_UNIT = rf"(?:{_PART_PERIOD}?[\u4e00-\u9fff]{{0,8}}?{_PART_NAME}|{_PART_PERIOD}{_PERIOD_NAME})"
_PART_LINE = re.compile(rf"{_PART_UNIT}(?:(?:和|与|及|以及|暨|、){_PART_UNIT})?")
_TITLE_LIKE = re.compile(rf"关于|报告$|汇报$|[\u4e00-\u9fff]{{2,}}(?:局|委员会|人民政府|办公室|管委会|中心)(?:19|20)\d{{2}}")
_MD_HEADING = re.compile(r"#{1,6}[ \t]+")
MAX_PART_LINE = 30


def _unnumbered_headings(text: str, folded: str, lines: _Lines, skip: list[tuple[int, int]],
                         hints: list[tuple[int, int]]) -> tuple[list[_Candidate], dict[int, int]]:
    """Headings without a number: lines that name a part of the report, Markdown `#` headings, and
    paragraphs the source file marks as headings (`hints`: Word's Heading 1/2/标题 1 styles).

    A candidate's span is empty (no marker); `heading_end` is where its line's heading ends. Also
    returns the outline level the source gives each heading line, numbered or not (line start ->
    level), so that an unnumbered `## 存在的问题` is the sibling of a numbered `## 一、主要工作`.
    """
    out: list[_Candidate] = []
    outline: dict[int, int] = {}
    title_line = -1
    skip_starts = [a for a, _ in skip]
    hinted = {}
    for pos, level in hints:
        if 0 <= pos < len(text) and 1 <= level <= 9:
            hinted[lines.line_start(pos)] = level
    first_line = True
    for i, line_start in enumerate(lines.starts):
        line_end = lines.starts[i + 1] - 1 if i + 1 < len(lines.starts) else lines.length
        if line_end - line_start > 200 and line_start not in hinted:
            first_line = False
            continue
        start, end = line_start, line_end
        while start < end and folded[start] in _SPACE:
            start += 1
        while end > start and (folded[end - 1] in _SPACE or folded[end - 1] in "\r"):
            end -= 1
        if start == end:
            continue
        k = bisect_right(skip_starts, start) - 1
        if k >= 0 and skip[k][0] <= start < skip[k][1]:
            continue
        was_first, first_line = first_line, False
        if was_first:
            title_line = line_start
        level = hinted.get(line_start)
        kind = "styled"
        md = _MD_HEADING.match(folded, start, end)
        if md is not None and level is None:
            level, start = md.group().count("#"), md.end()
        if level is not None:
            outline[line_start] = level
        if _NUMBERED_START.match(folded, start, end):
            continue  # a numbered heading: the markers give its place
        if level is None:
            # A plain line naming a part of the report, not the tail of a hard-wrapped sentence.
            if end - start > MAX_PART_LINE + 1:
                continue
            heading = folded[start:end].rstrip(":")
            if (not _PART_LINE.fullmatch(heading) or _TITLE_LIKE.search(heading)
                    or _continues_previous_line(folded, lines, i)
                    or not any(a < b and not folded[a:b].isspace() for a, b in _next_lines(lines, i, 3))):
                continue
            kind, level = "plain", 1
        elif was_first and (_TITLE_CUE_STRONG.search(folded, start, end) or _TITLE_LIKE.search(folded, start, end)):
            continue  # a title styled as a heading
        heading_end = end
        while heading_end > start and folded[heading_end - 1] in ":":
            heading_end -= 1
        stop = min(heading_end, start + MAX_HEADING)
        for j in range(start, stop):
            if folded[j] in "。!?;":
                stop = j
                break
        heading_end = _rstrip(text, start, stop)
        if heading_end <= start:
            continue
        rank = 0.0 if kind == "plain" else min(level, 5) - 0.5
        out.append(_Candidate(start, start, min(level, 5), 1, kind, rank=rank, heading_end=heading_end))
    plain = [c for c in out if c.kind == "plain"]
    if plain and lines.line_start(plain[0].start) == title_line:
        # The first line is the document's title (`下半年工作计划`), unless it is the first of
        # several parts the document names (`上半年工作总结` … `下半年工作打算`).
        if len(plain) == 1 or len(_kinds_named(text[plain[0].start:plain[0].heading_end])) > 1:
            out.remove(plain[0])
    return out, outline


_NUMBERED_START = re.compile(
    rf"(?:[{_CN}]{{1,3}}(?:、|\.(?!\d))|\([{_CN}\d]{{1,3}}\)|\d{{1,2}}[.、](?!\d)|[{_CIRCLED}]|[{_CN}]{{1,3}}是"
    rf"|第[{_CN}]{{1,3}}(?:部分|[,、:])|其[{_CN}]{{1,2}}[,、:]|首先|其次|再次|最后)"
)


def _continues_previous_line(folded: str, lines: _Lines, i: int) -> bool:
    """True when line i carries on a sentence the previous line broke off (hard-wrapped text):
    the previous line is long and ends inside a sentence."""
    if i == 0:
        return False
    a = lines.starts[i - 1]
    b = lines.starts[i] - 1
    while b > a and folded[b - 1] in _SPACE + "\r":
        b -= 1
    if b <= a or folded[b - 1] in "。!?;:)]】”’\"" or _NUMBERED_START.match(folded, a, b):
        return False  # blank, a finished sentence, or a numbered heading
    # A long line, or one with a comma, that stops mid-sentence was wrapped, not ended.
    return b - a > MAX_PART_LINE or folded.find(",", a, b) != -1


_TITLE_CUE_STRONG = re.compile(r"总结|报告|汇报|要点|述职")


def _next_lines(lines: _Lines, i: int, count: int):
    """Spans of up to `count` lines after line i."""
    for j in range(i + 1, min(i + 1 + count, len(lines.starts))):
        a = lines.starts[j]
        b = lines.starts[j + 1] - 1 if j + 1 < len(lines.starts) else lines.length
        yield a, b


def _table_rows(text: str) -> list[tuple[int, int]]:
    """Lines that are rows of a flattened table (cells joined by | or tabs): numbers there are data."""
    spans = []
    pos = 0
    n = len(text)
    while pos < n:
        end = text.find("\n", pos)
        if end == -1:
            end = n
        # Plain substring tests: a regex over a multi-megabyte line would backtrack quadratically.
        if text.find(" | ", pos, end) != -1 or text.find(" ｜ ", pos, end) != -1 or text.count("\t", pos, end) >= 2:
            spans.append((pos, end))
        pos = end + 1
    return spans


def _protected_mask(folded: str, lines: _Lines) -> bytearray:
    """1 for every position inside a quotation or a book title, paired within its line."""
    mask = bytearray(len(folded))
    pairs = (("“", "”", 400), ("《", "》", 120), ("\"", "\"", 200), ("‘", "’", 200), ("「", "」", 200))
    for opener, closer, limit in pairs:
        pos = folded.find(opener)
        while pos != -1:
            line_end = lines.line_end(pos)
            close = folded.find(closer, pos + 1, min(line_end, pos + 1 + limit))
            if close == -1:
                pos = folded.find(opener, pos + 1)
                continue
            mask[pos + 1:close] = b"\x01" * (close - pos - 1)
            pos = folded.find(opener, close + 1)
    return mask


# ---------------------------------------------------------------------------------------------
# Tree


def _context(folded: str, pos: int, line_start: int) -> str:
    """What precedes a marker: 'line', 'terminal', 'semicolon', 'colon', 'comma' or 'text'."""
    i = pos - 1
    while i >= line_start and folded[i] in _SPACE:
        i -= 1
    if i < line_start:
        return "line"
    if folded[i] == "#" and i - line_start < 6 and folded[line_start:i + 1] == "#" * (i + 1 - line_start):
        return "line"  # a Markdown heading: `## 一、主要工作`
    ch = folded[i]
    # A closing quote or bracket after a sentence end still ends the sentence: 。”二是…
    if ch in "”’\")）】" and i > line_start and folded[i - 1] in "。!?":
        return "terminal"
    if ch in "。!?":
        return "terminal"
    if ch == "." and i > line_start and ord(folded[i - 1]) > 0x2E80:
        return "terminal"
    if ch == ";":
        return "semicolon"
    if ch == ":":
        return "colon"
    if ch in ",、":
        return "comma"
    return "text"


def _accept(c: _Candidate, context: str, last_sibling: int | None) -> bool:
    continues = last_sibling is not None and (c.ordinal == last_sibling + 1 or (c.kind == "word" and c.ordinal == 0))
    starts_or_continues = c.ordinal == 1 or continues
    if c.kind == "circled":
        return True  # ①②③ are never anything but an enumeration
    if c.kind == "part":
        return context == "line"
    if c.level == 5:
        if c.kind == "word" and c.ordinal == 1 and not c.enumerated:
            return False  # a lone 首先 is an adverb, not an enumeration
        if context in ("line", "terminal", "semicolon", "colon"):
            return c.kind != "word" or starts_or_continues
        if context == "comma":
            return continues or c.enumerated
        return False
    if context == "line":
        return True
    if context == "terminal":
        return c.level <= 2 or starts_or_continues
    if context == "colon":
        # `…困难和问题：(一)投资增长后劲不足。` opens a section; `：（1）…；（2）…` is a list in a sentence.
        return c.level <= 2 and starts_or_continues
    if context == "semicolon":
        return continues
    return False


def _build(text: str, folded: str, lines: _Lines, candidates: list[_Candidate], doc_id: str,
           per_line: bool, noise: list[tuple[int, int]], protected: bytearray) -> tuple[list[_Draft], list[Anomaly], int]:
    drafts: list[_Draft] = []
    anomalies: list[Anomaly] = []
    stack: list[_Open] = []
    top_last: dict[int, int] = {}  # level -> last ordinal among top-level sections
    restarts = 0
    fused_at: int | None = None  # a fused child found inside the previous heading
    block_line = -1
    noise_iter = iter(noise)
    next_noise = next(noise_iter, None)

    def close_all(at: int) -> None:
        nonlocal top_last
        for o in stack:
            if drafts[o.index].end < 0:
                drafts[o.index].end = at
        stack.clear()
        top_last = {}

    for ci, c in enumerate(candidates):
        if drafts and c.start < drafts[-1].heading_start:
            continue  # inside the previous marker itself
        unnumbered = c.kind in _UNNUMBERED
        if unnumbered and (per_line or (drafts and c.start < drafts[-1].heading_end)):
            continue  # an excerpt collection has no parts; a heading line already taken by a marker
        while next_noise is not None and next_noise[0] <= c.start:
            close_all(next_noise[0])
            next_noise = next(noise_iter, None)
        line_no = lines.line_no(c.start)
        if per_line and line_no != block_line:
            close_all(lines.line_start(c.start))
            block_line = line_no
        if c.kind == "plain":
            _place_part_line(c, stack, drafts, text, candidates, ci)
        elif c.kind == "styled":
            _place_styled(c, stack)
        depth = len(stack)
        while depth and stack[depth - 1].rank >= c.rank:
            depth -= 1
        siblings = stack[depth - 1].children_last if depth else top_last
        key = _sibling_key(c)
        last_sibling = siblings.get(key)
        if unnumbered:
            accepted = True
        elif fused_at == c.start:
            accepted = True
        else:
            context = _context(folded, c.start, lines.line_start(c.start))
            accepted = _accept(c, context, last_sibling) and (c.kind != "part" or _part_heading_follows(folded, c, lines))
            if accepted and context == "line" and last_sibling is not None and c.ordinal <= last_sibling \
                    and c.kind != "word":
                restarts += 1
        fused_at = None
        if not accepted:
            continue
        _close_from(drafts, stack, c)  # only now: a rejected candidate must not close anything
        ordinal = c.ordinal
        if (c.kind == "word" and ordinal == 0) or unnumbered:
            ordinal = (last_sibling or 0) + 1
        # Unnumbered headings have no sequence to check.
        if not unnumbered and last_sibling is None and ordinal != 1:
            anomalies.append(Anomaly(doc_id, "sequence_starts_late",
                                     f"{text[c.start:c.end]} opens a sequence that has no earlier item",
                                     c.start, line_no))
        elif not unnumbered and last_sibling is not None and ordinal != last_sibling + 1:
            kind = "marker_restart" if ordinal <= last_sibling else "marker_skip"
            anomalies.append(Anomaly(doc_id, kind,
                                     f"{text[c.start:c.end]} follows item {last_sibling} of the same level",
                                     c.start, line_no))
        siblings[key] = ordinal
        parent = stack[-1] if stack else None
        if unnumbered:
            heading_start, heading_end, fused = c.start, c.heading_end, None
            part = text[heading_start:heading_end].replace("/", "／")
        else:
            part = _path_part(folded[c.start:c.end])
            heading_start, heading_end, fused = _heading(text, folded, lines, c, candidates, ci, protected)
        fused_at = fused
        draft = _Draft(
            start=c.start, marker_end=c.end, level=c.level, ordinal=ordinal, marker=text[c.start:c.end],
            heading_start=heading_start, heading_end=heading_end,
            parent=parent.index if parent else None,
            path=f"{drafts[parent.index].path}/{part}" if parent else part,
            line_no=line_no,
            family=c.kind,
        )
        drafts.append(draft)
        stack.append(_Open(len(drafts) - 1, c.level, c.rank, c.kind, c.outline))
    # Sections end at the first web-page leftover after them (share buttons, footer), else at the end.
    close_all(next_noise[0] if next_noise is not None else len(text))
    for d, nxt in zip(drafts, drafts[1:]):
        if d.heading_end > nxt.start:  # a heading runs up to the next marker: `一是资金不足，二是…`
            end = _rstrip(text, d.heading_start, nxt.start)
            while end > d.heading_start and text[end - 1] in "，,、；;：:":
                end = _rstrip(text, d.heading_start, end - 1)
            d.heading_end = end
    for d in drafts:
        d.end = max(_rstrip(text, d.start, d.end), d.heading_end)
    # A parent never ends before its last child (trailing whitespace trimmed differently).
    for d in reversed(drafts):
        if d.parent is not None and drafts[d.parent].end < d.end:
            drafts[d.parent].end = d.end
    return drafts, anomalies, restarts


def _close_from(drafts: list[_Draft], stack: list[_Open], c: _Candidate) -> None:
    while stack and stack[-1].rank >= c.rank:
        drafts[stack.pop().index].end = c.start


_UNNUMBERED = ("plain", "styled")


def _sibling_key(c: _Candidate) -> object:
    """Which sequence a candidate continues: numbered markers by level; parts and unnumbered
    headings count among their own kind (`第二部分` is not the sibling of `二、`)."""
    if c.kind == "part":
        return "part"
    if c.kind in _UNNUMBERED:
        return (c.kind, c.level)
    return c.level


def _place_styled(c: _Candidate, stack: list[_Open]) -> None:
    """An unnumbered heading with an outline level k from its source (Heading k, k `#`): the
    sibling of an open heading of level k, else one step below the nearest shallower one, else
    just above the numbered level k (so `Heading 1` holds `一、`, `Heading 2` sits under it)."""
    k = c.outline if c.outline is not None else c.level
    for o in reversed(stack):
        if o.outline is None:
            continue
        if o.outline == k:
            c.rank, c.level = o.rank, o.level
            return
        if o.outline < k:
            c.rank, c.level = o.rank + 0.5, min(5, o.level + 1)
            return


def _place_part_line(c: _Candidate, stack: list[_Open], drafts: list[_Draft], text: str,
                     candidates: list[_Candidate], ci: int) -> None:
    """Rank and level of a plain line naming a part (`存在的问题`, `下半年工作计划`).

    * after another such line still open: its sibling;
    * inside an open top-level section whose heading names this part's kind, when that heading
      names several parts (`三、存在问题及下步打算` then `存在的问题`, `下步打算`) or nothing has
      been numbered under it yet (`一、上半年工作情况` then `主要做法`): a sub-part, one level below;
    * followed by a fresh `一、` sequence: a part above it, closing everything open;
    * after numbered top-level sections (`一、` … `二、` … then `下半年工作计划`): their sibling;
    * otherwise a part of its own at the top, above any `一、` that follows it (rank 0).
    """
    for o in reversed(stack):
        if o.kind == "plain":
            c.rank, c.level = o.rank, o.level
            return
    nxt = next((n for n in candidates[ci + 1:ci + 40] if n.kind not in _UNNUMBERED), None)
    if stack and nxt is not None and nxt.kind == "cn" and nxt.ordinal == 1 and stack[0].rank >= 1:
        c.rank, c.level = 0.0, 1  # a fresh `一、` sequence follows: a part above it
        return
    if stack:
        top = stack[0]
        own = _own_kind(text[c.start:c.heading_end], 1)
        named = _kinds_named(text[drafts[top.index].heading_start:drafts[top.index].heading_end])
        # (Not under a level-5 item: a sub-part there would share its numbered parent's level.)
        if own in named and top.level < 5 and (len(named) >= 2 or not top.children_last):
            c.rank, c.level = top.rank + 0.5, min(5, top.level + 1)
            return
        c.rank, c.level = top.rank, top.level
        return
    c.rank, c.level = 0.0, 1


def _kinds_named(heading: str) -> set[str]:
    return {kind for kind, pattern in _KIND_CUES_TOP if pattern.search(heading)}


def _part_heading_follows(folded: str, c: _Candidate, lines: _Lines) -> bool:
    """`第一部分` opens a part when a heading follows it, not in `第一部分资金已到位。`."""
    line_end = lines.line_end(c.start)
    if c.end >= line_end or folded[c.end] in _SPACE or folded[c.end] in ":,、.-—":
        return True
    rest = folded[c.end:line_end]
    return len(rest) <= 30 and not any(ch in rest for ch in "。!?;,")


def _path_part(folded_marker: str) -> str:
    return folded_marker.rstrip("、.,:")


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _heading(text: str, folded: str, lines: _Lines, c: _Candidate, candidates: list[_Candidate],
             ci: int, protected: bytearray) -> tuple[int, int, int | None]:
    """Heading span after a marker, and the start of a fused child marker if one ends it."""
    line_end = lines.line_end(c.start)
    start = c.end
    # `一是：加强领导` / `1、 项目` — spaces and a stray colon or comma after a marker are not heading.
    while start < line_end and (folded[start] in _SPACE or folded[start] in ":,、"):
        start += 1
    stop = min(line_end, start + 10 * MAX_HEADING)
    m = _HEADING_STOP_RE.search(folded, start, stop)
    run_end = m.start() if m is not None else stop
    fused: int | None = None
    for k in range(ci + 1, len(candidates)):  # index, not a slice: a slice copies the tail every time
        nxt = candidates[k]
        if nxt.start >= run_end:
            break
        if nxt.start < start:
            continue
        if nxt.rank > c.rank and nxt.ordinal == 1 and nxt.kind != "word" and nxt.kind not in _UNNUMBERED:
            fused, run_end = nxt.start, nxt.start
            break
    if fused is None and c.level < 5:
        run_end = _body_cut(folded, start, run_end)
    comma = _first_comma(folded, start, run_end, protected)
    long_item = c.level >= 3 and (run_end - start > SHORT_ITEM or c.kind in ("word", "di", "qi"))  # 首先，要… is a sentence
    if comma - start >= 4 and not (comma - start <= 12 and _ADVERBIAL.match(folded, start)) and (long_item or run_end - start > LONG_HEADING or _QUANTITY.search(folded, comma, run_end)):
        # A first sentence that is long or goes on to give figures is the item's body; its title
        # is the opening clause (`一是紧盯臭氧污染防治，7月至9月开展…` -> `紧盯臭氧污染防治`),
        # while a two-part title stays whole (`(六)深化环境要素保障，服务经济发展`); items (levels
        # 3-5) are sentences more often than titles, so only a short one keeps its comma.
        run_end = comma
    if run_end - start > MAX_HEADING:
        run_end = start + MAX_HEADING
    end = _rstrip(text, start, run_end)
    footnote = _TRAILING_FOOTNOTE.search(folded, start, end)
    if footnote is not None:
        end = _rstrip(text, start, footnote.start())
    return start, end, fused


_TRAILING_FOOTNOTE = re.compile(r"(?:\[\d{1,3}\]|［\d{1,3}］)+$")


def _first_comma(folded: str, start: int, end: int, protected: bytearray) -> int:
    pos = folded.find(",", start, end)
    while pos != -1 and protected[pos]:
        pos = folded.find(",", pos + 1, end)
    return end if pos == -1 else pos


def _body_cut(folded: str, start: int, run_end: int) -> int:
    """Where a heading fused with its body ends: `全旗安全生产形势|截至目前,…`."""
    if run_end < len(folded) and folded[run_end] == ":":
        lead_in = _LEAD_IN.search(folded, start, run_end)
        if lead_in is not None and lead_in.start() > start:
            return lead_in.start()
    first_comma = folded.find(",", start, run_end)
    if first_comma == -1:
        return run_end
    # `截至6月底` / `截至目前` opens body text whatever the heading's last word (`农村公路建设截至6月底,…`).
    strong = _DATED_OPENING.search(folded, start + 4, first_comma)
    if strong is not None:
        return strong.start()
    for m in _HEADING_WORD.finditer(folded, start + 1, first_comma):
        p = m.end()
        if p >= first_comma or p - start < 2:
            continue
        if _BODY_OPENING.match(folded, p):
            return p
        # 情况 / 形势 close a heading; anything but a conjunction after them is body text.
        if m.group() in ("情况", "形势") and folded[p] not in "下和与及并、的中" and p - start >= 4:
            return p
    return run_end


# ---------------------------------------------------------------------------------------------
# Section kinds


def _own_kind(heading: str, level: int) -> str | None:
    """The kind a heading's own words name; the earliest cue wins (`存在问题及下步打算`)."""
    best: tuple[int, str] | None = None
    for kind, pattern in (_KIND_CUES_TOP if level == 1 else _KIND_CUES_DEEP):
        m = pattern.search(heading)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), kind)
    return best[1] if best else None


def _title_kind(text: str, drafts: list[_Draft]) -> str | None:
    """The one kind of part a document's title names (`下半年工作计划`, `xx局2024年工作要点`)."""
    title = _title(text[:5000])
    if not title or (drafts and text.find(title) >= drafts[0].start):
        return None
    named = _kinds_named(title)
    return named.pop() if len(named) == 1 else None


def _assign_kinds(text: str, drafts: list[_Draft], whole_document: bool, title_kind: str | None = None) -> None:
    """A heading's own cue wins at levels 1–2; otherwise a section inherits its parent's kind.

    What is still `other` at the top then takes the kind of the report's part it sits in: before
    the first problem/plan part, achievements (`_infer_review_part`); in a document whose title
    names one kind of part (`下半年工作计划`, `xx局2024年工作要点`), that kind.
    """
    for d in drafts:
        inherited = drafts[d.parent].kind if d.parent is not None else "other"
        if d.level >= 5 and inherited != "other":
            d.kind = inherited
            continue
        # A line naming a part of the report (`存在的问题`) reads like a level-1 heading whatever its place.
        cue_level = 1 if d.family in ("plain", "part") else d.level
        own = _own_kind(text[d.heading_start:d.heading_end], cue_level) if d.level <= 4 else None
        if own is not None and (d.level <= 2 or inherited == "other"):
            d.kind = own
        else:
            d.kind = inherited
    if whole_document:
        _infer_review_part(drafts)
    if title_kind is not None:
        for d in drafts:
            if d.kind == "other" and (d.parent is None or drafts[d.parent].kind == title_kind):
                d.kind = title_kind


def _infer_review_part(drafts: list[_Draft]) -> None:
    """Unlabelled top sections before a report's problems/plans part are its review of work done.

    A summary names its later parts (`四、存在的问题`, `五、下半年工作计划`) but often gives its
    achievements only topical headings (`一、对标先进,全面激活招商引资动能`); a reader takes
    everything before the first problem or plan part as achievements, and so do we.
    """
    tops = [d for d in drafts if d.parent is None]
    first_turn = next((i for i, d in enumerate(tops) if d.kind in ("problem", "plan")), None)
    if first_turn is None or first_turn == 0 or any(d.level != tops[0].level for d in tops[:first_turn + 1]):
        return
    relabel = {id(d) for d in tops[:first_turn] if d.kind == "other"}
    if not relabel:
        return
    for d in drafts:
        if id(d) in relabel or (d.parent is not None and id(drafts[d.parent]) in relabel and d.kind == "other"):
            d.kind = "achievement"
            relabel.add(id(d))


# ---------------------------------------------------------------------------------------------
# Web-page leftovers


_NOISE_LINE = re.compile(
    r"^\s*(?:"
    r".*【\s*字体[:：]?|.*字体[:：]\s*[【\[]?\s*大\s*[】\]]?\s*[【\[]?\s*中|.*字号[:：]\s*[大中小]"
    r"|.*【\s*(?:打印|关闭|收藏|返回顶部)|.*(?:打印本页|关闭窗口|打印此页|返回顶部|分享到|扫一扫在手机|微信扫一扫)"
    r"|.*(?:当前位置|您现在的位置|您的位置)\s*[:：]"
    r"|首页\s*[>＞»›/]"
    r"|.*(?:版权所有|ICP备|网站标识码|公网安备|网站地图|主办单位[:：]|承办单位[:：]|技术支持[:：])"
    r"|(?:上一篇|下一篇|相关链接|相关文章|相关阅读|附件下载)\s*[:：]?"
    r"|(?:索引号|发布机构|发文机关|成文日期|发布日期|发布时间|主题分类|文\s*号|信息来源|来源|浏览次数|访问次数|点击数|责任编辑|编辑|作者)\s*[:：|｜]"
    r")"
)
# _NOISE_LINE split in two, for speed (same lines): the `.*X` branches hold when X occurs anywhere
# in the line (it holds no newline), so one search replaces a scan of the line per branch. Every
# branch starts with a literal character (no group first): then `re` skips ahead to the next
# position holding one of those characters instead of trying the branches everywhere (7x faster).
_NOISE_ANYWHERE = re.compile(
    r"【\s*字体|字体[:：]\s*[【\[]?\s*大\s*[】\]]?\s*[【\[]?\s*中|字号[:：]\s*[大中小]"
    r"|【\s*(?:打印|关闭|收藏|返回顶部)|打印本页|关闭窗口|打印此页|返回顶部|分享到|扫一扫在手机|微信扫一扫"
    r"|当前位置\s*[:：]|您现在的位置\s*[:：]|您的位置\s*[:：]"
    r"|版权所有|ICP备|网站标识码|公网安备|网站地图|主办单位[:：]|承办单位[:：]|技术支持[:：]"
)
_NOISE_START = re.compile(
    r"\s*(?:首页\s*[>＞»›/]"
    r"|(?:上一篇|下一篇|相关链接|相关文章|相关阅读|附件下载)"
    r"|(?:索引号|发布机构|发文机关|成文日期|发布日期|发布时间|主题分类|文\s*号|信息来源|来源|浏览次数|访问次数|点击数|责任编辑|编辑|作者)\s*[:：|｜]"
    r")"
)
# Site navigation: five or more short CJK words separated by spaces, no punctuation at all.
_NAV_LINE = re.compile(r"^[\u4e00-\u9fff]{1,6}(?:[ \u3000\u00a0·|｜]+[\u4e00-\u9fff]{1,6}){4,}$")
_TOC_ENTRY = re.compile(r"(?:…{2,}|\.{4,}|·{3,}|-{4,}|_{4,})\s*\d{1,3}\s*$|\s\d{1,3}\s*$")
_TOC_HEAD = re.compile(r"^\s*目\s*录\s*$")
_ANNEX_HEAD = re.compile(r"^\s*附\s*件\s*\d{0,2}\s*[:：]")
_ANNEX_ITEM = re.compile(r"^\s*\d{1,2}\s*[.．、]\s*\S.{0,60}$")
_DATE_LINE = re.compile(r"^[（(]?\s*(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*[)）]?$")


# The last two texts' spans: extract() asks for a text's spans in parse_sections and again in
# split_sentences, and for its head's (the first 5000 characters, for the title) in
# document_attributes and again in parse_sections. Keyed by the text itself (compared by value).
_noise_cache: list[tuple[str, list[tuple[int, int]]]] = []


def boilerplate_spans(text: str) -> list[tuple[int, int]]:
    """Spans of lines that are not report body, in order: web-page leftovers, a table of contents,
    footnotes, an attachment list and the closing signature and date.

    They stay in the text (offsets) but yield no sections, and tasks/indicators should skip them.
    """
    cache = _noise_cache
    for cached_text, cached_spans in cache:
        if cached_text == text:  # identity first, then length, then memcmp: cheap either way
            return list(cached_spans)
    spans = _boilerplate_spans(text)
    cache.insert(0, (text, spans))
    del cache[2:]
    return list(spans)


def _boilerplate_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos = 0
    n = len(text)
    in_toc = in_annex = False
    toc_entries: set[str] = set()
    last_lines: list[tuple[int, int, str]] = []
    while pos < n:
        end = text.find("\n", pos)
        if end == -1:
            end = n
        line = text[pos:end]
        stripped = line.strip()
        noisy = False
        if len(line) <= 400 and stripped:
            if in_toc:
                key = _toc_key(stripped)
                entry_like = _TOC_ENTRY.search(stripped) or _NUMBERED.match(stripped)
                if key in toc_entries or not entry_like or "。" in stripped or len(stripped) > 60:
                    in_toc = False  # the body starts where the first entry repeats
                else:
                    toc_entries.add(key)
                    noisy = True
            if not noisy and _TOC_HEAD.match(line):
                in_toc, noisy = True, True
            elif not noisy and (_NOISE_START.match(line) or _NOISE_ANYWHERE.search(line) or _is_metadata_row(stripped)
                                or _FOOTNOTE_LINE.match(line) or _NAV_LINE.match(stripped)):
                noisy = True
            elif not noisy and ("…" in stripped or "....." in stripped) and _TOC_ENTRY.search(stripped):
                noisy = True
            if in_annex:
                in_annex = noisy = bool(_ANNEX_ITEM.match(line)) and "。" not in stripped
            if not noisy and _ANNEX_HEAD.match(line):
                # `附件：1.重点项目清单` and the attachment names under it close the body.
                in_annex, noisy = True, True
        if noisy:
            spans.append((pos, end))
        if stripped:
            last_lines.append((pos, end, stripped))
            del last_lines[:-3]
        pos = end + 1
    spans.extend(_signature_block(last_lines, spans))
    spans.sort()
    return spans


def _signature_block(last_lines: list[tuple[int, int, str]], spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The closing `xx市文化和旅游局` / `2023年7月5日` lines under a report's body."""
    if not last_lines or not _DATE_LINE.match(last_lines[-1][2]):
        return []
    block = [last_lines[-1]]
    for pos, end, line in reversed(last_lines[:-1]):
        if len(line) <= 30 and re.fullmatch(rf"[\u4e00-\u9fa5xX*＊○某（）()]{{2,30}}{_ORG}(?:[（(]\S{{1,8}}[)）])?", line):
            block.insert(0, (pos, end, line))
        else:
            break
    taken = set(spans)
    return [(p, e) for p, e, _ in block if (p, e) not in taken]


def _toc_key(line: str) -> str:
    return re.sub(r"[\s….·\-_]*\d{0,3}\s*$", "", line).replace(" ", "").replace("\u3000", "")


_META_KEYS = {"索引号", "发布机构", "发文机关", "成文日期", "发布日期", "主题分类", "主题词", "文号", "发文字号",
              "信息来源", "公开方式", "标题", "名称", "有效性", "公开时限"}
_FOOTNOTE_LINE = re.compile(r"^\s*(?:［\d{1,3}］|\[\d{1,3}\]|注\s*\d{1,3}\s*[:：])")


def _is_metadata_row(line: str) -> bool:
    if "|" not in line and "｜" not in line and "\t" not in line:
        return False
    cells = re.split(r"[|｜\t]", line)
    return any(c.strip().rstrip(":：").replace(" ", "") in _META_KEYS for c in cells)


# ---------------------------------------------------------------------------------------------
# Document attributes


_ORG = (r"(?:人民政府办公室|人民政府|办公室|委员会|管理委员会|管委会|街道办事处|办事处|分局|局|委|办|厅|中心|院|所|馆|站|队"
        r"|联合会|协会|总工会|公司|集团|部)")
_PLACE = r"(?:省|自治区|市|自治州|州|盟|地区|县|自治县|区|旗|镇|乡|苏木|街道)"
_DEPT = re.compile(rf"^(?:关于)?([\u4e00-\u9fa5xX*＊○某]{{2,30}}?{_ORG})(?=\d{{4}}|[*xX]{{1,4}}年|关于|上半年|下半年|全年|年度|工作|.{{0,4}}$|第|[一二三四]季度|1)")
_REGION = re.compile(rf"^((?:[\u4e00-\u9fa5xX*＊○某]{{1,10}}?{_PLACE})+)")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_MONTH_RANGE = re.compile(r"(\d{1,2})\s*[-—–~至到]\s*(\d{1,2})\s*月")
_CN_MONTH_RANGE = re.compile(r"([一二三四五六七八九十]{1,2})\s*[-—–~至到]\s*([一二三四五六七八九十]{1,3})\s*月")


def period_from_text(text: str) -> str | None:
    """The reporting period a phrase names: 上半年 -> H1, 1-5月份 -> M01-M05, 一季度 -> Q1 …"""
    folded = _fold(text)
    m = _MONTH_RANGE.search(folded)
    if m:
        lo, hi = int(m.group(1)), int(m.group(2))
        if 1 <= lo <= hi <= 12:
            if (lo, hi) == (1, 12):
                return "FY"
            return f"M{lo:02d}-M{hi:02d}"
    m = _CN_MONTH_RANGE.search(folded)
    if m:
        lo, hi = _cn_number(m.group(1)), _cn_number(m.group(2))
        if lo and hi and 1 <= lo <= hi <= 12:
            return "FY" if (lo, hi) == (1, 12) else f"M{lo:02d}-M{hi:02d}"
    if "上半年" in folded:
        return "H1"
    if "下半年" in folded:
        return "H2"
    if "前三季度" in folded:
        return "M01-M09"
    m = re.search(r"(?:第)?([一二三四1-4])\s*季度", folded)
    if m:
        q = m.group(1)
        return f"Q{_CN_DIGITS.get(q) or int(q)}"
    if re.search(r"全年|年度|年终|(?:19|20)\d{2}\s*年(?:工作|总结|述职)", folded):
        return "FY"
    m = re.search(r"(?<![\d-])(\d{1,2})\s*月份?(?:工作|总结|报告|情况)", folded)
    if m and 1 <= int(m.group(1)) <= 12:
        return f"M{int(m.group(1)):02d}"
    return None


def document_attributes(text: str) -> DocumentAttributes:
    """Title, department, region, year and period where the text states them."""
    head = text[:5000]
    metadata = _metadata_table(head)
    title = metadata.get("title") or _title(head)
    department = metadata.get("department")
    if department is None and title:
        m = _DEPT.match(title.translate(_FOLD).replace(" ", ""))
        if m:
            department = title.replace(" ", "")[m.start(1):m.end(1)]
    if department is None:
        department = _signature(text[-600:])
    region = None
    if department:
        m = _REGION.match(department)
        if m and m.end() < len(department):
            region = m.group(1)
            # `澜州市…`: a place ending in 州 is usually followed by its level (市, 县 …), except
            # in `…州市场监督管理局`.
            rest = department[m.end():]
            if rest[:1] in ("市", "县", "区", "旗", "盟") and not rest.startswith("市场") and len(rest) > 1:
                region += rest[0]
    year = period = None
    for source in filter(None, (title, head[:600])):
        folded = source.translate(_FOLD)
        phrase = folded if source is title else _first_clause(folded)
        if year is None:
            m = _YEAR.search(phrase)
            if m:
                year = int(m.group(1))
        if period is None:
            period = period_from_text(phrase)
        if year is not None and period is not None:
            break
    if year is None and metadata.get("date"):
        m = re.search(r"(19|20)\d{2}", metadata["date"])
        year = int(m.group()) if m else None
    return DocumentAttributes(title=title, department=department, region=region, year=year, period=period)


_PERIOD_PHRASE = re.compile(
    r"(?:19|20)\d{2}\s*年(?:度|以来|上半年|下半年|全年|前三季度|第?[一二三四1-4]季度|\d{1,2}\s*[-—–~至到]\s*\d{1,2}\s*月"
    r"|[一二三四五六七八九十]{1,2}\s*[-—–~至到]\s*[一二三四五六七八九十]{1,3}\s*月|\d{1,2}\s*月份?(?:工作|总结|报告|情况)"
    r"|(?:工作|总结|述职))"
)


def _first_clause(folded: str) -> str:
    """The first phrase naming a year and a period (`2023年上半年`): it describes the report,
    unlike a year in passing (`确保2024年水质达标`)."""
    m = _PERIOD_PHRASE.search(folded)
    return m.group() if m else ""


_TITLE_CUE = re.compile(r"工作总结|总结|工作报告|报告|工作情况|情况|计划|打算|要点|安排|汇报")
_NUMBERED = re.compile(rf"^\s*(?:[{_CN}]{{1,3}}、|[(（][{_CN}\d]{{1,3}}[)）]|\d{{1,2}}[.、．]|[{_CIRCLED}]|[{_CN}]{{1,3}}是)")


def _title(head: str) -> str | None:
    noise = boilerplate_spans(head)
    noise_starts = {s for s, _ in noise}
    pos = 0
    seen = 0
    previous: str | None = None
    for line in head.split("\n"):
        start, pos = pos, pos + len(line) + 1
        stripped = line.strip()
        if not stripped or start in noise_starts:
            continue
        seen += 1
        if seen > 6 or _NUMBERED.match(stripped):
            return None
        if len(stripped) <= 60 and not re.search(r"[。；;]", stripped) and not stripped.endswith(("：", ":")):
            if _TITLE_CUE.search(stripped):
                if previous and re.search(rf"{_ORG}$", previous) and len(previous) <= 30:
                    return previous + stripped
                return stripped
            previous = stripped
            continue
        return None
    return None


def _signature(tail: str) -> str | None:
    """A department named on its own line near the end, above the date (a signature block)."""
    lines = [ln.strip() for ln in tail.split("\n") if ln.strip()]
    for line in reversed(lines[-4:]):
        if len(line) <= 30 and re.fullmatch(rf"[\u4e00-\u9fa5xX*＊○某]{{2,28}}{_ORG}", line):
            return line
    return None


def _metadata_table(head: str) -> dict[str, str]:
    """Fields of a web page's metadata table flattened into `key | value` rows."""
    found: dict[str, str] = {}
    keys = {"发布机构": "department", "发文机关": "department", "标题": "title", "名称": "title",
            "成文日期": "date", "发布日期": "date"}
    rows = head.split("\n")
    for n, line in enumerate(rows):
        if "|" not in line and "｜" not in line and ":" not in line and "：" not in line:
            continue
        cells = [c.strip() for c in re.split(r"[|｜]", line)]
        bare = [c.rstrip(":：").replace(" ", "") for c in cells]
        if len(cells) >= 2 and all(b in _META_KEYS for b in bare):
            # A header row of keys (`索引号 | 发布机构 | 成文日期`): the values are the next row's cells.
            values = [c.strip() for c in re.split(r"[|｜]", rows[n + 1])] if n + 1 < len(rows) else []
            if len(values) == len(cells):
                for key, value in zip(bare, values):
                    field_name = keys.get(key)
                    if field_name and value and field_name not in found:
                        found[field_name] = value
            continue
        for i, cell in enumerate(cells):
            key, sep, value = cell.partition("：") if "：" in cell else cell.partition(":")
            key = key.strip()
            if not sep:
                key, value = cell, cells[i + 1] if i + 1 < len(cells) else ""
            field_name = keys.get(key.replace(" ", ""))
            if field_name and value.strip() and field_name not in found:
                found[field_name] = value.strip()
    return found
