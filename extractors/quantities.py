"""Indicators: every quantity a report mentions, with what it measures and how it is qualified.

One compiled regex finds candidate quantities in a single pass over the text; each candidate is
then checked against the contract's list of what is not an indicator (years, dates, ordinals,
route codes, names in 《》 or short quotes) and read in its clause for subject, comparison,
direction and status. Nothing rewrites the text, so `text[char_start:char_end] == quantity_text`.

Row conventions (the contract leaves these to us; dbt and the expectations rely on them):
- `value` is the figure as written, in `unit` as written (1972.95 for 1972.95万元). Units keep
  their magnitude (万元, 万人, 万亩); normalisation to base units lives in the dbt seed
  `dbt_project/seeds/units.csv`, never here.
- `value_low` / `value_high` bound the true value as far as the text says: both equal `value`
  for exact and approximate figures; a range fills both ends and `value` holds its lower end;
  `at_least` / `more_than` fill only `value_low`, `at_most` / `less_than` only `value_high`.
- Masked figures (`xx.x%`, `*家`) have `is_masked` true and all three values null, but keep unit,
  subject, qualifier and status.
- `与去年同期相比持平` ("flat year on year", no number) is a row of its own: quantity_text `持平`,
  no value and no unit, `is_masked` false, comparison `year_on_year`, direction `flat`, subject the
  figure it compares (e.g. 化肥供应量). The level figure beside it stays a plain `none` row.
- `百分之十`, `一半`, `三分之一` are written in unit `%` (there is no unit token to keep).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from extractors.numbers import (
    ARABIC,
    CHINESE,
    MASKED,
    NumeralError,
    adjacent_digit_range,
    chinese_has_digit,
    fraction_value,
    is_masked,
    parse_number,
)
from extractors.records import Indicator, Section, Sentence, Task
from extractors.tasks import FUTURE_JIANG

# Units as written, by kind. Magnitude prefixes (万, 亿) are matched separately and kept in the
# written unit; MAGNITUDE_KINDS says which kinds take them. Keep in step with units.csv (a test
# checks that every unit this module can emit has a seed row).
UNITS_BY_KIND: dict[str, tuple[str, ...]] = {
    "currency": ("元", "千元", "美元"),
    "percent": ("%", "％", "‰", "个百分点", "百分点", "成"),
    "count": (
        "人次", "人", "家次", "家", "户次", "户", "个次", "辆次", "个", "项", "次", "处", "条", "所", "座", "批次",
        "批", "份", "名", "件", "本", "场次", "场", "台", "辆", "套", "张", "起", "例", "栋",
        "幢", "间", "篇", "册", "艘", "架次", "架", "支", "株", "棵", "头", "只", "种", "类", "期",
        "宗", "轮", "组", "位", "节", "单", "盏", "口", "所次", "车次", "班次", "课时", "学时",
    ),
    "area": ("平方公里", "平方米", "平米", "㎡", "公顷", "亩"),
    "volume": ("立方米", "方"),
    "mass": ("吨", "公斤", "千克", "斤"),
    "power": ("千瓦", "兆瓦", "MW", "kW", "KW", "GW"),
    "voltage": ("千伏", "kV", "KV"),
    "energy": ("千瓦时", "kWh", "度"),
    "length": ("公里", "千米", "延米", "米", "km"),
    "duration": ("个工作日", "工作日", "个月", "小时", "分钟", "天", "年"),
    "ratio": ("倍",),
    "concentration": ("微克/立方米", "毫克/立方米", "毫克/升"),
}
# Rates written as unit/denominator (`2万吨/日`, `300元/亩`): which denominators each kind takes.
RATE_DENOMINATORS: dict[str, tuple[str, ...]] = {
    "currency": ("人", "亩", "户", "吨", "平方米", "年", "月"),
    "mass": ("日", "天", "年", "小时"),
    "volume": ("日", "天", "年", "小时"),
    "energy": ("年",),
}
MAGNITUDES = ("万亿", "万", "亿")
MAGNITUDE_KINDS = frozenset({"currency", "count", "area", "volume", "mass", "power", "energy", "length"})

_UNIT_KIND = {u: k for k, units in UNITS_BY_KIND.items() for u in units}
# `方` (cubic metres) and `度` (kWh) are too ambiguous alone; they only count after 万/亿 or a
# clear number, and never after a Chinese numeral (`三方`, `一度`).
_CN_FORBIDDEN_UNITS = frozenset({"方", "度", "期", "单", "口", "位", "节", "类", "种", "组"})


def emitted_units() -> set[str]:
    """Every `unit` string this module can write (checked against the dbt units seed)."""
    units = set(_UNIT_KIND) | {"%"} | set(MAGNITUDES)
    for unit, kind in _UNIT_KIND.items():
        written = {unit} | ({m + unit for m in MAGNITUDES} if kind in MAGNITUDE_KINDS else set())
        units |= written
        units |= {w + "/" + d for w in written for d in RATE_DENOMINATORS.get(kind, ())}
    return units


# A unit that is really the first character of a longer word: `项目`, `人员`, `台账`, `处理`.
_UNIT_NOT_BEFORE: dict[str, str] = {
    "项": "目", "人": "民员口才大社工均", "个": "性体", "条": "例件款", "处": "理置罚室长级",
    "所": "以有在属得", "座": "谈", "批": "复准示", "份": "额", "户": "籍口外型", "本": "地级届次年月部",
    "场": "所地景馆", "台": "账风", "期": "间限刊货", "起": "草来步诉点", "种": "植养子业",
    "类": "似型", "位": "于置列", "天": "然气津", "支": "持付出", "组": "织建成长", "成": "为立效果本员熟功都交",
    "张": "家", "只": "有是要能", "头": "部", "家": "庭长属", "单": "位元独", "间": "隔", "口": "岸径号",
    "节": "能约点日", "度": "假", "方": "面式案向法", "年": "级度", "米": "粮", "宗": "教旨", "轮": "胎",
    "名": "单称义",
}
# `三年行动`, `九年义务教育`: a number of years naming a programme, not a duration.
_YEAR_NAME_AFTER = re.compile(r"年(?:行动|计划|规划|攻坚|工程|方案|义务|一贯|专项|整治|提升|倍增|会战|大)")

_PREFIX = (
    r"(?P<pre>不低于|不少于|不超过|不高于|不多于|不足|不到|低于|高于|超过|多于|少于|达到|大约|接近|将近"
    r"|至少|最少|最多|至多|约|近|逾|超)?"
)
_UNIT_ALT = "|".join(re.escape(u) for u in sorted(_UNIT_KIND, key=len, reverse=True))
_NUM = rf"(?:(?<![A-Za-z0-9０-９.．]){ARABIC}|(?<![A-Za-z0-9０-９]){MASKED}|{CHINESE})"
_SEP = r"[—–\-~～至到]"
QUANTITY_RE = re.compile(
    # Cheap first check: most positions are not the start of a figure.
    r"(?=[不低高超多少达大接将至最约近逾百半0-9０-９xXｘＸ*＊零〇一二两三四五六七八九十千])"
    + _PREFIX
    + r"(?:"
    + rf"(?P<pct>百分之)(?P<pn>{_NUM})"
    + rf"|(?P<fd>{_NUM})分之(?P<fn>{_NUM})"
    + r"|(?P<half>一半|半数)"
    + rf"|(?P<n1>{_NUM})(?:(?P<m1>万|亿)?(?P<u1>%|％)?(?P<sep>{_SEP})(?P<n2>{_NUM}))?"
    # A figure needs a unit or a magnitude (`xxx万`); requiring it in the pattern keeps the
    # thousands of bare numeral characters (`统一`, `一是`) from becoming matches at all.
    + rf"(?P<fz1>余|多|几)?(?:(?P<mag>万亿|万|亿)(?P<fz2>余|多)?(?P<unit>{_UNIT_ALT})?|(?P<unit2>{_UNIT_ALT}))"
    + r"(?:/(?P<per>日|天|年|月|小时|人|亩|户|吨|平方米))?"
    + r")"
    + r"(?P<post>左右|上下|以上|以内|以下)?"
)

_PRE_QUALIFIER = {
    "不低于": "at_least", "不少于": "at_least", "达到": "at_least", "至少": "at_least", "最少": "at_least",
    "超过": "more_than", "高于": "more_than", "多于": "more_than", "逾": "more_than", "超": "more_than",
    "不超过": "at_most", "不高于": "at_most", "不多于": "at_most", "最多": "at_most", "至多": "at_most",
    "不足": "less_than", "不到": "less_than", "低于": "less_than", "少于": "less_than",
    "约": "approx", "近": "approx", "大约": "approx", "接近": "approx", "将近": "approx",
}
_POST_QUALIFIER = {"左右": "approx", "上下": "approx", "以上": "at_least", "以内": "at_most", "以下": "at_most"}
# `最近3天` is "the last 3 days", not "nearly 3 days"; `签约3个` is "signed 3", not "about 3".
_NOT_QUALIFIER_AFTER = {"近": "最附就接将邻靠亲贴", "约": "签合预节制公条契邀相特履违简集", "超": "赶"}

# Regions where nothing is an indicator: plan/document names and short quoted slogans
# (`“四个清单”`, `“两个维护”`).
_NAME_RE = re.compile(r"《[^》\n]{0,80}》|“[^”\n]{1,8}”|\"[^\"\n]{1,8}\"")
# Clause and sentence boundaries as written (ASCII commas are common in these files).
_CLAUSE_BREAK = "，,；;。！？!?：:\n"
_SENTENCE_END_RE = re.compile(r"[。！？!?；;\n]")
_FLAT_RE = re.compile(r"持平")
_YEAR_RE = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})年(?!以来)")

_YOY_BASE = re.compile(r"同比|比上年|较上年|比去年|较去年|去年同期|上年同期|较同期|比同期|与上年相比|与去年相比")
_OTHER_BASE = re.compile(r"环比|较年初|比年初|较上月|比上月|较上季|较上半年")
# A change verb right before the figure; `新增3条` is "3 new", not a change, so no single 增.
_UP_RE = re.compile(r"(?:增长|增加|提高|提升|上升|上涨|增幅|增速|多)(?:了)?(?:约|近|超过|达到|达|为)?$")
_DOWN_RE = re.compile(r"(?:下降|减少|降低|回落|下滑|缩小|缩减|下调|减少了|降幅)(?:了)?(?:约|近|超过|达到|达|为)?$")
_GROWTH_AFTER = re.compile(r"(?:的)?(?:增速|增幅|增长率)")
_TARGET_PHRASE = re.compile(r"(?:完成|占|达)(?:年度|全年|上级下达的?)?(?:目标任务|目标|任务|计划)(?:的)?$|(?:目标完成率|任务完成率|计划完成率)(?:为|达)?$")
_SHARE_CUE = re.compile(r"占比|占|比重|比例|率|覆盖|份额")
# What makes a figure a promise rather than an observation.
_TARGET_CUE = re.compile(r"确保|力争|计划|预计|争取|力求|拟|有望|要求|目标是|目标为|目标值|设定|" + FUTURE_JIANG)
_ACTUAL_CUE = re.compile(r"已经|已|截至目前|截止目前|截至|截止|目前|累计")
_TARGET_AFTER = re.compile(r"[^，,；;。！？!?\n]{0,8}?(?:设定|为目标|的目标)")

# Subject clean-up: leading fillers and trailing verbs/copulas around the figure.
_SUBJECT_LEAD = re.compile(
    r"^(?:(?:19|20)[0-9]{2}年度?|[xX*]{4}年度?|[0-9]{1,2}[-—至][0-9]{1,2}月份?|[0-9]{1,2}月份?|其中|"
    r"共计|共|累计|合计|总计|目前|截至目前|截止目前|今年以来|今年来|今年|上半年|下半年|全年|一季度|二季度|"
    r"三季度|四季度|春季学期|秋季学期|同时|此外|另外|并且|并|已有|还|先后|全市|全县|全区|全旗|全省|全镇|"
    r"我县|我区|我市|我旗|我省|我局|确保|力争|争取|计划|预计|力求|实现|要|将|其|和|及|与)+"
)
_SUBJECT_TAIL = re.compile(
    r"(?:同比|较去年同期|比去年同期|较上年同期|比上年同期|与去年同期相比|与上年同期相比|比上年|较上年|比去年|较去年|较同期|环比)?"
    r"(?:增长|增加|提高|提升|上升|下降|减少|降低|回落|下滑|压缩|缩短)?(?:了|至|到)?"
    r"(?:仅为|约为|分别为|分别|均为|仅有|只有|仅|为|是|达到|达|共计|共|合计|累计|总计|计|完成|实现|有|保持在|保持|控制在|在|的)*$"
)
_SUBJECT_SUM = re.compile(r"(?:共计|合计|累计|总计|(?<![公总])共(?![同享建治赢识产]))")
_SUBJECT_AFTER_STOP = re.compile(r"[，,；;。：:！？!?、的和及与等被为（()）\n0-9xX*]|运行|进行|开展|实施|分别|全部|已|在(?![建谈施])|上|处于|中$")
# Where a subject cannot reach back past: clause breaks, list commas, brackets.
_SUBJECT_BREAK = "，,；;。！？!?：:\n、（()）"
_MARKER_LEAD = re.compile(r"^(?:[一二三四五六七八九十]+是|[0-9]{1,2}[.．、]|[(（][一二三四五六七八九十0-9]{1,3}[)）]|[一二三四五六七八九十]+、|[①-⑳])")


@dataclass(slots=True)
class _Candidate:
    start: int
    end: int
    value: float | None
    low: float | None
    high: float | None
    unit: str | None
    qualifier: str
    masked: bool
    comparison: str = "none"
    direction: str | None = None
    flat: bool = False


def _read_match(m: re.Match[str], text: str) -> _Candidate | None:
    """Turn one regex match into a candidate, or None when it is not a quantity."""
    start, end = m.start(), m.end()
    pre = m.group("pre")
    if pre in _NOT_QUALIFIER_AFTER and start > 0 and text[start - 1] in _NOT_QUALIFIER_AFTER[pre]:
        pre, start = None, start + len(pre)
    num_start = start + (len(pre) if pre else 0)
    if num_start > 0 and text[num_start - 1] == "第":  # ordinals: 第一批, 第3名
        return None
    post = m.group("post")
    qualifier = _PRE_QUALIFIER.get(pre) if pre else None

    if m.group("half"):
        return _Candidate(start, end, 50.0, 50.0, 50.0, "%", qualifier or _POST_QUALIFIER.get(post, "exact"), False)
    if m.group("pct") or m.group("fd"):
        try:
            if m.group("pct"):
                tok = m.group("pn")
                if tok[0] in "零〇一二两三四五六七八九十百千" and not chinese_has_digit(tok):
                    return None
                value = parse_number(tok)
            else:
                if is_masked(m.group("fd")) or is_masked(m.group("fn")):
                    value = None
                else:
                    value = fraction_value(m.group("fd"), m.group("fn"))
        except NumeralError:
            return None
        return _bounded(start, end, value, "%", qualifier or _POST_QUALIFIER.get(post), m.group("pn") and is_masked(m.group("pn")))

    n1, n2 = m.group("n1"), m.group("n2")
    mag = m.group("mag")
    unit_group = "unit" if m.group("unit") is not None else "unit2"
    unit = m.group(unit_group)
    if n1 is None:
        return None
    chinese = n1[0] in "零〇一二两三四五六七八九十百千万亿"
    if chinese and not chinese_has_digit(n1):
        return None
    if unit is None and mag is None:
        if n2 is not None and m.group("m1"):  # `1万—2万` with no unit: not a quantity we can read
            return None
        return None
    if unit is None and chinese:  # `千万工程`, `百亿项目`: idioms
        return None
    if unit is not None:
        kind = _UNIT_KIND[unit]
        unit_end = m.end(unit_group)
        nxt = text[unit_end] if unit_end < len(text) else ""
        if nxt and nxt in _UNIT_NOT_BEFORE.get(unit, ""):
            return None
        if unit in {"MW", "kW", "KW", "GW", "kV", "KV", "kWh", "km"} and nxt.isascii() and nxt.isalpha():
            return None
        if chinese and unit in _CN_FORBIDDEN_UNITS:
            return None
        if mag and kind not in MAGNITUDE_KINDS:
            # `3万%` is nonsense; `3万个` is fine (count takes magnitudes).
            return None
        if unit in {"方", "度"} and not mag:
            return None
        if unit == "年":
            if not _is_duration_year(n1, n2, text, m.start(unit_group), pre):
                return None
        if chinese and n1 == "一" and n2 is None and not mag and not _single_one_ok(unit, kind, text, unit_end):
            return None
    written_unit = (mag or "") + (unit or "")
    per = m.group("per")
    if per:
        if unit is None or per not in RATE_DENOMINATORS.get(_UNIT_KIND[unit], ()):
            return None
        written_unit += "/" + per
    masked = is_masked(n1) or (n2 is not None and is_masked(n2))
    fuzzy = m.group("fz1") or m.group("fz2")
    try:
        if n2 is not None:
            low, high = parse_number(n1), parse_number(n2)
            if masked:  # `5-x家`: one hidden end hides the range
                return _Candidate(start, end, None, None, None, written_unit, "range", True)
            if high < low:
                return None  # `5-3个` is not a range we understand
            return _Candidate(start, end, low, low, high, written_unit, "range", False)
        rng = adjacent_digit_range(n1) if chinese and not fuzzy else None
        if rng:
            return _Candidate(start, end, rng[0], rng[0], rng[1], written_unit, "range", False)
        value = parse_number(n1)
    except NumeralError:
        return None
    if qualifier is None:
        qualifier = _POST_QUALIFIER.get(post) if post else None
    if qualifier is None and fuzzy:
        qualifier = "more_than" if fuzzy == "几" else "approx"
    return _bounded(start, end, value, written_unit, qualifier, masked)


def _bounded(start: int, end: int, value: float | None, unit: str, qualifier: str | None, masked: bool | None) -> _Candidate:
    """Fill value_low/value_high from the qualifier (see the module docstring)."""
    qualifier = qualifier or "exact"
    if value is None:  # only masked figures have no value here
        return _Candidate(start, end, None, None, None, unit, qualifier, True)
    low = value if qualifier in {"exact", "approx", "at_least", "more_than"} else None
    high = value if qualifier in {"exact", "approx", "at_most", "less_than"} else None
    return _Candidate(start, end, value, low, high, unit, qualifier, False)


def _is_duration_year(n1: str, n2: str | None, text: str, unit_pos: int, pre: str | None) -> bool:
    """`3年` can be a duration; `2024年`, `*年`, `xxxx年` and `三年行动` are not."""
    if is_masked(n1) or (n2 and is_masked(n2)):
        return False
    digits = n1.strip()
    if len(digits) >= 3 or any(c in "〇零" for c in digits):
        return False
    if _YEAR_NAME_AFTER.match(text, unit_pos):
        return False
    try:
        value = parse_number(n1)
    except NumeralError:
        return False
    return value is not None and 0 < value < 100


def _single_one_ok(unit: str, kind: str, text: str, after: int) -> bool:
    """A lone `一` is usually an article (`一批`, `一次性`, `一件事`); keep only real measures."""
    if text.startswith("一", after) or text.startswith("一", after + 1):  # 一户一策, 一村一品
        return False
    return kind in {"currency", "area", "mass", "power", "energy", "length", "volume", "percent"} or unit in {"座", "所", "名", "人次", "家次"}


class _Lookup:
    """Offsets to containing rows, by bisection over starts (rows are sorted by construction)."""

    def __init__(self, starts: list[int], ends: list[int]) -> None:
        self.starts, self.ends = starts, ends

    def find(self, pos: int) -> int | None:
        i = bisect.bisect_right(self.starts, pos) - 1
        if i >= 0 and pos < self.ends[i]:
            return i
        return None


def _innermost_sections(sections: list[Section]) -> tuple[list[int], list[str | None]]:
    """Flatten nested sections into disjoint intervals, each labelled with its deepest section."""
    points: list[int] = []
    labels: list[str | None] = []
    # Sweep boundaries in order; the deepest open section at each point wins.
    events: list[tuple[int, int, int, Section]] = []
    for s in sections:
        if s.char_end > s.char_start:
            events.append((s.char_start, 1, -s.char_end, s))
            events.append((s.char_end, 0, 0, s))
    events.sort(key=lambda e: (e[0], e[1], e[2]))
    open_stack: list[Section] = []
    for pos, kind, _, s in events:
        if kind == 0:
            if s in open_stack:
                open_stack.remove(s)
        else:
            open_stack.append(s)
        label = open_stack[-1].section_id if open_stack else None
        if points and points[-1] == pos:
            labels[-1] = label
        else:
            points.append(pos)
            labels.append(label)
    return points, labels


def section_at(points: list[int], labels: list[str | None], pos: int) -> str | None:
    i = bisect.bisect_right(points, pos) - 1
    return labels[i] if i >= 0 else None


def _sentence_bounds(text: str, sentences: list[Sentence]) -> tuple[list[int], list[int]]:
    if sentences:
        ordered = sorted(sentences, key=lambda s: s.char_start)
        return [s.char_start for s in ordered], [s.char_end for s in ordered]
    # Fallback when no sentence splitter ran: split at sentence-ending punctuation and newlines.
    starts, ends, prev = [], [], 0
    for m in _SENTENCE_END_RE.finditer(text):
        starts.append(prev)
        ends.append(m.end())
        prev = m.end()
    if prev < len(text):
        starts.append(prev)
        ends.append(len(text))
    return starts, ends


def _clause_start(text: str, pos: int, floor: int) -> int:
    i = pos - 1
    while i >= floor and text[i] not in _CLAUSE_BREAK:
        i -= 1
    return i + 1


def _clause_end(text: str, pos: int, ceil: int) -> int:
    i = pos
    while i < ceil and text[i] not in _CLAUSE_BREAK:
        i += 1
    return i


def _clean_subject(raw: str) -> str:
    """Strip fillers (`其中`, `共`, `目前`, markers) and copulas (`为`, `达到`) around a noun phrase."""
    s = _MARKER_LEAD.sub("", raw.strip()).strip("“”\"'")
    options = []
    last_sum = None
    for last_sum in _SUBJECT_SUM.finditer(s):
        pass
    if last_sum is not None:
        options.append(s[last_sum.end():])  # `各专项领域共排查企业` → `排查企业`
    options.append(s)
    for option in options:
        prev = None
        while prev != option:
            prev = option
            option = _SUBJECT_TAIL.sub("", option)
            option = _SUBJECT_LEAD.sub("", option)
            option = option.strip("“”\"'、 ")
        if option and option not in {"已", "已经"}:
            return option.replace("“", "").replace("”", "")
    return ""


def _subject_after(text: str, end: int, ceil: int) -> str:
    window = text[end:min(ceil, end + 16)].lstrip("“”\"'的")
    window = window.replace("”", "").replace("“", "")
    m = _SUBJECT_AFTER_STOP.search(window)
    after = window[: m.start()] if m else window[:12]
    # `剩余28个正在推进`: what follows is a verb phrase, not the noun the count classifies.
    if len(after) < 2 or after[0] in "正已将均全都还也再并可仍未共":
        return ""
    return after


def _classify(text: str, cand: _Candidate, clause_start: int, clause_end: int) -> None:
    """comparison and direction, from the words right before (and, for growth rates, after)."""
    prefix = text[clause_start:cand.start]
    tail = prefix[-14:]
    unit = cand.unit or ""
    is_pct = unit in {"%", "％", "‰"}
    if cand.flat:
        cand.comparison, cand.direction = "year_on_year", "flat"
        return
    if _TARGET_PHRASE.search(tail):
        cand.comparison = "vs_target"
        return
    up, down = _UP_RE.search(tail), _DOWN_RE.search(tail)
    if not (up or down) and (is_pct or unit.endswith("百分点")) and _GROWTH_AFTER.match(text, cand.end):
        up = _GROWTH_AFTER.match(text, cand.end)
    if up or down:
        cand.direction = "up" if up and (not down or up.start() > down.start()) else "down"
        if _YOY_BASE.search(prefix):
            cand.comparison = "year_on_year"
        elif (is_pct or unit.endswith("百分点")) and not _OTHER_BASE.search(prefix):
            cand.comparison = "year_on_year"  # a bare growth rate is year on year in Chinese statistics
        return
    if _YOY_BASE.search(tail):
        cand.comparison = "year_on_year"
        return
    if is_pct or unit == "成":
        cand.comparison = "share"


def _status(text: str, cand_start: int, cand_end: int, sent_start: int, clause_start: int, clause_end: int, section_kind: str | None) -> str:
    # A cue governs the list that follows it (`计划引进12人,招聘60人`), within reason.
    prefix = text[max(sent_start, cand_start - 120):cand_start]
    clause_prefix = text[clause_start:cand_start]
    if section_kind == "plan":
        return "actual" if _ACTUAL_CUE.search(clause_prefix) else "target"
    last_target = None
    for last_target in _TARGET_CUE.finditer(prefix):
        pass
    if _TARGET_AFTER.match(text, cand_end, clause_end):
        return "target"
    if last_target is None:
        return "actual"
    for a in _ACTUAL_CUE.finditer(prefix, last_target.end()):
        return "actual"
    return "target"


def _period_year(text: str, sent_start: int, pos: int, heading_years: int | None, report_year: int | None) -> int | None:
    year = None
    for m in _YEAR_RE.finditer(text, sent_start, pos):
        before = text[max(sent_start, m.start() - 1):m.start()]
        if before in {"比", "较", "与"}:
            continue
        year = int(m.group(1))
    if year is not None:
        return year
    return heading_years if heading_years is not None else report_year


def _section_years(text: str, sections: list[Section]) -> dict[str, int]:
    """A year in a heading (`一、2023年上半年…`) dates the figures under it."""
    years: dict[str, int] = {}
    by_id = {s.section_id: s for s in sections}
    for s in sorted(sections, key=lambda s: s.level):
        m = _YEAR_RE.search(s.heading or "")
        if m:
            years[s.section_id] = int(m.group(1))
        elif s.parent_section_id and s.parent_section_id in years:
            years[s.section_id] = years[s.parent_section_id]
        elif s.parent_section_id in by_id:
            parent = by_id[s.parent_section_id]
            pm = _YEAR_RE.search(parent.heading or "")
            if pm:
                years[s.section_id] = int(pm.group(1))
    return years


def find_quantities(text: str) -> list[_Candidate]:
    """All quantity candidates in document order, with the not-an-indicator rules applied."""
    names = [(m.start(), m.end()) for m in _NAME_RE.finditer(text)]
    name_starts = [a for a, _ in names]
    out: list[_Candidate] = []
    for m in QUANTITY_RE.finditer(text):
        if m.end() == m.start():
            continue
        cand = _read_match(m, text)
        if cand is None:
            continue
        i = bisect.bisect_right(name_starts, cand.start) - 1
        if i >= 0 and cand.end <= names[i][1]:
            continue
        out.append(cand)
    for m in _FLAT_RE.finditer(text):
        # Only a stated comparison is a figure: `与去年同期相比持平`, `同比持平`.
        back = text[max(0, m.start() - 16):m.start()]
        if _YOY_BASE.search(back) or "同期" in back:
            out.append(_Candidate(m.start(), m.end(), None, None, None, None, "exact", False, flat=True))
    out.sort(key=lambda c: c.start)
    return out


def extract_indicators(
    text: str,
    doc_id: str,
    sections: list[Section],
    sentences: list[Sentence],
    tasks: list[Task],
    report_year: int | None,
) -> list[Indicator]:
    """Every quantity in `text`, in document order, as contract rows."""
    cands = find_quantities(text)
    if not cands:
        return []
    sec_points, sec_labels = _innermost_sections(sections)
    sec_by_id = {s.section_id: s for s in sections}
    heading_years = _section_years(text, sections)
    s_starts, s_ends = _sentence_bounds(text, sentences)
    sentence_lookup = _Lookup(s_starts, s_ends)
    ordered_tasks = sorted(tasks, key=lambda t: t.char_start)
    task_lookup = _Lookup([t.char_start for t in ordered_tasks], [t.char_end for t in ordered_tasks])
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    rows: list[Indicator] = []
    prev_subject: tuple[int, str] | None = None  # (sentence index, subject)
    prev_end = 0
    for cand in cands:
        si = sentence_lookup.find(cand.start)
        if si is not None:
            sent_start, sent_end = s_starts[si], s_ends[si]
        else:
            sent_start, sent_end = cand.start, cand.end
        c_start = _clause_start(text, cand.start, sent_start)
        c_end = _clause_end(text, cand.end, sent_end)
        _classify(text, cand, c_start, c_end)
        section_id = section_at(sec_points, sec_labels, cand.start)
        section = sec_by_id.get(section_id) if section_id else None
        status = _status(text, cand.start, cand.end, sent_start, c_start, c_end, section.section_kind if section else None)
        floor = max(c_start, prev_end)
        subject = _subject_for(text, cand, floor, c_end)
        prev_end = cand.end
        if not subject and prev_subject and prev_subject[0] == si:
            subject = prev_subject[1]
        if subject:
            prev_subject = (si, subject)
        ti = task_lookup.find(cand.start)
        rows.append(Indicator(
            indicator_id=f"{doc_id}:i{len(rows) + 1}",
            doc_id=doc_id,
            section_id=section_id,
            task_id=ordered_tasks[ti].task_id if ti is not None else None,
            subject=subject or None,
            quantity_text=text[cand.start:cand.end],
            char_start=cand.start,
            char_end=cand.end,
            sentence_text=text[sent_start:sent_end],
            value=cand.value,
            value_low=cand.low,
            value_high=cand.high,
            unit=cand.unit,
            qualifier=cand.qualifier,
            is_masked=cand.masked,
            comparison=cand.comparison,
            direction=cand.direction,
            status=status,
            period_year=_period_year(text, sent_start, cand.start, heading_years.get(section_id) if section_id else None, report_year),
            line_no=bisect.bisect_right(line_starts, cand.start),
        ))
    return rows


def _subject_for(text: str, cand: _Candidate, floor: int, c_end: int) -> str:
    """The thing measured: the noun a count classifies (`12所中小学校`), else the phrase before.

    `floor` is where the phrase before may start (the clause start, or the end of the previous
    figure in the clause). An empty answer means "the same subject as the figure before it in
    this sentence" (`协议投资同比增长x%,完成目标任务的x%`, `化肥供应量完成x吨,与去年同期相比持平`).
    """
    if cand.flat:
        return ""
    start = cand.start
    i, depth = start - 1, 0
    while i >= floor:
        ch = text[i]
        if ch in ")）":  # `检查各类生产经营单位(企业)68家次`: a bracket belongs to the phrase
            depth += 1
        elif ch in "(（":
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and ch in _SUBJECT_BREAK:
            break
        i -= 1
    prefix = text[max(i + 1, start - 30):start]
    if prefix.startswith("的"):  # `投资xxx亿元的xx电池新材料和投资` continues after a figure
        cut = max(prefix.rfind(c) for c in "和及与的")
        prefix = prefix[cut + 1:]
    if cand.comparison == "vs_target":
        return _clean_subject(_TARGET_PHRASE.sub("", prefix))
    before = _clean_subject(prefix)
    unit = cand.unit or ""
    kind = _UNIT_KIND.get(unit) or _UNIT_KIND.get(unit.lstrip("万亿"))
    followed_by_de = text.startswith("的", cand.end)
    if kind == "count" or not before or (followed_by_de and kind == "percent"):
        after = _subject_after(text, cand.end, c_end)
        if after:
            return after
    return before
