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
from operator import attrgetter

from extractors.numbers import (
    ARABIC,
    CHINESE,
    CN_CHARS,
    MASKED,
    NumeralError,
    adjacent_digit_range,
    chinese_has_digit,
    fraction_value,
    is_masked,
    parse_arabic,
    parse_chinese,
    parse_number,
)
from extractors import patterns
from extractors.records import Indicator, Section, Sentence, Task, builder
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
        "宗", "轮", "组", "位", "节", "单", "盏", "口", "所次", "车次", "班次", "课时", "学时", "门", "部", "块",
    ),
    "area": ("平方公里", "平方米", "平米", "㎡", "公顷", "亩"),
    "volume": ("立方米", "方"),
    "mass": ("吨标准煤", "吨", "公斤", "千克", "斤"),
    "power": ("千瓦", "兆瓦", "MW", "kW", "KW", "GW"),
    "voltage": ("千伏", "kV", "KV"),
    "energy": ("千瓦时", "kWh", "度"),
    "length": ("公里", "千米", "延米", "米", "km"),
    "duration": ("个工作日", "工作日", "个月", "小时", "分钟", "天", "年"),
    "age": ("周岁", "岁"),
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
MAGNITUDE_KINDS = frozenset({"currency", "count", "area", "volume", "mass", "power", "energy", "length", "duration"})

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
    "门": "类户诊槛票店窗面口", "部": "门分署队位长级委件署分", "块": "状", "岁": "月末",
}
# `三年行动`, `九年义务教育`: a number of years naming a programme, not a duration.
_YEAR_NAME_AFTER = re.compile(r"年(?:行动|计划|规划|攻坚|工程|方案|义务|一贯|专项|整治|提升|倍增|会战|大)")

_PREFIX = (
    r"(?P<pre>不低于|不少于|不超过|不高于|不多于|不足|不到|低于|高于|超过|多于|少于|达到|大约|接近|将近"
    r"|至少|最少|最多|至多|约|近|逾|超)?"
)
_UNIT_ALT = "|".join(re.escape(u) for u in sorted(_UNIT_KIND, key=len, reverse=True))
# The characters units start with: a lookahead on them spares trying all the units, one by one,
# after every number that no unit follows.
_UNIT_FIRST = "[" + "".join(sorted({re.escape(u[0]) for u in _UNIT_KIND})) + "]"
_NUM = rf"(?:(?<![A-Za-z0-9０-９.．]){ARABIC}|(?<![A-Za-z0-9０-９]){MASKED}|{CHINESE})"
_SEP = r"[—–\-~～至到]"
_QUANTITY = (
    # Cheap first check: most positions are not the start of a figure.
    r"(?=[不低高超多少达大接将至最约近逾百半0-9０-９xXｘＸ*＊零〇一二两三四五六七八九十千])"
    + _PREFIX
    + r"(?:"
    + rf"(?P<pct>百分之)(?P<pn>{_NUM})"
    # Fractions (`三分之一`). The lookahead (characters numerals are written with, then 分之) changes
    # no match; it spares every other number being read twice, here and again as n1 below.
    + rf"|(?=[0-9０-９,.．xXｘＸ*＊{CN_CHARS}点]*分之)(?P<fd>{_NUM})分之(?P<fn>{_NUM})"
    + r"|(?P<half>一半|半数)"
    + rf"|(?P<n1>{_NUM})(?:(?P<m1>万|亿)?(?P<u1>%|％)?(?P<sep>{_SEP})(?P<n2>{_NUM}))?"
    # A figure needs a unit or a magnitude (`xxx万`); requiring it in the pattern keeps the
    # thousands of bare numeral characters (`统一`, `一是`) from becoming matches at all.
    + rf"(?P<fz1>余|多|几)?(?:(?P<mag>万亿|万|亿)(?P<fz2>余|多)?(?:(?={_UNIT_FIRST})(?P<unit>{_UNIT_ALT}))?"
    + rf"|(?={_UNIT_FIRST})(?P<unit2>{_UNIT_ALT}))"
    + r"(?:/(?P<per>日|天|年|月|小时|人|亩|户|吨|平方米))?"
    + r")"
    + r"(?P<post>左右|上下|及以上|以上|以内|以下|内)?"
)
QUANTITY_RE = patterns.compile(_QUANTITY)  # re.compile(_QUANTITY), run faster (see extractors.patterns)

_PRE_QUALIFIER = {
    "不低于": "at_least", "不少于": "at_least", "达到": "at_least", "至少": "at_least", "最少": "at_least",
    "超过": "more_than", "高于": "more_than", "多于": "more_than", "逾": "more_than", "超": "more_than",
    "不超过": "at_most", "不高于": "at_most", "不多于": "at_most", "最多": "at_most", "至多": "at_most",
    "不足": "less_than", "不到": "less_than", "低于": "less_than", "少于": "less_than",
    "约": "approx", "近": "approx", "大约": "approx", "接近": "approx", "将近": "approx",
}
_POST_QUALIFIER = {"左右": "approx", "上下": "approx", "以上": "at_least", "及以上": "at_least", "以内": "at_most",
                   "以下": "at_most", "内": "at_most"}
# `最近3天` is "the last 3 days", not "nearly 3 days"; `签约3个` is "signed 3", not "about 3".
_NOT_QUALIFIER_AFTER = {"近": "最附就接将邻靠亲贴", "约": "签合预节制公条契邀相特履违简集", "超": "赶"}

# Regions where nothing is an indicator: plan/document names and short quoted slogans
# (`“四个清单”`, `“两个维护”`).
# A quoted slogan of short parallel phrases (`“一个项目、一名领导、一个专班、一抓到底”`) is a name too.
_NAME_RE = re.compile(r"《[^》\n]{0,80}》|“[^”\n]{1,8}”|\"[^\"\n]{1,8}\"|“(?:[^”\n，,。；;]{1,8}、){1,7}[^”\n，,。；;、]{1,8}”")
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
    r"我县|我区|我市|我旗|我省|我局|确保|力争|争取|计划|预计|力求|实现|要|将|其(?![余他])|和|及|与|"
    # Leading deadlines and time frames (`年底前`, `6月底前`, `入冬前`, `截至5月底`) and actions that
    # (the action that introduces the measured thing, `完成…`, `开展…`, stays: it is the subject).
    r"年底前|到年底|至年底|底前|[0-9一二三四五六七八九十]{1,2}月(?:底|末)?(?:之?前)|"
    r"[一二三四]季度(?:末|底)?(?:之?前)|入冬前|汛期前|建成后|截至[^，,。；;]{0,8}?(?:底|末))+"
)
_SUBJECT_TAIL = re.compile(
    r"(?:同比|较去年同期|比去年同期|较上年同期|比上年同期|与去年同期相比|与上年同期相比|比上年|较上年|比去年|较去年|较同期|环比)?"
    r"(?:增长|增加|提高|提升|上升|下降|减少|降低|回落|下滑|压缩|缩短)?(?:了|至|到)?"
    r"(?:仅为|约为|分别为|分别|均为|仅有|只有|仅|(?<!行)为|是|达到|达|共计|共|合计|累计|总计|预计|计划|力争|确保|争取|"
    r"计|完成|实现|有|保持在|保持|稳定在|稳定|控制在|在|将|年底前|底前|的)*$"
)
_SUBJECT_SUM = re.compile(r"(?:共计|合计|累计|总计|(?<![公总])共(?![同享建治赢识产]))")
_SUBJECT_AFTER_STOP = re.compile(r"[，,；;。：:！？!?、的和及与等被为（()）\n0-9xX*]|运行|进行|开展|实施|分别|全部|已|在(?![建谈施])|(?<!以)上|处于|中$")
# Verbs that end the noun a count classifies (`12家企业实行…`, `4000名老年人掌握…`); only after
# the noun, so a subject that is itself a verb phrase (`301人通过认定`) is kept.
_SUBJECT_AFTER_VERB = re.compile(r"实行|参与|参加|掌握|安装|予以|设立|达成|提供|解决|通过|发放|享受|接受|获得|纳入|签订|办理|出具|占用")
# Where a subject cannot reach back past: clause breaks, list commas, brackets.
_SUBJECT_BREAK = "，,；;。！？!?：:\n、（()）"
_CLAUSE_BREAK_RE = re.compile("[" + re.escape(_CLAUSE_BREAK) + "]")
_NEWLINE_RE = re.compile("\n")
_SUBJECT_BREAK_RE = re.compile("[" + re.escape(_SUBJECT_BREAK) + "]")
_MARKER_LEAD = re.compile(r"^(?:[一二三四五六七八九十]+是|[0-9]{1,2}[.．、]|[(（][一二三四五六七八九十0-9]{1,3}[)）]|[一二三四五六七八九十]+、|[①-⑳])")


# Cheap exact pre-checks for the anchored patterns above, which the regex engine would otherwise
# try at every position of the string: a match of a `…$` pattern ends with one of the pattern's
# literal characters, a match of a `^…` pattern starts with one. The sets may hold more than
# needed (a superset only costs a regex call), never less. `$` also matches before a final
# newline, so a string ending in one always takes the regex.
def _literal_chars(pattern: str, extra: str = "") -> frozenset[str]:
    # Only literal characters, groups, alternation and the quantifiers `?`, `*`, `+`: no classes,
    # escapes, dots or counted repeats, whose characters this would not list.
    assert not any(c in pattern for c in "[]\\.{}"), pattern
    return frozenset(c for c in pattern if c not in "()?:|$^*+[]{}\\") | frozenset(extra)


_SUBJECT_TAIL_LAST = _literal_chars(_SUBJECT_TAIL.pattern)
_SUBJECT_LEAD_FIRST = _literal_chars(re.sub(r"\[[^\]]*\]|\{[^}]*\}", "", _SUBJECT_LEAD.pattern), "0123456789xX*")
_MARKER_LEAD_FIRST = frozenset("一二三四五六七八九十0123456789(（") | frozenset(map(chr, range(ord("①"), ord("⑳") + 1)))
_TARGET_PHRASE_LAST = _literal_chars(_TARGET_PHRASE.pattern)
_UP_LAST = _literal_chars(_UP_RE.pattern)
_DOWN_LAST = _literal_chars(_DOWN_RE.pattern)
_PCT_UNITS = frozenset({"%", "％", "‰"})
_NOT_SUBJECTS = frozenset({"已", "已经"})


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


# The groups of QUANTITY_RE in pattern order, read with one `m.groups()` per match.
_GROUP_ORDER = ("pre", "pct", "pn", "fd", "fn", "half", "n1", "m1", "u1", "sep", "n2", "fz1", "mag", "fz2",
                "unit", "unit2", "per", "post")
assert tuple(sorted(QUANTITY_RE.groupindex, key=QUANTITY_RE.groupindex.get)) == _GROUP_ORDER
assert QUANTITY_RE.groups == len(_GROUP_ORDER)
_GI_UNIT, _GI_UNIT2 = QUANTITY_RE.groupindex["unit"], QUANTITY_RE.groupindex["unit2"]
_CN_LEAD = frozenset("零〇一二两三四五六七八九十百千万亿")
_CN_LEAD_PCT = frozenset("零〇一二两三四五六七八九十百千")
_new_indicator = builder(Indicator)
_ASCII_UNITS = frozenset({"MW", "kW", "KW", "GW", "kV", "KV", "kWh", "km"})


def _read_match(m: re.Match[str], text: str) -> _Candidate | None:
    """Turn one regex match into a candidate, or None when it is not a quantity."""
    pre, pct, pn, fd, fn, half, n1, m1, _u1, _sep, n2, fz1, mag, fz2, unit, unit2, per, post = m.groups()
    start, end = m.span()
    if post == "内" and not _inner_ok(unit or unit2, text, end):
        post, end = None, end - 1
    if pre is not None:
        not_after = _NOT_QUALIFIER_AFTER.get(pre)
        if not_after is not None and start > 0 and text[start - 1] in not_after:
            pre, start = None, start + len(pre)
    num_start = start + (len(pre) if pre else 0)
    if num_start > 0 and text[num_start - 1] == "第":  # ordinals: 第一批, 第3名
        return None
    qualifier = _PRE_QUALIFIER.get(pre) if pre else None

    if half:
        return _Candidate(start, end, 50.0, 50.0, 50.0, "%", qualifier or _POST_QUALIFIER.get(post, "exact"), False)
    if pct or fd:
        try:
            if pct:
                if pn[0] in _CN_LEAD_PCT and not chinese_has_digit(pn):
                    return None
                value = parse_number(pn)
            else:
                if is_masked(fd) or is_masked(fn):
                    value = None
                else:
                    value = fraction_value(fd, fn)
        except NumeralError:
            return None
        return _bounded(start, end, value, "%", qualifier or _POST_QUALIFIER.get(post), pn and is_masked(pn))

    if unit is not None:
        unit_gi = _GI_UNIT
    else:
        unit_gi, unit = _GI_UNIT2, unit2
    if n1 is None:
        return None
    chinese = n1[0] in _CN_LEAD
    if chinese and not chinese_has_digit(n1):
        return None
    if unit is None:
        # No unit: `1万—2万` is not a quantity we can read, `千万工程`/`百亿项目` are idioms.
        if mag is None or chinese:
            return None
    else:
        kind = _UNIT_KIND[unit]
        unit_end = m.end(unit_gi)
        nxt = text[unit_end] if unit_end < len(text) else ""
        if nxt and nxt in _UNIT_NOT_BEFORE.get(unit, ""):
            return None
        if unit in _ASCII_UNITS and nxt.isascii() and nxt.isalpha():
            return None
        if chinese and unit in _CN_FORBIDDEN_UNITS:
            return None
        if mag and kind not in MAGNITUDE_KINDS:
            # `3万%` is nonsense; `3万个` is fine (count takes magnitudes).
            return None
        if (unit == "方" or unit == "度") and not mag:
            return None
        if unit == "年":
            if not _is_duration_year(n1, n2, text, m.start(unit_gi), pre):
                return None
        if chinese and n1 == "一" and n2 is None and not mag and not _single_one_ok(unit, kind, text, unit_end, start):
            return None
    written_unit = (mag or "") + (unit or "")
    if unit is not None and not per and post is None and end < len(text) and text[end] in "(（":
        # `2.1万件(套)`: the unit as written, with its alternative in brackets.
        alt = _ALT_UNIT_RE.match(text, end)
        if alt is not None and _UNIT_KIND.get(alt.group(1)) == kind:
            written_unit += alt.group()
            end = alt.end()
    if per:
        if unit is None or per not in RATE_DENOMINATORS.get(_UNIT_KIND[unit], ()):
            return None
        written_unit += "/" + per
    masked = is_masked(n1) or (n2 is not None and is_masked(n2))
    fuzzy = fz1 or fz2
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
        # parse_number(n1), from what is known already (masked; Chinese when its first character is)
        value = None if masked else parse_chinese(n1) if chinese else parse_arabic(n1)
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


_ALT_UNIT_RE = re.compile(r"[(（]([^\W\d_]{1,2})[)）]")
# `3个月内`, `30天内`: `内` closes a duration (at most), never a longer word (`内容`, `内部`).
_INNER_NOT_BEFORE = frozenset("容部外涵地科需资销存在")


def _inner_ok(unit: str | None, text: str, end: int) -> bool:
    return unit is not None and _UNIT_KIND.get(unit) == "duration" and (end >= len(text) or text[end] not in _INNER_NOT_BEFORE)


def _single_one_ok(unit: str, kind: str, text: str, after: int, start: int = 0) -> bool:
    """A lone `一` is usually an article (`一批`, `一次性`, `一件事`); keep only real measures."""
    if text.startswith("一", after) or text.startswith("一", after + 1):  # 一户一策, 一村一品
        return False
    if unit == "次" and not text.startswith("性", after):
        # A frequency: `每月召开一次`, `每季度至少一次`.
        back = text[max(0, start - 8):start]
        cut = max(back.rfind(c) for c in _CLAUSE_BREAK)
        if "每" in back[cut + 1:]:
            return True
    return kind in {"currency", "area", "mass", "power", "energy", "length", "volume", "percent"} or unit in {"座", "所", "名", "人次", "家次"}


_CHAR_START = attrgetter("char_start")
_START = attrgetter("start")
_LEVEL = attrgetter("level")


def _innermost_sections(sections: list[Section]) -> tuple[list[int], list[str | None]]:
    """Flatten nested sections into disjoint intervals, each labelled with its deepest section."""
    points: list[int] = []
    labels: list[str | None] = []
    # Sweep boundaries in order; the deepest open section at each point wins.
    # (position, kind, -end, sequence): sorting these tuples is the stable sort by the first three.
    events: list[tuple[int, int, int, int, Section]] = []
    for s in sections:
        if s.char_end > s.char_start:
            events.append((s.char_start, 1, -s.char_end, len(events), s))
            events.append((s.char_end, 0, 0, len(events), s))
    events.sort()
    open_stack: list[Section] = []
    for pos, kind, _, _, s in events:
        if kind == 0:
            # `open_stack.remove(s)` (first equal section), comparing ids before whole rows.
            sid = s.section_id
            for j, e in enumerate(open_stack):
                if e is s or (e.section_id == sid and e == s):
                    del open_stack[j]
                    break
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
        ordered = sorted(sentences, key=_CHAR_START)
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


def _clean_subject(raw: str) -> str:
    """Strip fillers (`其中`, `共`, `目前`, markers) and copulas (`为`, `达到`) around a noun phrase."""
    s = raw.strip()
    if s and s[0] in _MARKER_LEAD_FIRST:
        s = _MARKER_LEAD.sub("", s)
    s = s.strip("“”\"'")
    if "共" in s or "计" in s:  # every _SUBJECT_SUM match holds one
        last_sum = None
        for last_sum in _SUBJECT_SUM.finditer(s):
            pass
        if last_sum is not None:
            after_sum = _strip_subject(s[last_sum.end():])  # `各专项领域共排查企业` → `排查企业`
            if after_sum:
                return after_sum
    return _strip_subject(s)


def _strip_subject(option: str) -> str:
    prev = None
    while prev != option:
        prev = option
        if option and (option[-1] in _SUBJECT_TAIL_LAST or option[-1] == "\n"):
            option = _strip_tail(option)
        if option and option[0] in _SUBJECT_LEAD_FIRST:
            option = _SUBJECT_LEAD.sub("", option)
        option = option.strip("“”\"'、 ")
    if option and option not in _NOT_SUBJECTS:
        return option.replace("“", "").replace("”", "")
    return ""


def _strip_tail(option: str) -> str:
    """`_SUBJECT_TAIL.sub("", option)`, without trying the pattern at every position.

    A match runs to the end of the string and consumes only the pattern's literal characters, so
    it cannot start before the last character outside `_SUBJECT_TAIL_LAST`; the search starts
    there (the lookbehind still sees what precedes). `$` also matches before a final newline,
    which the pattern does not consume: such a string takes the plain substitution.
    """
    if option[-1] == "\n":
        return _SUBJECT_TAIL.sub("", option)
    k = len(option)
    while k and option[k - 1] in _SUBJECT_TAIL_LAST:
        k -= 1
    return option[:_SUBJECT_TAIL.search(option, k).start()]


def _subject_after(text: str, end: int, ceil: int) -> str:
    reach = min(ceil, end + 24)
    window = text[end:reach].lstrip("“”\"'的")
    window = window.replace("”", "").replace("“", "")
    m = _SUBJECT_AFTER_STOP.search(window)
    v = _SUBJECT_AFTER_VERB.search(window, 1, m.start() if m else len(window))
    if v is not None:
        m = v
    # No stop: the whole clause when it is short, never a word cut at a fixed width otherwise.
    after = window[: m.start()] if m else (window if reach == ceil and len(window) <= 20 else window[:12])
    # `剩余28个正在推进`: what follows is a verb phrase, not the noun the count classifies.
    if len(after) < 2 or after[0] in "正已将均全都还也再并可仍未共":
        return ""
    return after


def _classify(text: str, cand: _Candidate, clause_start: int, clause_end: int) -> None:
    """comparison and direction, from the words right before (and, for growth rates, after).

    The patterns are run on `text` between `pos` and `endpos` rather than on slices; none of them
    looks behind, so that is the same as searching the slice (`$` matches at endpos).
    """
    if cand.flat:
        cand.comparison, cand.direction = "year_on_year", "flat"
        return
    start = cand.start
    tail_start = start - 14 if start - 14 > clause_start else clause_start  # prefix[-14:]
    last = text[start - 1] if start > tail_start else ""
    unit = cand.unit or ""
    is_pct = unit in _PCT_UNITS
    if (last in _TARGET_PHRASE_LAST or last == "\n") and _TARGET_PHRASE.search(text, tail_start, start):
        cand.comparison = "vs_target"
        return
    up = _UP_RE.search(text, tail_start, start) if last in _UP_LAST or last == "\n" else None
    down = _DOWN_RE.search(text, tail_start, start) if last in _DOWN_LAST or last == "\n" else None
    if not (up or down) and (is_pct or unit.endswith("百分点")):
        up = _GROWTH_AFTER.match(text, cand.end)
    if up or down:
        cand.direction = "up" if up and (not down or up.start() > down.start()) else "down"
        if _YOY_BASE.search(text, clause_start, start):
            cand.comparison = "year_on_year"
        elif (is_pct or unit.endswith("百分点")) and not _OTHER_BASE.search(text, clause_start, start):
            cand.comparison = "year_on_year"  # a bare growth rate is year on year in Chinese statistics
        return
    if _YOY_BASE.search(text, tail_start, start):
        cand.comparison = "year_on_year"
        return
    if is_pct or unit == "成":
        cand.comparison = "share"


def _status(text: str, cand_start: int, cand_end: int, sent_start: int, clause_start: int, clause_end: int, section_kind: str | None) -> str:
    if section_kind == "plan":
        # (_ACTUAL_CUE has no lookaround: searching text[pos:endpos] is searching the slice.)
        return "actual" if _ACTUAL_CUE.search(text, clause_start, cand_start) else "target"
    if _TARGET_AFTER.match(text, cand_end, clause_end):
        return "target"
    # A cue governs the list that follows it (`计划引进12人,招聘60人`), within reason. A slice,
    # not pos/endpos: `将`'s lookbehind must not see past the window's start.
    prefix = text[max(sent_start, cand_start - 120):cand_start]
    last_target = _TARGET_CUE.search(prefix)
    if last_target is None:
        return "actual"
    if section_kind == "achievement":
        # What a section reports as done: `预计完成` is an estimate of the period's actual figure,
        # `争取到资金` is money obtained, `确保`/`计划` describe how it was done. Only a firm
        # promise (`力争`, `将`, `目标`) makes a figure there a target.
        last_target = None
        for cue in _TARGET_CUE.finditer(prefix):
            word = cue.group()
            if word == "争取" or (word == "计划" and prefix.startswith("的", cue.end())):
                continue  # `争取到资金` is money obtained; `完成年度计划的x%` names the plan
            if word == "预计" and _REPORT_PERIOD.search(prefix, 0, cue.start()):
                continue  # `1-5月份…预计完成186.4亿元`: the estimate of a period already reported
            last_target = cue
        if last_target is None:
            return "actual"
    else:
        for last_target in _TARGET_CUE.finditer(prefix, last_target.end()):  # on to the last cue
            pass
    return "actual" if _ACTUAL_CUE.search(prefix, last_target.end()) else "target"


# A reporting period at the head of a sentence: what follows it is that period's outcome.
_REPORT_PERIOD = re.compile(r"[0-9一二三四五六七八九十]{1,2}\s*[-—–~～至到]\s*[0-9一二三四五六七八九十]{1,2}月|上半年|前三季度|"
                            r"[一二三四]季度|今年以来|截至|截止|全年")


# Years mentioned in the text, found once per document: `_YEAR_RE` without its `(?!以来)`, which
# is decided per window (see _period_year). The lookbehind is `(?<![0-9])` moved past the `19`/
# `20` (so the engine can skip to the next 1 or 2); the same matches, several times faster.
_YEAR_CORE_RE = re.compile(r"((?:19|20)(?<![0-9]..)[0-9]{2})年")
assert _YEAR_RE.pattern == r"(?<![0-9])((?:19|20)[0-9]{2})年" + "(?!以来)"
_YEAR_FAST_RE = re.compile(_YEAR_CORE_RE.pattern + "(?!以来)")  # matches exactly where _YEAR_RE does


def _year_mentions(text: str) -> tuple[list[re.Match[str]], list[int]]:
    found = list(_YEAR_CORE_RE.finditer(text))
    return found, [m.end() for m in found]


def _period_year(text: str, years: tuple[list[re.Match[str]], list[int]], sent_start: int, pos: int,
                 heading_years: int | None, report_year: int | None) -> int | None:
    """The last year written in the sentence before the figure (not `比2023年`), else the heading's.

    The same as the last acceptable match of `_YEAR_RE.finditer(text, sent_start, pos)`: year
    mentions cannot overlap, and in that window `(?!以来)` only sees up to `pos`.
    """
    found, ends = years
    k = bisect.bisect_right(ends, pos) - 1
    while k >= 0:
        m = found[k]
        st = m.start()
        if st < sent_start:
            break
        end = ends[k]
        if not (end + 2 <= pos and text.startswith("以来", end)) and not (st > sent_start and text[st - 1] in "比较与"):
            return int(m.group(1))
        k -= 1
    return heading_years if heading_years is not None else report_year


def _section_years(text: str, sections: list[Section]) -> dict[str, int]:
    """A year in a heading (`一、2023年上半年…`) dates the figures under it."""
    years: dict[str, int] = {}
    by_id = {s.section_id: s for s in sections}
    for s in sorted(sections, key=_LEVEL):
        m = _YEAR_FAST_RE.search(s.heading or "")
        if m:
            years[s.section_id] = int(m.group(1))
        elif s.parent_section_id and s.parent_section_id in years:
            years[s.section_id] = years[s.parent_section_id]
        elif s.parent_section_id in by_id:
            parent = by_id[s.parent_section_id]
            pm = _YEAR_FAST_RE.search(parent.heading or "")
            if pm:
                years[s.section_id] = int(pm.group(1))
    return years


def find_quantities(text: str) -> list[_Candidate]:
    """All quantity candidates in document order, with the not-an-indicator rules applied."""
    names = [m.span() for m in _NAME_RE.finditer(text)]
    n_names, ni = len(names), 0
    out: list[_Candidate] = []
    append = out.append
    read = _read_match
    for m in QUANTITY_RE.finditer(text):
        cand = read(m, text)
        if cand is None:
            continue
        # Inside the last name that starts at or before it? (Candidates come in order, so a
        # cursor over the names does what a bisection would.)
        while ni < n_names and names[ni][0] <= cand.start:
            ni += 1
        if ni and cand.end <= names[ni - 1][1]:
            continue
        append(cand)
    flat = False
    for m in _FLAT_RE.finditer(text):
        # Only a stated comparison is a figure: `与去年同期相比持平`, `同比持平`.
        back = text[max(0, m.start() - 16):m.start()]
        if _YOY_BASE.search(back) or "同期" in back:
            out.append(_Candidate(m.start(), m.end(), None, None, None, None, "exact", False, flat=True))
            flat = True
    if flat:  # the regex matches come in document order already
        out.sort(key=_START)
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
    sec_kind = {s.section_id: s.section_kind for s in sections}
    heading_years = _section_years(text, sections)
    s_starts, s_ends = _sentence_bounds(text, sentences)
    ordered_tasks = sorted(tasks, key=_CHAR_START)
    t_starts = [t.char_start for t in ordered_tasks]
    t_ends = [t.char_end for t in ordered_tasks]
    t_ids = [t.task_id for t in ordered_tasks]
    years = _year_mentions(text)
    # Backward scans (the last break before a figure) run as forward regex searches over the
    # reversed text: offset p in `text` is offset len(text) - 1 - p in `rtext`.
    rtext = text[::-1]
    newlines = [m.start() for m in _NEWLINE_RE.finditer(text)]
    n_sent, n_sec, n_task, n_nl = len(s_starts), len(sec_points), len(t_starts), len(newlines)

    rows: list[Indicator] = []
    append = rows.append
    prev_subject: tuple[int | None, str] | None = None  # (sentence index, subject)
    prev_end = 0
    sent_si, sent_text = -1, ""
    # Figures come in document order, so every lookup below is a cursor that only moves forward
    # (the same answers as bisect_right over the sorted starts, without the bisection).
    sp = secp = tp = nl = 0
    for cand in cands:
        start, end = cand.start, cand.end
        while sp < n_sent and s_starts[sp] <= start:
            sp += 1
        i = sp - 1
        if i >= 0 and start < s_ends[i]:
            si: int | None = i
            sent_start, sent_end = s_starts[i], s_ends[i]
            if i != sent_si:
                sent_si, sent_text = i, text[sent_start:sent_end]
            sentence_text = sent_text
        else:
            si = None
            sent_start, sent_end = start, end
            sentence_text = text[start:end]
        c_start, c_end = _clause(text, rtext, start, end, sent_start, sent_end)
        _classify(text, cand, c_start, c_end)
        while secp < n_sec and sec_points[secp] <= start:
            secp += 1
        section_id = sec_labels[secp - 1] if secp else None
        status = _status(text, start, end, sent_start, c_start, c_end, sec_kind.get(section_id) if section_id else None)
        floor = max(c_start, prev_end)
        subject = _subject_for(text, rtext, cand, floor, c_end)
        prev_end = end
        if not subject and prev_subject and prev_subject[0] == si:
            subject = prev_subject[1]
        if subject:
            prev_subject = (si, subject)
        while tp < n_task and t_starts[tp] <= start:
            tp += 1
        while nl < n_nl and newlines[nl] < start:  # line_no - 1 = newlines before the figure
            nl += 1
        append(_new_indicator(  # the fields in Indicator's order
            f"{doc_id}:i{len(rows) + 1}",  # indicator_id
            doc_id,
            section_id,
            t_ids[tp - 1] if tp and start < t_ends[tp - 1] else None,  # task_id
            subject or None,  # subject
            text[start:end],  # quantity_text
            start,  # char_start
            end,  # char_end
            sentence_text,
            cand.value,  # value
            cand.low,  # value_low
            cand.high,  # value_high
            cand.unit,  # unit
            cand.qualifier,  # qualifier
            cand.masked,  # is_masked
            cand.comparison,  # comparison
            cand.direction,  # direction
            status,
            _period_year(text, years, sent_start, start,  # period_year
                         heading_years.get(section_id) if section_id else None, report_year),
            nl + 1,  # line_no
        ))
    return rows


def _clause(text: str, rtext: str, start: int, end: int, sent_start: int, sent_end: int) -> tuple[int, int]:
    """The figure's clause: from after the last clause break before it to the first one after it,
    within the sentence. `rtext` is `text` reversed (the backward scan is a forward search there)."""
    n = len(text)
    m = _CLAUSE_BREAK_RE.search(rtext, n - start, n - sent_start)
    c_start = n - m.start() if m else min(sent_start, start)
    m = _CLAUSE_BREAK_RE.search(text, end, sent_end)
    return c_start, (m.start() if m else max(end, sent_end))


def _subject_for(text: str, rtext: str, cand: _Candidate, floor: int, c_end: int) -> str:
    """The thing measured: the noun a count classifies (`12所中小学校`), else the phrase before.

    `floor` is where the phrase before may start (the clause start, or the end of the previous
    figure in the clause). An empty answer means "the same subject as the figure before it in
    this sentence" (`协议投资同比增长x%,完成目标任务的x%`, `化肥供应量完成x吨,与去年同期相比持平`).
    `rtext` is `text` reversed.
    """
    if cand.flat:
        return ""
    kind = _unit_kind(cand.unit or "")
    vs_target = cand.comparison == "vs_target"
    if kind == "count" and not vs_target:
        # A count names what it counts after it when it can (`12所中小学校`); only when it does
        # not is the phrase before read (the same answer as reading both, with less work).
        after = _subject_after(text, cand.end, c_end)
        if after:
            return after
    start = cand.start
    # The phrase before reaches back to the nearest break (a bracket pair belongs to the phrase:
    # `检查各类生产经营单位(企业)68家次`), and never more than 30 characters.
    lo = floor if floor > start - 30 else start - 30
    n = len(text)
    m = _SUBJECT_BREAK_RE.search(rtext, n - start, n - lo)  # the last break in text[lo:start]
    if m is None:
        i = lo - 1
    elif m.group() in ")）":
        i, depth = start - 1, 0
        while i >= lo:
            ch = text[i]
            if ch in ")）":
                depth += 1
            elif ch in "(（":
                if depth == 0:
                    break
                depth -= 1
            elif depth == 0 and ch in _SUBJECT_BREAK:
                break
            i -= 1
    else:
        i = n - 1 - m.start()  # a break (or an opening bracket) with nothing open after it
    prefix = text[max(i + 1, start - 30):start]
    if prefix.startswith("的"):  # `投资xxx亿元的xx电池新材料和投资` continues after a figure
        cut = max(prefix.rfind(c) for c in "和及与的")
        prefix = prefix[cut + 1:]
    if vs_target:
        return _clean_subject(_TARGET_PHRASE.sub("", prefix))
    before = _clean_subject(prefix)
    if kind == "count":
        return before  # nothing after it (above)
    if not before or (kind == "percent" and text.startswith("的", cand.end)):
        after = _subject_after(text, cand.end, c_end)
        if after:
            return after
    return before


_UNIT_KIND_MEMO: dict[str, str | None] = {}


def _unit_kind(unit: str) -> str | None:
    """The kind of a written unit (`万元` is currency); units are few, so the answer is memoised."""
    try:
        return _UNIT_KIND_MEMO[unit]
    except KeyError:
        kind = _UNIT_KIND_MEMO[unit] = _UNIT_KIND.get(unit) or _UNIT_KIND.get(unit.lstrip("万亿"))
        return kind
