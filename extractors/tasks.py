"""Tasks: one row per work item, with its status and deadline.

A work item is what an enumeration introduces (`一是`, `(一)`, `1.`, `①` … — the sections that
`extractors.structure` found) or, inside a stretch of text with no markers, a sentence led by an
action (`推进`, `加强`, `开展` …). A section that has sub-items is a heading, not an item; a
top-level section whose heading only names a part of the report (`二、存在问题`) is a container
whose action-led sentences become the items.

`task_text` is the item's text without its marker, `lead` its short title (the first sentence, or
its first clause when the sentence is long). Status comes from cues in the text, then the section
kind; `deadline_date` reads the deadline against the report year (null when the year is unknown,
the text is kept). Dates are inclusive last days: `6月底` → 30 June, `三季度` → 30 September,
`9月秋季开学之前` ("before September") → 31 August.
"""
from __future__ import annotations

import calendar
import re
from datetime import date
from operator import attrgetter, itemgetter

from extractors import patterns
from extractors.numbers import NumeralError, is_masked, parse_number
from extractors.records import Section, Sentence, Task, builder

# Adverbs that open an item before its verb (`继续开展`, `切实做好`, `抓紧推进`).
_ADVERBS = (
    "进一步", "继续", "持续", "切实", "扎实", "积极", "着力", "大力", "全力", "认真", "不断", "深入", "全面",
    "加快", "抓紧", "努力", "坚决", "稳步", "有序", "主动", "及时", "重点", "统筹", "精心", "严格", "高标准",
    "高质量", "常态化", "扎实有序", "全力以赴", "用心", "务实", "强力", "倾力", "再", "要", "还", "先后", "逐步",
    "分类", "依法", "同步", "协同", "联合", "配合", "定期", "全方位", "多措并举", "集中",
)
# Action verbs, longest first in the regex. Some double as adverbs (统筹, 严格, 加快).
_VERBS = (
    "建立健全", "健全完善", "完善提升", "推进", "推动", "加强", "开展", "完成", "落实", "深化", "强化", "优化", "做好",
    "抓好", "抓实", "抓住", "抢抓", "加快", "加大", "提升", "提高", "建立", "健全", "完善", "实施", "组织", "举办",
    "打造", "培育", "促进", "保障", "巩固", "坚持", "紧盯", "统筹", "严格", "规范", "引导", "支持", "探索", "创新",
    "扩展", "扩大", "拓展", "拓宽", "助推", "助力", "发展", "建设", "筹建", "新建", "改造", "整治", "治理", "开发",
    "召开", "制定", "修订", "编制", "印发", "出台", "启动", "部署", "推广", "宣传", "指导", "督促", "监督", "检查",
    "排查", "清理", "处置", "化解", "防范", "防控", "维护", "守护", "服务", "提供", "投入", "争取", "申报", "招引",
    "引进", "招聘", "签约", "聚焦", "围绕", "立足", "突出", "注重", "狠抓", "全力推进", "压实", "筑牢", "织密",
    "夯实", "激发", "激活", "释放", "推行", "执行", "贯彻", "学习", "培训", "配合", "协调", "对接", "衔接", "跟踪",
    "落地", "谋划", "储备", "争创", "创建", "创成", "办好", "办理", "审核", "审批", "受理", "核查", "调查", "调度",
    "督查", "考核", "评估", "评选", "实现", "确保", "力争", "聚力", "发挥", "用好", "管好", "守牢", "守住", "抓",
    "建", "推", "强", "优", "稳", "保", "促", "扩", "拓", "提", "深入推进", "全面推进", "持续推进", "接续",
)
_ADVERB_RE = re.compile("|".join(sorted(map(re.escape, _ADVERBS), key=len, reverse=True)))
_VERB_RE = re.compile("|".join(sorted(map(re.escape, _VERBS), key=len, reverse=True)))
# Openers that may stand before the action without making the sentence a description.
_OPENER_RE = re.compile(
    r"^(?:目前|当前|同时|此外|另外|下一步|下步|下半年|今年|年内|全年|上半年|近期|今后|接下来|其次|首先|最后|再次|"
    r"一方面|另一方面|此外|对此|为此|期间)[,，]?"
)
# A single-character verb only counts when the next character makes a verb-object pair plausible;
# `强化` is caught by the two-character list, `强县` (a noun) must not be.
_SINGLE_CHAR_VERBS = frozenset("抓建推强优稳保促扩拓提")

_COMPLETED_RE = re.compile(
    r"已(?:经)?(?:全部|基本|顺利|圆满)?(?:完成|完工|竣工|建成|结束|实现|发放|印发|出台|落实|通过|上报|整改|签订|"
    r"落地|拨付|支付|进场|投入使用|投产|开通|办结|验收|到位|录入|覆盖)|全部完工|全部完成|圆满完成|顺利完成|"
    r"全面完成|发放完毕|完毕|已全部"
)
_IN_PROGRESS_RE = re.compile(
    r"正在|在建|招标中|进行中|有序进行|推进中|施工中|实施中|建设中|办理中|审批中|编制中|正按|正抓紧|在建设|"
    r"挂网招标|等待(?:上级)?批复"
)
# `将` is "will" only before a verb or adverb; `将农机手分配到…` uses it as an object marker.
# `将(?<![已即]将)` is `(?<![已即])将` written so that the branch starts with a literal, which
# lets the regex engine skip ahead to the next 将 instead of trying the lookbehind everywhere.
FUTURE_JIANG = (
    r"将(?<![已即]将)(?=继续|进一步|于|在|对|加快|全面|持续|着力|重点|大力|积极|启动|开展|推进|加强|完成|实现|达到|建成"
    r"|力争|争取|按照|围绕|以|会|要|逐步|尽快|陆续|全力|不断|深入|切实|组织|适时|新增|新建|投入|实施)"
)
_PLANNED_RE = re.compile(FUTURE_JIANG + r"|计划|力争|确保|拟|预计|下一步|下步|争取|力求|谋划|打算|准备|有望")
_PLAN_NEGATES_DONE = re.compile(r"(?:预计|计划|将|确保|力争|争取|拟|有望)[^，,。；;]{0,10}$")
# `项目实施中和实施后` describes a phase, not progress.
_IN_PROGRESS_FALSE = re.compile(r"中(?:和|与|及|、)")
# `在建的38个项目`, `在建工地`, `在建项目`: an attribute of the objects an item acted on.
_IN_PROGRESS_ATTRIBUTE = re.compile(r"的|[0-9一二三四五六七八九十xX*]|(?:项目|工地|工程|房屋|道路|企业|重点项目)")

_MONTH = r"(?:1[0-2]|[1-9]|十[一二]?|[一二三四五六七八九]|[xX*ｘ]{1,2})"
_CN_MONTH = {c: i for i, c in enumerate("一二三四五六七八九十", 1)} | {"十一": 11, "十二": 12}
_DEADLINE = (
    # Cheap first check (every alternative below starts with one of these characters): without
    # it the regex engine tries the whole alternation at every position of every item.
    r"(?=[0-9十一二三四五六七八九xX*ｘ第上下年今全])"
    r"(?P<year>(?:19|20)[0-9]{2}年)?"
    r"(?:"
    rf"(?:(?P<from>{_MONTH})月?[至到—\-~])?(?P<month>{_MONTH})月(?:(?P<day>[0-9]{{1,2}}|[xX*]{{1,2}})日)?(?:份)?"
    r"(?P<part>底|末|初|上旬|中旬|下旬)?"
    r"(?:(?P<event>[^，,。；;：:、\n0-9]{0,6}?)(?P<before>之前|以前|前))?"
    r"|(?:第)?(?P<quarter>[一二三四1-4])季度(?P<qpart>末|底)?(?P<qbefore>之前|以前|前)?"
    r"|(?P<half>上半年|下半年)(?P<hbefore>之前|以前|前|末|底)?"
    r"|(?P<yearend>(?(year)(?:底|末|内)|(?:年底|年末|年内|今年内|年终|全年)))(?P<ybefore>之前|以前|前)?"
    r")"
)
_DEADLINE_RE = patterns.compile(_DEADLINE)  # re.compile(_DEADLINE), run faster (see extractors.patterns)
# Periods and past dates are not deadlines: `截至6月底`, `1-6月份`, `1月至6月`, `自3月以来`.
_PERIOD_BEFORE = re.compile(r"(?:截至|截止|截止到|自|从|[0-9一二三四五六七八九十][月]?[-—~至到]|今年|去年|上年)$")
_PERIOD_AFTER = re.compile(r"^(?:以来|至今|[-—~至到]|份以来|份?[,，]?(?:共|累计|全市|全县|全区))")
_DEADLINE_VERB_AFTER = re.compile(r"[^，,。；;]{0,8}?(?:完成|竣工|完工|投入使用|投用|建成|到位|结束|开学|全覆盖|交付)")
_PLAN_CUE_BEFORE = re.compile(r"(?:预计|计划|将|确保|力争|争取|拟|有望|于|在|力求)[^，,。；;]{0,6}$")

# Headings that only name a part of the report; their body's sentences are the items.
_PART_HEADING_RE = re.compile(
    r"(?:情况|问题|不足|困难|计划|安排|打算|思路|措施|举措|建议|成效|成绩|做法|亮点|总结|概述|工作|目标|重点|"
    r"要点|方向|总体|基本|主要)"
)
_LEAD_STOP = re.compile(r"[。；;：:！？!?\n]")
_CLAUSE_STOP = re.compile(r"[，,]")
_MAX_LEAD = 40
_MARKER_TRAIL = " \t\u3000、.．,，:：)）"
_NEWLINE_RE = re.compile("\n")
_START = attrgetter("char_start")
_new_task = builder(Task)
_START_LEVEL = attrgetter("char_start", "level")
_FIRST = itemgetter(0)


def action_verb(text: str) -> str | None:
    """The verb an item opens with, past its adverbs: `继续开展…` → `开展`, `严格外伤报销` → `严格`."""
    pos, last_adverb = 0, None
    while True:
        m = _ADVERB_RE.match(text, pos)
        if not m:
            break
        v = _VERB_RE.match(text, m.end())
        a = _ADVERB_RE.match(text, m.end())
        if not v and not a:
            break
        last_adverb, pos = m.group(0), m.end()
    v = _VERB_RE.match(text, pos)
    if v:
        verb = v.group(0)
        if len(verb) == 1 and (verb not in _SINGLE_CHAR_VERBS or v.end() >= len(text) or not _cjk(text[v.end()])):
            return None
        return verb
    if last_adverb and _VERB_RE.fullmatch(last_adverb):
        return last_adverb
    return None


def _cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def make_lead(item: str) -> str:
    """The item's short title: its first sentence, or that sentence's first clause when long."""
    m = _LEAD_STOP.search(item)
    first = item[: m.start()] if m else item
    if len(first) > _MAX_LEAD:
        c = _CLAUSE_STOP.search(first)
        if c and c.start() > 0:
            first = first[: c.start()]
    return first.strip()


def status_of(item: str, section_kind: str | None) -> str:
    """completed / in_progress / planned / problem / unknown, from cues first, then the section."""
    if section_kind == "problem":
        return "problem"
    if section_kind == "plan":
        return "planned"
    for m in _IN_PROGRESS_RE.finditer(item):
        if m.group(0).endswith("中") and _IN_PROGRESS_FALSE.match(item, m.end() - 1):
            continue
        if section_kind == "achievement" and m.group(0) == "在建" and _IN_PROGRESS_ATTRIBUTE.match(item, m.end()):
            continue  # `对在建工地开展检查`: 在建 describes what was inspected, not this item's progress
        return "in_progress"
    if section_kind == "achievement" and _still_under_way(item):
        return "in_progress"
    for m in _COMPLETED_RE.finditer(item):
        if not _PLAN_NEGATES_DONE.search(item, max(0, m.start() - 16), m.start()):
            return "completed"
    if section_kind == "achievement":
        # A section that reports what was done: `预计完成186.4亿元` estimates the period's outcome,
        # `争取资金` is money obtained, `确保`/`计划` say how it was done. Only a firm promise
        # (`力争`, `将`, `拟`, `下一步`) makes an item there planned.
        for m in _PLANNED_RE.finditer(item):
            if m.group(0) not in _WEAK_PLAN_CUES:
                return "planned"
        return "completed"
    if _PLANNED_RE.search(item):
        return "planned"
    return "unknown"


_WEAK_PLAN_CUES = frozenset({"预计", "计划", "确保", "争取", "准备"})  # `做好防汛准备`: a noun
_DATED_PLAN_CUE = re.compile(r"预计|计划")


def _still_under_way(item: str) -> bool:
    """A reported item whose work has a dated finish still ahead (`…已完成主体工程,计划8月底前交付使用`,
    `预计三季度全容量并网`) is in progress, not done."""
    for m in _DATED_PLAN_CUE.finditer(item):
        window = item[m.end():m.end() + 20]
        if _FINISH_AFTER.search(window) and find_deadline(window, None, planned=True)[0] is not None:
            return True  # (`计划三季度开工建设` is a start still ahead: what was reported is done)
    return False


_FINISH_AFTER = re.compile(r"^[^，,。；;]*?(?:交付|竣工|完工|建成|投用|投入使用|并网|贯通|全面完成|全部完成)")


def find_deadline(item: str, report_year: int | None, planned: bool, strong_only: bool = False) -> tuple[str | None, date | None]:
    """The item's deadline as written and as a date (inclusive last day), or (None, None).

    A date with `底`/`前`/`旬` or followed by completion (`竣工`, `完成`) is a deadline anywhere; a
    bare month or quarter only in a plan section or after a plan cue (`预计`, `力争`, `有望`).
    """
    if "月" not in item and "年" not in item and "季" not in item:
        return None, None  # every alternative of _DEADLINE_RE writes one of them
    weak: tuple[str, date | None] | None = None
    for m in _DEADLINE_RE.finditer(item):
        if _PERIOD_BEFORE.search(item, max(0, m.start() - 4), m.start()):
            continue
        # `1-6月份,全市…` is a period; `年底前全市…` (ending in 前) is still a deadline.
        if not item.startswith("前", m.end() - 1) and _PERIOD_AFTER.match(item[m.end():m.end() + 8]):
            continue
        if m.group("from") in {"1", "一"}:  # `1-6月`, `1月至6月`: the year to date, a period
            continue
        text_end = m.end()
        deadline_text = item[m.start():text_end]
        strong = bool(
            m.group("part") in {"底", "末", "下旬", "上旬", "中旬", "初"} if m.group("part") else False
        ) or bool(m.group("before") or m.group("qpart") or m.group("qbefore") or m.group("hbefore") or m.group("ybefore")) \
            or bool(_DEADLINE_VERB_AFTER.match(item, text_end))
        when = _deadline_date(m, _year_of(m, report_year))
        if m.group("yearend") == "全年":
            if not planned:
                continue  # `全年完成教育投入12.86亿元`: the year reported on, not a deadline
            strong = False
        if strong:
            return deadline_text, when
        if weak is None and not strong_only and (planned or _PLAN_CUE_BEFORE.search(item, max(0, m.start() - 8), m.start())):
            weak = (deadline_text, when)
    return weak if weak else (None, None)


def _year_of(m: re.Match[str], report_year: int | None) -> int | None:
    if m.group("year"):
        return int(m.group("year")[:4])
    return report_year


def _month_number(token: str) -> int | None:
    if is_masked(token):
        return None
    if token in _CN_MONTH:
        return _CN_MONTH[token]
    try:
        v = parse_number(token)
    except NumeralError:
        return None
    return int(v) if v and 1 <= v <= 12 else None


def _deadline_date(m: re.Match[str], year: int | None) -> date | None:
    if year is None:
        return None
    if m.group("month") is not None:
        month = _month_number(m.group("month"))
        if month is None:
            return None
        last = calendar.monthrange(year, month)[1]
        if m.group("day"):
            if is_masked(m.group("day")):
                return None
            day = int(m.group("day"))
            return date(year, month, min(day, last)) if day >= 1 else None
        if m.group("before") and not m.group("part"):
            # "before September" is done by 31 August.
            return date(year, month, 1).fromordinal(date(year, month, 1).toordinal() - 1)
        part = m.group("part")
        if part == "上旬" or part == "初":
            return date(year, month, 10)
        if part == "中旬":
            return date(year, month, 20)
        return date(year, month, last)
    if m.group("quarter") is not None:
        q = "一二三四".find(m.group("quarter")) + 1 or int(m.group("quarter"))
        # `三季度前` reads "by the third quarter", i.e. by its end, like `三季度末`.
        month = 3 * q
        return date(year, month, calendar.monthrange(year, month)[1])
    if m.group("half") is not None:
        if m.group("half") == "上半年":
            return date(year, 6, 30)
        return date(year, 12, 31) if m.group("hbefore") not in {"之前", "以前", "前"} else date(year, 6, 30)
    return date(year, 12, 31)


def _lead_for(sec: Section | None, marker: str | None, item: str) -> str:
    """The heading that structure found for an enumerated item, else the item's first sentence."""
    if sec is not None and marker is not None and sec.heading and item.startswith(sec.heading[:4]):
        return sec.heading.strip()
    return make_lead(item)


def _is_progress_report(sentence: str, report_year: int | None) -> bool:
    """`项目正在进行招标,…确保9月秋季开学之前竣工`: no leading verb, but progress and a deadline."""
    if not (_IN_PROGRESS_RE.search(sentence) or _PLANNED_RE.search(sentence)):
        return False
    return find_deadline(sentence, report_year, planned=False, strong_only=True)[0] is not None


def _children(sections: list[Section]) -> set[str]:
    return {s.parent_section_id for s in sections if s.parent_section_id}


def _content_start(text: str, s: Section) -> int:
    """Where an item's own text begins: after its marker and the punctuation that follows it."""
    pos = s.char_start
    if s.marker and text.startswith(s.marker, pos):
        pos += len(s.marker)
    elif s.heading_start > s.char_start:
        pos = s.heading_start
    while pos < s.char_end and text[pos] in _MARKER_TRAIL:
        pos += 1
    return pos


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " \t\r\n\u3000":
        end -= 1
    return end


def _kind(s: Section, by_id: dict[str, Section]) -> str | None:
    """The section's kind, or its nearest ancestor's when it says only `other`."""
    cur: Section | None = s
    while cur is not None:
        if cur.section_kind and cur.section_kind != "other":
            return cur.section_kind
        cur = by_id.get(cur.parent_section_id) if cur.parent_section_id else None
    return s.section_kind


def _is_container(s: Section, text: str) -> bool:
    """A top-level leaf whose heading names a part of the report rather than a piece of work."""
    if s.level != 1:
        return False
    heading = s.heading or make_lead(text[_content_start(text, s):s.char_end])
    return action_verb(heading) is None and bool(_PART_HEADING_RE.search(heading))


def extract_tasks(
    text: str,
    doc_id: str,
    sections: list[Section],
    sentences: list[Sentence],
    report_year: int | None,
) -> list[Task]:
    """Every work item in `text`, in document order."""
    by_id = {s.section_id: s for s in sections}
    parents = _children(sections)
    first_child_start: dict[str, int] = {}
    for c in sections:
        if c.parent_section_id and (c.parent_section_id not in first_child_start or c.char_start < first_child_start[c.parent_section_id]):
            first_child_start[c.parent_section_id] = c.char_start
    spans: list[tuple[int, int, Section | None, str | None]] = []  # (start, end, section, marker)
    covered: list[tuple[int, int]] = []  # where sentence-led items may not be looked for
    for s in sorted(sections, key=_START_LEVEL):
        if s.section_id in parents:
            # A heading with sub-items: only the intro before its first child could hold items,
            # and it describes rather than enumerates, so it stays out.
            first_child = first_child_start.get(s.section_id, s.char_end)
            covered.append((s.char_start, first_child))
            continue
        if _is_container(s, text):
            covered.append((s.char_start, _content_start(text, s) + len(s.heading or "")))
            continue
        start = _content_start(text, s)
        end = _rstrip(text, start, s.char_end)
        if end > start:
            spans.append((start, end, s, s.marker))
        covered.append((s.char_start, s.char_end))

    # Sentences outside any item: those led by an action become items of their own.
    covered.sort()
    n_cov, ci = len(covered), 0
    for sent in sorted(sentences, key=_START):
        # The last covered stretch starting at or before the sentence (a cursor: sentences come
        # in order, so this is bisect_right over the covered starts without the bisection).
        pos = sent.char_start
        while ci < n_cov and covered[ci][0] <= pos:
            ci += 1
        if ci and pos < covered[ci - 1][1]:
            continue
        stripped = sent.text.strip()
        body = _OPENER_RE.sub("", stripped)
        if len(body) < 4:
            continue
        if action_verb(body) is None and not _is_progress_report(body, report_year):
            continue
        offset = sent.text.find(stripped[:1]) if stripped else 0
        start = sent.char_start + max(offset, 0)
        end = _rstrip(text, start, sent.char_end)
        sec = by_id.get(sent.section_id) if sent.section_id else None
        spans.append((start, end, sec, None))

    spans.sort(key=_FIRST)
    tasks: list[Task] = []
    newlines = [m.start() for m in _NEWLINE_RE.finditer(text)]
    n_nl, nl = len(newlines), 0
    for start, end, sec, marker in spans:
        item = text[start:end]
        while nl < n_nl and newlines[nl] < start:  # spans are in order: count newlines as we go
            nl += 1
        kind = _kind(sec, by_id) if sec else None
        status = status_of(item, kind)
        lead = _lead_for(sec, marker, item)
        deadline_text, deadline_date = find_deadline(item, report_year, kind == "plan")
        tasks.append(_new_task(  # the fields in declared order
            f"{doc_id}:t{len(tasks) + 1}",  # task_id
            doc_id,
            sec.section_id if sec else None,  # section_id
            marker,
            lead,
            item,  # task_text
            start,  # char_start
            end,  # char_end
            status,
            action_verb(_OPENER_RE.sub("", lead)),  # action_verb
            deadline_text,
            deadline_date,
            nl + 1,  # line_no
        ))
    return tasks
