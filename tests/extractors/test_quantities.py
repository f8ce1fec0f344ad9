"""Quantities: one behaviour per test, on short real-looking sentences."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.numbers import adjacent_digit_range, parse_chinese, parse_number
from extractors.quantities import emitted_units, extract_indicators
from extractors.records import Section, Task

SEED = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds" / "units.csv"


def run(text: str, *, kind: str = "achievement", year: int | None = 2024, tasks: list[Task] | None = None):
    # One section over the whole text; the sentence fallback splits at 。 so no splitter is needed.
    section = Section("d:s1", "d", None, 1, "一、", 1, "", 0, 0, kind, "一", 0, len(text), 1)
    return extract_indicators(text, "d", [section], [], tasks or [], year)


def one(text: str, **kw):
    rows = run(text, **kw)
    assert len(rows) == 1, [r.quantity_text for r in rows]
    return rows[0]


def spans(text: str) -> list[str]:
    return [r.quantity_text for r in run(text)]


def test_offsets_are_exact_and_ids_in_document_order():
    text = "共清理40余家社会组织,资助资金1972.95万元。"
    rows = run(text)
    assert [r.indicator_id for r in rows] == ["d:i1", "d:i2"]
    for r in rows:
        assert text[r.char_start:r.char_end] == r.quantity_text


def test_value_and_unit_as_written():
    r = one("2024年春季学期资助资金1972.95万元。")
    assert (r.value, r.unit, r.qualifier, r.subject) == (1972.95, "万元", "exact", "资助资金")
    assert r.value_low == r.value_high == 1972.95


def test_thousands_separator_and_full_width_digits():
    assert one("受助学生27,029人。").value == 27029
    assert one("受助学生２７０２９人。").value == 27029


def test_comma_that_is_punctuation_is_not_a_separator():
    assert spans("排查隐患732处,已整改649处,整改率89%。") == ["732处", "649处", "89%"]


def test_subjects_of_a_chained_sentence():
    rows = run("排查隐患732处,已整改649处,整改率89%。")
    assert [r.subject for r in rows] == ["排查隐患", "已整改", "整改率"]
    assert rows[2].comparison == "share"


@pytest.mark.parametrize("text,value,unit", [
    ("紧盯两个省考断面水质变化。", 2, "个"),
    ("用好五本台账。", 5, "本"),
    ("常态开展14个专项行动。", 14, "个"),
    ("定期抽取百分之十的外伤医保报销进行稽核。", 10, "%"),
    ("接待游客1.5万人。", 1.5, "万人"),
    ("建成三万平方米厂房。", 3, "万平方米"),
    ("新建两千三百米道路。", 2300, "米"),
])
def test_chinese_and_mixed_numerals(text, value, unit):
    r = one(text)
    assert (r.value, r.unit) == (value, unit)


def test_cn2an_only_sees_isolated_numerals():
    # Words that contain numeral characters stay words.
    assert spans("统一部署,一是加强领导,进一步压实责任,一体推进。") == []
    assert parse_chinese("十四") == 14 and parse_chinese("两千三百") == 2300


def test_adjacent_digits_are_a_range_not_fifty_six():
    assert adjacent_digit_range("五六") == (5, 6)
    r = one("检查五六家企业。")
    assert (r.qualifier, r.value_low, r.value_high) == ("range", 5, 6)


@pytest.mark.parametrize("text", ["每月专项巡查5—6家定点医疗机构。", "每月专项巡查5-6家定点医疗机构。", "每月专项巡查5至6家定点医疗机构。"])
def test_ranges(text):
    r = one(text)
    assert (r.quantity_text[-1], r.qualifier, r.value_low, r.value_high, r.value) == ("家", "range", 5, 6, 5)


@pytest.mark.parametrize("text,qualifier,low,high", [
    ("共清理40余家社会组织。", "approx", 40, 40),
    ("占用约109亩基本农田。", "approx", 109, 109),
    ("节省时间40天左右。", "approx", 40, 40),
    ("有近300人参加。", "approx", 300, 300),
    ("确保参保率不低于98%。", "at_least", 98, None),
    ("职工不少于50人。", "at_least", 50, None),
    ("节省编制时间40天以上。", "at_least", 40, None),
    ("覆盖率达到95%。", "at_least", 95, None),
    ("投资超过3亿元。", "more_than", 3, None),
    ("投资不超过3亿元。", "at_most", None, 3),
    ("时间控制在5天以内。", "at_most", None, 5),
    ("入住率不足40%。", "less_than", None, 40),
    ("入住率低于40%。", "less_than", None, 40),
])
def test_qualifiers(text, qualifier, low, high):
    r = one(text)
    assert (r.qualifier, r.value_low, r.value_high) == (qualifier, low, high)


def test_a_verb_ending_in_a_qualifier_character_is_not_a_qualifier():
    r = one("再分别签约3个百亿项目。")
    assert (r.quantity_text, r.qualifier) == ("3个", "exact")


@pytest.mark.parametrize("text,quantity,unit", [
    ("商品销售总额完成xxxxx.x万元。", "xxxxx.x万元", "万元"),
    ("年纳税约x.xx亿元。", "约x.xx亿元", "亿元"),
    ("对天润工业等*家企业进行跟踪指导。", "*家", "家"),
    ("复制推广***模式,举办专题展览至少*个。", "至少*个", "个"),
    ("同比增长xxx.x%。", "xxx.x%", "%"),
    ("排查ｘ户疑似危房。", "ｘ户", "户"),
])
def test_masked_numbers_keep_unit_and_qualifier(text, quantity, unit):
    r = one(text)
    assert (r.quantity_text, r.unit, r.is_masked, r.value, r.value_low, r.value_high) == (quantity, unit, True, None, None, None)


def test_masked_row_keeps_status_and_subject():
    r = one("博物馆计划接待游客*万余人次。")
    assert (r.unit, r.qualifier, r.status, r.is_masked) == ("万人次", "approx", "target", True)
    assert "游客" in r.subject


@pytest.mark.parametrize("text", [
    "严格执行2022年国家基本医疗保险药品目录。",
    "7月份全面开工建设,确保9月秋季开学之前竣工。",
    "预计6月底全部完工。",
    "(三)建立健全基金监管长效机制。",
    "加快《*区碳达峰行动方案》编制工作。",
    "对照上级“十四五”规划。",
    "S456xx至谭家桥公路xx段,G330新桥至芜黄高速。",
    "HG*海上光伏快速建设。",
    "完成第一批教师资格认定工作,第二批认定正在进行。",
    "做好*年省级重点项目储备。",
    "深入开展安全生产专项整治三年行动。",
    "及时动态更新“四个清单”。",
    "高效办成一件事,一次性告知,一户一策。",
    "着力打造千万工程和百亿项目。",
    "1-5月份,x月xx日挂网招标。",
    "周一村生活污水工程(二期)。",
])
def test_not_indicators(text):
    assert spans(text) == []


def test_duration_years_are_indicators():
    r = one("连续3年保持零事故。")
    assert (r.value, r.unit) == (3, "年")


def test_units_inside_words_are_not_units():
    assert spans("到村项目xx个,xx项目开工。") == ["xx个"]
    assert spans("建立5本台账。") == ["5本"]


@pytest.mark.parametrize("text,comparison,direction", [
    ("签约工业项目同比增长xxx.x%。", "year_on_year", "up"),
    ("事故起数同比下降12.5%。", "year_on_year", "down"),
    ("完成目标任务的xx.x%。", "vs_target", None),
    ("入住率仅为37.8%。", "share", None),
    ("第三产业占比达45%。", "share", None),
    ("新增x条道路。", "none", None),
])
def test_comparison_and_direction(text, comparison, direction):
    r = one(text)
    assert (r.comparison, r.direction) == (comparison, direction)


def test_target_completion_inherits_the_subject_before_it():
    rows = run("协议投资同比增长xxx.x%,完成目标任务的xx.x%。")
    assert [r.subject for r in rows] == ["协议投资", "协议投资"]
    assert [r.comparison for r in rows] == ["year_on_year", "vs_target"]


def test_flat_year_on_year_is_a_row_without_a_number():
    rows = run("化肥供应量完成xxxx吨,与去年同期相比持平。")
    level, flat = rows
    assert (level.quantity_text, level.comparison) == ("xxxx吨", "none")
    assert (flat.quantity_text, flat.value, flat.unit, flat.is_masked) == ("持平", None, None, False)
    assert (flat.comparison, flat.direction, flat.subject) == ("year_on_year", "flat", "化肥供应量")


def test_status_from_cues_and_section_kind():
    assert one("计划面向社会引进急需紧缺人才12人。").status == "target"
    assert one("已有301人通过认定。").status == "actual"
    assert one("确保城乡居民参保率不低于98%。", kind="plan").status == "target"
    assert one("截至目前已完成xxx米混凝土浇筑。", kind="plan").status == "actual"
    assert one("检查企业68家次。").status == "actual"


def test_period_year_from_the_sentence_else_the_report():
    assert one("2023年1月至6月,储备重点在谈项目xx个。").period_year == 2023
    assert one("储备重点在谈项目xx个。").period_year == 2024
    assert one("储备重点在谈项目xx个。", year=None).period_year is None


def test_task_link_and_section():
    text = "一是做好民生保障。受助学生27029人。二是加强管理。"
    task = Task("d:t1", "d", "d:s1", "一是", "做好民生保障", text[2:18], 2, 18, "completed", "做好", None, None, 1)
    r = one(text, tasks=[task])
    assert (r.task_id, r.section_id) == ("d:t1", "d:s1")
    assert r.sentence_text == "受助学生27029人。"


def test_every_emitted_unit_has_a_seed_row():
    with SEED.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    seeded = {r["unit"] for r in rows}
    assert emitted_units() <= seeded, sorted(emitted_units() - seeded)
    kinds = {"currency", "percent", "count", "area", "mass", "power", "energy", "length", "duration", "other"}
    assert {r["measure_kind"] for r in rows} <= kinds
    assert all(float(r["factor"]) > 0 and r["unit_base"] for r in rows)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="一二三四五六七八九十百千万两零是的统第年月日个家人元万亿%xX*—-至约余以上0123456789.,。《》“”", max_size=60))
def test_spans_always_index_the_text(text):
    for r in run(text):
        assert text[r.char_start:r.char_end] == r.quantity_text
        if r.is_masked:
            assert r.value is None and r.value_low is None and r.value_high is None
        elif r.quantity_text != "持平":
            assert r.value is not None and r.unit


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=99999999))
def test_chinese_numerals_round_trip(n):
    import cn2an
    assert parse_number(cn2an.an2cn(n)) == n


# ---------------------------------------------------------------------------------------------
# The fast paths of extractors.quantities against the plain code they replaced: the same answers.
# (bench/profile_extract.py measures the speed; these keep the shortcuts honest.)
# ---------------------------------------------------------------------------------------------

import re  # noqa: E402

from extractors import quantities as q  # noqa: E402

_SUBJECT_ALPHABET = (
    "其中共计累计合计总计目前今年全市我县确保力争实现将已有同比较去年增长下降了至为是达到的在完成实现保持控制"
    "年度月份2024xX*0123456789一二三是、.．(（)）①“”\"' \n企业资金学生排查检查公司"
)


# Texts made of the words the rules look for, so that the examples hit them often.
_CLAUSE_WORDS = st.sampled_from([
    "，", ",", "；", "。", "！", "？", "：", "\n", "、", "（", "(", ")", "）", "的", "和", "共", "共计", "其中", "累计",
    "12", "3.5", "x", "一", "年", "家", "个", "万元", "%", "个百分点", "人次", "所", "增长", "增加了", "提高", "下降",
    "减少", "同比", "比上年", "环比", "较年初", "达到", "达", "为", "约", "完成目标的", "完成年度任务", "目标完成率",
    "占", "占比", "增速", "企业", "学校", "资金", "检查", "正在", "已", "“", "”",
])


def _clean_subject_plain(raw: str) -> str:
    s = q._MARKER_LEAD.sub("", raw.strip()).strip("“”\"'")
    options = []
    last_sum = None
    for last_sum in q._SUBJECT_SUM.finditer(s):
        pass
    if last_sum is not None:
        options.append(s[last_sum.end():])
    options.append(s)
    for option in options:
        prev = None
        while prev != option:
            prev = option
            option = q._SUBJECT_TAIL.sub("", option)
            option = q._SUBJECT_LEAD.sub("", option)
            option = option.strip("“”\"'、 ")
        if option and option not in {"已", "已经"}:
            return option.replace("“", "").replace("”", "")
    return ""


@settings(max_examples=600, deadline=None)
@given(st.one_of(st.text(alphabet=_SUBJECT_ALPHABET, max_size=30), st.lists(_CLAUSE_WORDS, max_size=12).map("".join)))
def test_clean_subject_prechecks_change_nothing(raw):
    assert q._clean_subject(raw) == _clean_subject_plain(raw)


def test_clean_subject_prechecks_cover_every_literal():
    # The pre-check sets are built from the patterns; a class or escape there would be missed.
    for rx in (q._SUBJECT_TAIL, q._TARGET_PHRASE, q._UP_RE, q._DOWN_RE):
        assert q._literal_chars(rx.pattern)
    for word in ("达到", "增长了", "为", "同比增长"):
        assert word[-1] in q._SUBJECT_TAIL_LAST
    for word in ("其中", "2024年", "xxxx年", "1-6月", "今年以来"):
        assert word[0] in q._SUBJECT_LEAD_FIRST


_YEAR_WORDS = st.sampled_from(["2023年", "2024年", "1", "0", "9", "年", "以来", "以", "比", "较", "与", "同期", "，", "。", "x", "上半年"])


@settings(max_examples=600, deadline=None)
@given(st.lists(_YEAR_WORDS, max_size=14).map("".join), st.data())
def test_period_year_matches_the_windowed_regex(text, data):
    sent_start = data.draw(st.integers(0, len(text)))
    pos = data.draw(st.integers(sent_start, len(text)))
    year = None
    for m in q._YEAR_RE.finditer(text, sent_start, pos):  # the plain reading
        if text[max(sent_start, m.start() - 1):m.start()] in {"比", "较", "与"}:
            continue
        year = int(m.group(1))
    expected = year if year is not None else 7
    assert q._period_year(text, q._year_mentions(text), sent_start, pos, 7, None) == expected
    assert [m.span() for m in q._YEAR_FAST_RE.finditer(text)] == [m.span() for m in q._YEAR_RE.finditer(text)]




def _clause_plain(text, start, end, sent_start, sent_end):
    i = start - 1
    while i >= sent_start and text[i] not in q._CLAUSE_BREAK:
        i -= 1
    j = end
    while j < sent_end and text[j] not in q._CLAUSE_BREAK:
        j += 1
    return i + 1, j


def _subject_for_plain(text, cand, floor, c_end):
    if cand.flat:
        return ""
    start = cand.start
    i, depth = start - 1, 0
    while i >= floor:
        ch = text[i]
        if ch in ")）":
            depth += 1
        elif ch in "(（":
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and ch in q._SUBJECT_BREAK:
            break
        i -= 1
    prefix = text[max(i + 1, start - 30):start]
    if prefix.startswith("的"):
        cut = max(prefix.rfind(c) for c in "和及与的")
        prefix = prefix[cut + 1:]
    if cand.comparison == "vs_target":
        return _clean_subject_plain(q._TARGET_PHRASE.sub("", prefix))
    before = _clean_subject_plain(prefix)
    unit = cand.unit or ""
    kind = q._UNIT_KIND.get(unit) or q._UNIT_KIND.get(unit.lstrip("万亿"))
    if kind == "count" or not before or (text.startswith("的", cand.end) and kind == "percent"):
        after = q._subject_after(text, cand.end, c_end)
        if after:
            return after
    return before


def _classify_plain(text, cand, clause_start):
    prefix = text[clause_start:cand.start]
    tail = prefix[-14:]
    unit = cand.unit or ""
    is_pct = unit in {"%", "％", "‰"}
    if cand.flat:
        return "year_on_year", "flat"
    if q._TARGET_PHRASE.search(tail):
        return "vs_target", None
    up, down = q._UP_RE.search(tail), q._DOWN_RE.search(tail)
    if not (up or down) and (is_pct or unit.endswith("百分点")) and q._GROWTH_AFTER.match(text, cand.end):
        up = q._GROWTH_AFTER.match(text, cand.end)
    if up or down:
        direction = "up" if up and (not down or up.start() > down.start()) else "down"
        if q._YOY_BASE.search(prefix):
            return "year_on_year", direction
        if (is_pct or unit.endswith("百分点")) and not q._OTHER_BASE.search(prefix):
            return "year_on_year", direction
        return "none", direction
    if q._YOY_BASE.search(tail):
        return "year_on_year", None
    if is_pct or unit == "成":
        return "share", None
    return "none", None


# A figure with words before and after it, several of them in a row: every example has figures.
_FIGURE = st.tuples(
    st.lists(_CLAUSE_WORDS, max_size=5).map("".join),
    st.sampled_from(["12", "3.5", "x", "xx.x", "三", "5-6"]),
    st.sampled_from(["家", "个", "万元", "%", "个百分点", "人次", "所", "吨", "成"]),
    st.lists(_CLAUSE_WORDS, max_size=3).map("".join),
).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.lists(_FIGURE, min_size=1, max_size=5).map("".join), st.data())
def test_clause_subject_and_classification_match_the_plain_scans(text, data):
    rtext = text[::-1]
    for cand in q.find_quantities(text):
        sent_start = data.draw(st.integers(0, cand.start))
        sent_end = data.draw(st.integers(cand.end, len(text)))
        c_start, c_end = q._clause(text, rtext, cand.start, cand.end, sent_start, sent_end)
        assert (c_start, c_end) == _clause_plain(text, cand.start, cand.end, sent_start, sent_end)
        q._classify(text, cand, c_start, c_end)
        assert (cand.comparison, cand.direction) == _classify_plain(text, cand, c_start)
        floor = data.draw(st.integers(c_start, cand.start))
        assert q._subject_for(text, rtext, cand, floor, c_end) == _subject_for_plain(text, cand, floor, c_end)


def test_parse_arabic_fast_path():
    from extractors.numbers import parse_arabic
    for token in ("1972.95", "27,029", "２７０２９", "１９７２．９５", "3,000.5", "7"):
        assert parse_arabic(token) == float(token.translate(str.maketrans("０１２３４５６７８９．", "0123456789.")).replace(",", ""))


@pytest.mark.parametrize("text,quantity,unit,qualifier", [
    ("60周岁及以上老年人口达到38.7万人。", "60周岁及以上", "周岁", "at_least"),
    ("教师平均年龄45.6岁。", "45.6岁", "岁", "exact"),
    ("开设课程42门。", "42门", "门", "exact"),
    ("修订专项预案7部。", "7部", "部", "exact"),
    ("新增警示标志牌86块。", "86块", "块", "exact"),
    ("累计存储服务时长13.5万小时。", "13.5万小时", "万小时", "exact"),
    ("储备物资2.1万件(套)。", "2.1万件(套)", "万件(套)", "exact"),
    ("新增用能指标约2.3万吨标准煤。", "约2.3万吨标准煤", "万吨标准煤", "approx"),
    ("签约后3个月内开工。", "3个月内", "个月", "at_most"),
    ("申报后30天内兑现。", "30天内", "天", "at_most"),
    ("每月召开一次项目推进会。", "一次", "次", "exact"),
])
def test_units_ages_and_durations(text, quantity, unit, qualifier):
    row = next(r for r in run(text) if r.quantity_text == quantity)
    assert (row.unit, row.qualifier) == (unit, qualifier)


def test_more_units_have_seed_rows():
    seeded = {row["unit"] for row in csv.DictReader(SEED.open(encoding="utf-8"))}
    for unit in ("岁", "周岁", "门", "部", "块", "万小时", "吨标准煤", "万吨标准煤", "件(套)", "万件(套)"):
        assert unit in seeded, unit


def test_inner_is_not_a_qualifier_inside_a_word():
    assert spans("3天内容丰富。") == ["3天"]


def test_quoted_slogan_of_parallel_phrases_is_not_an_indicator():
    assert spans("实行“一个项目、一名领导、一个专班、一抓到底”服务模式。") == []


@pytest.mark.parametrize("text,subject", [
    ("力争年底前全市养老机构入住率提高5个百分点。", "养老机构入住率"),
    ("6月底前固定资产投资完成50%以上。", "固定资产投资"),
    ("地区生产总值预计完成186.4亿元。", "地区生产总值"),
    ("其他各类上级资金约7500万元。", "其他各类上级资金"),
    ("查处交通违法行为1437起。", "查处交通违法行为"),
    ("完成12家涉挥发性有机物企业深度治理。", "涉挥发性有机物企业深度治理"),
])
def test_subjects_drop_deadlines_and_keep_whole_words(text, subject):
    assert run(text, kind="plan")[0].subject == subject


@pytest.mark.parametrize("text,status", [
    ("1-5月份,全区地区生产总值预计完成186.4亿元。", "actual"),
    ("争取新增建设用地指标856亩。", "actual"),
    ("完成节能改造项目6个,预计年节能约1.1万吨标准煤。", "target"),
    ("1-5月份累计完成投资61.2亿元,完成年度计划的42.6%。", "actual"),
])
def test_status_in_an_achievement_section(text, status):
    assert run(text)[-1].status == status


# Subject tails as written: the tail pattern's own words, the word before its lookbehind, nouns.
_TAIL_WORDS = st.sampled_from([
    "同比", "较去年同期", "与上年同期相比", "环比", "增长", "下降", "压缩", "了", "至", "到", "为", "行", "行为",
    "分别为", "是", "达到", "达", "共计", "共", "计", "完成", "实现", "有", "保持在", "稳定", "控制在", "在", "将",
    "年底前", "底前", "的", "企业", "资金", "学校", "x", "\n", " ",
])


@settings(max_examples=2000, deadline=None)
@given(st.lists(_TAIL_WORDS, min_size=1, max_size=8).map("".join))
def test_strip_tail_is_the_tail_substitution(option):
    assert q._strip_tail(option) == q._SUBJECT_TAIL.sub("", option)
