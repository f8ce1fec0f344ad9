"""Property-based tests over arbitrary text: the tree and the spans are always valid."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.decode import decode_bytes
from extractors.records import ExtractionError
from extractors.sentences import split_sentences
from extractors.structure import document_attributes, parse_sections

# Pieces a report is made of, so generated text hits markers, quotes and fused headings often.
PIECES = [
    "一、", "二、", "十一、", "(一)", "（二）", "(三)、", "1.", "2、", "3．", "(1)", "（2）", "①", "②", "一是", "二是",
    "第一，", "第二,", "首先，", "其次", "最后，", "2.62亿元", "1-5月份", "一、二季度", "存在问题", "下半年工作计划",
    "工作开展情况", "截至目前", "情况", "“", "”", "《", "》", "（", "）", "(", ")", "。", "！", "？", "；", ";", "!", "?",
    ".", "，", ",", "：", ":", "\n", "\n\n", " ", "\u3000", "\t", " | ", "【字体：大 中 小】", "目录", "……1", "［1］",
    "分享到：", "索引号 | 123", "工作", "项目", "完成", "x", "*", "\ufeff", "\r\n",
    "第一部分", "第二部分 ", "其一，", "其二，", "\n存在的问题\n", "\n下一步工作打算：\n", "上半年工作开展情况\n", "## ", "# ",
    "截至6月底", "主要做法", "\n2024年工作总结\n",
]
report_text = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=80).map("".join)
any_text = st.one_of(report_text, st.text(max_size=300))

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_sections(text: str, hints=()):
    sections, anomalies = parse_sections(text, "d", hints)
    by_id = {s.section_id: s for s in sections}
    for n, s in enumerate(sections, start=1):
        assert s.section_id == f"d:s{n}"
        assert 0 <= s.char_start <= s.heading_start <= s.heading_end <= s.char_end <= len(text)
        assert text[s.heading_start:s.heading_end] == s.heading
        assert text[s.char_start:s.char_start + len(s.marker)] == s.marker
        assert s.line_no == text.count("\n", 0, s.char_start) + 1
        assert 1 <= s.level <= 5 and s.ordinal >= 1
        assert s.section_kind in ("achievement", "problem", "plan", "other")
        if s.parent_section_id is not None:
            parent = by_id[s.parent_section_id]
            # Levels name marker families: only an unnumbered heading or a `第一部分` part may hold
            # sections of its own level (`第一部分` > `一、`, `Heading 2` > `(一)`).
            unnumbered = parent.marker == "" or parent.marker.endswith("部分")
            assert parent.level < s.level or (unnumbered and parent.level == s.level)
            assert parent.char_start < s.char_start and s.char_end <= parent.char_end
            assert s.path.startswith(parent.path + "/")
    for a, b in zip(sections, sections[1:]):
        assert a.char_start < b.char_start and a.heading_end <= b.char_start  # document order; a heading stops at the next marker
    siblings: dict[str | None, list] = {}
    for s in sections:
        siblings.setdefault(s.parent_section_id, []).append(s)
    for group in siblings.values():
        for a, b in zip(group, group[1:]):
            assert a.char_end <= b.char_start
    for a in anomalies:
        assert 0 <= a.char_start <= len(text) and a.line_no >= 1
    return sections


@SETTINGS
@given(any_text)
def test_section_tree_is_always_valid(text: str) -> None:
    check_sections(text)


@SETTINGS
@given(report_text, st.lists(st.tuples(st.integers(-5, 400), st.integers(-1, 10)), max_size=8))
def test_section_tree_is_valid_with_any_heading_hints(text: str, hints: list[tuple[int, int]]) -> None:
    check_sections(text, hints)


@SETTINGS
@given(any_text)
def test_sentences_are_exact_ordered_and_owned_by_a_containing_section(text: str) -> None:
    sections = check_sections(text)
    by_id = {s.section_id: s for s in sections}
    previous_end = 0
    for n, s in enumerate(split_sentences(text, "d", sections), start=1):
        assert s.sentence_id == f"d:z{n}"
        assert previous_end <= s.char_start < s.char_end <= len(text)
        assert text[s.char_start:s.char_end] == s.text and s.text == s.text.strip()
        assert s.line_no == text.count("\n", 0, s.char_start) + 1
        previous_end = s.char_end
        if s.section_id is not None:
            owner = by_id[s.section_id]
            assert owner.char_start <= s.char_start < owner.char_end
            deeper = [x for x in sections if x.char_start <= s.char_start < x.char_end and x.level > owner.level]
            assert not any(x.parent_section_id == owner.section_id for x in deeper)
        else:
            assert not any(x.char_start <= s.char_start < x.char_end for x in sections)


@SETTINGS
@given(any_text)
def test_document_attributes_never_fail(text: str) -> None:
    attrs = document_attributes(text)
    assert attrs.year is None or 1900 <= attrs.year <= 2099


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_decode_either_decodes_or_explains(data: bytes) -> None:
    try:
        text, encoding = decode_bytes(data)
    except ExtractionError as exc:
        assert str(exc)
    else:
        assert isinstance(text, str) and encoding
