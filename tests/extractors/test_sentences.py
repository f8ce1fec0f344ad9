"""Sentence splitting: ends, protected spans, offsets, line numbers and the owning section."""
from __future__ import annotations

from extractors.sentences import MAX_SENTENCE, split_sentences
from extractors.structure import parse_sections


def sentences(text: str) -> list[str]:
    sections, _ = parse_sections(text, "d")
    found = split_sentences(text, "d", sections)
    for s in found:
        assert text[s.char_start:s.char_end] == s.text
    return [s.text for s in found]


def test_splits_on_full_and_half_width_ends() -> None:
    assert sentences("完成投资5亿元。增长8%！为什么？原因有三；一是快. Done!ok?fine;end") == [
        "完成投资5亿元。", "增长8%！", "为什么？", "原因有三；", "一是快.", "Done!", "ok?", "fine;",
        "end"]


def test_never_splits_inside_quotes_book_titles_or_brackets() -> None:
    text = "他强调“要抓落实。要见成效”然后散会。印发《方案。细则》文件。投资（其中中央资金。地方资金）到位。"
    assert sentences(text) == ["他强调“要抓落实。要见成效”然后散会。", "印发《方案。细则》文件。",
                               "投资（其中中央资金。地方资金）到位。"]


def test_an_unmatched_quote_does_not_swallow_the_text() -> None:
    assert sentences("共清理40余家”僵尸型”社会组织。撤销1家。") == ["共清理40余家”僵尸型”社会组织。", "撤销1家。"]
    assert sentences("他说“开始。然后。\n下一行。") == ["他说“开始。", "然后。", "下一行。"]


def test_decimal_points_and_closing_quotes() -> None:
    assert sentences("增长2.5%。他说：“好。”接着。") == ["增长2.5%。", "他说：“好。”", "接着。"]


def test_line_numbers_and_deepest_section() -> None:
    text = "前言。\n一、工作情况\n(一)抓项目。一是建设。内容。\n二、问题"
    sections, _ = parse_sections(text, "d")
    found = split_sentences(text, "d", sections)
    by_id = {s.section_id: s.path for s in sections}
    assert [(s.text, s.line_no, by_id.get(s.section_id)) for s in found] == [
        ("前言。", 1, None),
        ("一、工作情况", 2, "一"),
        ("(一)抓项目。", 3, "一/(一)"),
        ("一是建设。", 3, "一/(一)/一是"),
        ("内容。", 3, "一/(一)/一是"),
        ("二、问题", 4, "二"),
    ]
    assert [s.sentence_id for s in found] == [f"d:z{i}" for i in range(1, 7)]


def test_fused_heading_is_its_own_sentence() -> None:
    assert sentences("一、拉高标杆,激活潜能一是招商动力充分激发。") == ["一、拉高标杆,激活潜能", "一是招商动力充分激发。"]


def test_web_leftovers_yield_no_sentences() -> None:
    text = "【字体：大 中 小】 打印本页\n正文一句。\n分享到：微信 微博"
    assert sentences(text) == ["正文一句。"]


def test_a_run_without_ends_is_cut_into_bounded_pieces() -> None:
    text = ("很长的句子没有句号，" * 300) + "结束"
    pieces = sentences(text)
    assert len(pieces) > 1 and all(len(p) <= MAX_SENTENCE for p in pieces)
    assert "".join(pieces) == text


def test_an_unnumbered_part_heading_is_its_own_sentence_owned_by_its_section() -> None:
    text = "今年以来，我局扎实推进各项工作。\n存在的问题\n一是资金不足。二是人才短缺。\n下一步工作打算\n加快建设。"
    sections, _ = parse_sections(text, "d")
    sentences = split_sentences(text, "d", sections)
    by_id = {s.section_id: s for s in sections}
    owned = [(z.text, by_id[z.section_id].path if z.section_id else None) for z in sentences]
    assert owned == [
        ("今年以来，我局扎实推进各项工作。", None), ("存在的问题", "存在的问题"), ("一是资金不足。", "存在的问题/一是"),
        ("二是人才短缺。", "存在的问题/二是"), ("下一步工作打算", "下一步工作打算"), ("加快建设。", "下一步工作打算")]
