"""Section trees and document attributes: hand-labelled golden trees and the cases of issue 3."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors.formats import read_file
from extractors.structure import boilerplate_spans, document_attributes, parse_sections, period_from_text

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = sorted((ROOT / "tests" / "golden" / "sections").glob("*.json"))


def tree(text: str) -> list[tuple[int, str, str, str]]:
    sections, _ = parse_sections(text, "d")
    return [(s.level, s.marker, s.heading, s.path) for s in sections]


def headings(text: str) -> list[str]:
    return [s.heading for s in parse_sections(text, "d")[0]]


# --------------------------------------------------------------------------- golden trees


def test_every_sample_has_a_golden_tree() -> None:
    names = {p.stem for p in GOLDEN}
    inbox = {p.stem for p in (ROOT / "examples" / "inbox").iterdir() if p.suffix == ".txt"}
    assert inbox <= names
    assert "000_e7b1ad551fc2b85b" in names


@pytest.mark.parametrize("golden", GOLDEN, ids=lambda p: p.stem)
def test_golden_section_tree(golden: Path) -> None:
    expected = json.loads(golden.read_text(encoding="utf-8"))
    source = ROOT / expected["source"]
    text = read_file(source)[0].text
    sections, _ = parse_sections(text, "d")
    index = {s.section_id: i for i, s in enumerate(sections)}
    got = [
        {"line": s.line_no, "level": s.level, "marker": s.marker, "heading": s.heading, "kind": s.section_kind,
         "path": s.path, "parent": index.get(s.parent_section_id)}
        for s in sections
    ]
    for i, (want, have) in enumerate(zip(expected["sections"], got)):
        assert have == want, f"section {i} of {golden.stem}"
    assert len(got) == len(expected["sections"])


# --------------------------------------------------------------------------- fused headings


def test_heading_fused_with_first_inline_item() -> None:
    text = "一、拉高标杆,有效激活招商潜能一是招商动力充分激发。突破性下达目标任务。"
    assert tree(text) == [
        (1, "一、", "拉高标杆,有效激活招商潜能", "一"),
        (5, "一是", "招商动力充分激发", "一/一是"),
    ]


def test_level_one_fused_with_level_two() -> None:
    text = "二、存在问题和不足(一)养老服务机构入院率不高,资源闲置。全市养老机构入住率仅为45.9%。"
    assert tree(text) == [
        (1, "二、", "存在问题和不足", "二"),
        (2, "(一)", "养老服务机构入院率不高,资源闲置", "二/(一)"),
    ]


def test_heading_fused_with_body_without_punctuation() -> None:
    text = "一、2023年上半年安全生产工作开展情况(一)全旗安全生产形势截至目前,我旗发生2起一般生产安全事故。"
    sections, _ = parse_sections(text, "d")
    assert [s.heading for s in sections] == ["2023年上半年安全生产工作开展情况", "全旗安全生产形势"]
    assert text[sections[1].heading_end:].startswith("截至目前")


def test_heading_ends_at_sentence_end_before_inline_items() -> None:
    text = "(二)抓住“水气”两个重点,在改善生态环境质量方面有新的提升。一是紧盯两个省考断面水质变化。"
    assert tree(text) == [
        (2, "(二)", "抓住“水气”两个重点,在改善生态环境质量方面有新的提升", "(二)"),
        (5, "一是", "紧盯两个省考断面水质变化", "(二)/一是"),
    ]


def test_heading_word_then_body_opening() -> None:
    assert headings("二、存在问题在取得成绩的同时,对照新要求仍有差距。") == ["存在问题"]
    assert headings("(六)宣传培训情况以“安全生产月”活动为契机,开展宣传活动。") == ["宣传培训情况"]


def test_two_part_title_keeps_its_comma_but_a_sentence_item_gives_its_opening_clause() -> None:
    assert headings("(六)深化环境要素保障，服务经济发展。一是提前介入。") == ["深化环境要素保障，服务经济发展", "提前介入"]
    assert headings("(一)蓝天。1.加快推进剩余28个入河排污口整治，确保10月底前全部完成。") == [
        "蓝天", "加快推进剩余28个入河排污口整治"]


def test_heading_stops_at_colon_and_drops_a_lead_in() -> None:
    assert headings("1.已完工x项:xx镇xx号地块表土剥离工程。2.处于前期x项,分别为:周一村工程。") == [
        "已完工x项", "处于前期x项"]


def test_level_one_with_a_dot() -> None:
    assert tree("一．主要工作\n二.存在问题") == [(1, "一．", "主要工作", "一"), (1, "二.", "存在问题", "二")]


def test_all_levels_and_variants() -> None:
    text = "\n".join([
        "一、总体情况",
        "（一）主要指标",
        "1．地区生产总值",
        "(1)第一产业",
        "①粮食生产稳定。",
        "2、投资",
        "3.消费",
        "（二）工作举措",
        "第一，抓项目。第二，抓招商。",
        "首先，要加强学习。其次，要抓好落实。最后，要强化考核。",
    ])
    assert tree(text) == [
        (1, "一、", "总体情况", "一"),
        (2, "（一）", "主要指标", "一/(一)"),
        (3, "1．", "地区生产总值", "一/(一)/1"),
        (4, "(1)", "第一产业", "一/(一)/1/(1)"),
        (5, "①", "粮食生产稳定", "一/(一)/1/(1)/①"),
        (3, "2、", "投资", "一/(一)/2"),
        (3, "3.", "消费", "一/(一)/3"),
        (2, "（二）", "工作举措", "一/(二)"),
        (5, "第一，", "抓项目", "一/(二)/第一"),
        (5, "第二，", "抓招商", "一/(二)/第二"),
        (5, "首先，", "要加强学习", "一/(二)/首先"),
        (5, "其次，", "要抓好落实", "一/(二)/其次"),
        (5, "最后，", "要强化考核", "一/(二)/最后"),
    ]
    sections, _ = parse_sections(text, "d")
    assert [s.ordinal for s in sections][-3:] == [1, 2, 3]


def test_enumeration_inside_a_sentence() -> None:
    text = "二、存在问题\n主要表现在三个方面，一是资金不足，二是人员短缺，三是机制不顺。"
    assert tree(text)[1:] == [
        (5, "一是", "资金不足", "二/一是"), (5, "二是", "人员短缺", "二/二是"), (5, "三是", "机制不顺", "二/三是")]


# --------------------------------------------------------------------------- not headings


@pytest.mark.parametrize("text", [
    "2.62亿元用于项目建设。",
    "1.5亿元已拨付到位。",
    "1-5月份,全区完成投资72亿元。",
    "一、二季度经济运行平稳。",
    "二、三产业协调发展。",
    "他说“一、要抓落实”。",
    "印发《关于一、二级公路养护的通知》。",
    "重点抓好三项工作：（1）抓项目，（2）抓招商，（3）抓服务。",
    "序号 | 项目 | 金额\n1. | 道路工程 | 100万元\n2. | 水利工程 | 50万元",
    "3、4月份完成招标。",
    "统一是基础。",
    "最后一公里问题得到解决。",
    "第一批项目已开工。",
])
def test_not_a_heading(text: str) -> None:
    assert parse_sections(text, "d")[0] == []


def test_list_items_inside_a_running_sentence_stay_prose_but_sentence_start_items_are_sections() -> None:
    prose = "主要措施有：（1）加强领导；（2）落实责任。"
    assert parse_sections(prose, "d")[0] == []
    items = "1、开展专项检查。（1）查处违规行为。（2）强化行刑衔接。"
    assert [s.path for s in parse_sections(items, "d")[0]] == ["1", "1/(1)", "1/(2)"]


# --------------------------------------------------------------------------- offsets and tree shape


def test_offsets_index_the_original_text_without_normalising() -> None:
    text = "\ufeff一、工作情况……\n①　全角空格之后的标题。（一）ＡＢＣ１２３治理。"
    sections, _ = parse_sections(text, "d")
    assert sections, "markers in full-width text are found"
    for s in sections:
        assert text[s.heading_start:s.heading_end] == s.heading
        assert text[s.char_start:s.char_start + len(s.marker)] == s.marker
        assert s.char_start <= s.heading_start <= s.heading_end <= s.char_end <= len(text)
    assert sections[1].marker == "①"  # never NFKC-folded to 1


def test_char_end_covers_children_and_stops_at_next_sibling() -> None:
    text = "一、甲\n(一)乙。内容。\n(二)丙。内容。\n二、丁\n内容。  \n"
    sections, _ = parse_sections(text, "d")
    one, a, b, two = sections
    assert text[one.char_start:one.char_end] == "一、甲\n(一)乙。内容。\n(二)丙。内容。"
    assert a.char_end == b.char_start - 1
    assert text[two.char_start:two.char_end] == "二、丁\n内容。"
    assert a.parent_section_id == one.section_id and two.parent_section_id is None
    assert [s.section_id for s in sections] == ["d:s1", "d:s2", "d:s3", "d:s4"]
    assert [s.line_no for s in sections] == [1, 2, 3, 4]


def test_restarting_markers_are_recorded_not_fatal() -> None:
    text = "一、甲\n二、乙\n一、丙\n三、丁"
    sections, anomalies = parse_sections(text, "d")
    assert [s.heading for s in sections] == ["甲", "乙", "丙", "丁"]
    assert {a.kind for a in anomalies} >= {"marker_restart", "marker_skip"}
    assert all(a.line_no in (3, 4) for a in anomalies)


def test_excerpt_collection_reads_each_line_as_its_own_tree() -> None:
    text = "(二)甲。一是子项。\n(二)乙。一是子项。\n二是丙。\n(一)丁。\n二、戊"
    sections, anomalies = parse_sections(text, "d")
    assert [s.path for s in sections] == ["(二)", "(二)/一是", "(二)", "(二)/一是", "二是", "(一)", "二"]
    assert all(s.parent_section_id is None or s.line_no == sections[int(s.parent_section_id.split("s")[-1]) - 1].line_no
               for s in sections)
    assert anomalies[0].kind == "excerpt_collection"


# --------------------------------------------------------------------------- kinds


def test_section_kind_from_cues_and_inheritance() -> None:
    text = "\n".join([
        "一、上半年工作开展情况", "(一)抓项目", "一是推进建设。",
        "二、存在的问题和不足", "(一)资金不足", "三、下半年工作计划", "(一)加快补齐短板",
        "四、保障措施",
    ])
    kinds = [(s.path, s.section_kind) for s in parse_sections(text, "d")[0]]
    assert kinds == [
        ("一", "achievement"), ("一/(一)", "achievement"), ("一/(一)/一是", "achievement"),
        ("二", "problem"), ("二/(一)", "problem"), ("三", "plan"), ("三/(一)", "plan"), ("四", "plan"),
    ]


def test_topical_headings_before_the_problems_part_are_achievements() -> None:
    text = "一、对标先进,全面激活动能\n一是目标传导。\n二、存在的问题\n三、下半年工作打算"
    assert [s.section_kind for s in parse_sections(text, "d")[0]] == ["achievement", "achievement", "problem", "plan"]


def test_nothing_said_means_other() -> None:
    assert [s.section_kind for s in parse_sections("一、拉高标杆\n二、精准发力", "d")[0]] == ["other", "other"]


# --------------------------------------------------------------------------- web-page leftovers


WEB = """首页 > 政务公开 > 计划总结
首页 机构概况 政务公开 政务服务 互动交流
【字体：大 中 小】 打印本页 关闭窗口
索引号 | 11330000-2023-00123 | 发布机构 | 泓川市民政局
成文日期 | 2023-07-10 | 主题分类 | 民政
目录
一、上半年工作开展情况……1
二、存在问题……3
一、上半年工作开展情况
（一）加强统筹。一是保障住房安全［1］。
二、存在问题
存在资金不足问题。
分享到：微信 微博
［1］数据来源于统计局。
版权所有：泓川市人民政府 ICP备12345678号
"""


def test_web_leftovers_yield_no_sections_and_end_the_last_one() -> None:
    sections, _ = parse_sections(WEB, "d")
    assert [(s.path, s.heading, s.line_no) for s in sections] == [
        ("一", "上半年工作开展情况", 9), ("一/(一)", "加强统筹", 10), ("一/(一)/一是", "保障住房安全", 10),
        ("二", "存在问题", 11),
    ]
    assert WEB[sections[-1].char_start:sections[-1].char_end] == "二、存在问题\n存在资金不足问题。"
    noise = [WEB[a:b] for a, b in boilerplate_spans(WEB)]
    assert "分享到：微信 微博" in noise and "目录" in noise and "［1］数据来源于统计局。" in noise
    assert "首页 机构概况 政务公开 政务服务 互动交流" in noise


def test_attachment_list_and_signature_close_the_body() -> None:
    text = "一、主要工作\n（一）抓项目。\n\n附件：1.重点项目清单\n      2.活动安排表\n\nxx市文化和旅游局\n2023年7月5日\n"
    sections, _ = parse_sections(text, "d")
    assert [s.path for s in sections] == ["一", "一/(一)"]
    assert text[sections[0].char_start:sections[0].char_end] == "一、主要工作\n（一）抓项目。"
    noise = [text[a:b].strip() for a, b in boilerplate_spans(text)]
    assert noise == ["附件：1.重点项目清单", "2.活动安排表", "xx市文化和旅游局", "2023年7月5日"]
    assert document_attributes(text).department == "xx市文化和旅游局"


def test_metadata_table_fills_document_attributes() -> None:
    attrs = document_attributes(WEB)
    assert attrs.department == "泓川市民政局"
    assert attrs.region == "泓川市"


# --------------------------------------------------------------------------- document attributes


@pytest.mark.parametrize("text, title, department, region, year, period", [
    ("xx县医疗保障局2023年上半年工作总结和下半年工作计划\n今年以来…", "xx县医疗保障局2023年上半年工作总结和下半年工作计划",
     "xx县医疗保障局", "xx县", 2023, "H1"),
    ("*区发展和改革局2024年1-5月份工作情况及下一步工作打算\n一、…", "*区发展和改革局2024年1-5月份工作情况及下一步工作打算",
     "*区发展和改革局", "*区", 2024, "M01-M05"),
    ("xx县教育局2024年工作要点\n\n2024年全县教育工作…", "xx县教育局2024年工作要点", "xx县教育局", "xx县", 2024, "FY"),
    ("一、2023年上半年安全生产工作开展情况(一)全旗安全生产形势", None, None, None, 2023, "H1"),
    ("关于2023年第三季度工作情况的报告\n…\n泓川市民政局\n2023年10月8日", "关于2023年第三季度工作情况的报告",
     "泓川市民政局", "泓川市", 2023, "Q3"),
])
def test_document_attributes(text: str, title, department, region, year, period) -> None:
    attrs = document_attributes(text)
    assert (attrs.title, attrs.department, attrs.region, attrs.year, attrs.period) == (
        title, department, region, year, period)


@pytest.mark.parametrize("phrase, code", [
    ("上半年", "H1"), ("下半年", "H2"), ("1-5月份", "M01-M05"), ("1—6月", "M01-M06"), ("前三季度", "M01-M09"),
    ("一季度", "Q1"), ("第四季度", "Q4"), ("2023年工作总结", "FY"), ("全年", "FY"), ("随便说说", None),
])
def test_period_from_text(phrase: str, code: str | None) -> None:
    assert period_from_text(phrase) == code
