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
