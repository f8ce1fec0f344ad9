"""Sentences and clauses of a report, with exact offsets and line numbers.

A sentence ends after 。！？； (or their half-width forms, `.` only after a CJK character), at a
line end, and where a section's marker starts (a heading fused with its body is its own
sentence). Never inside “…”, 《…》 or brackets: those are paired within their line first, so an
unmatched quote cannot swallow the rest of the document. Web-page leftovers yield no sentences.
A run longer than MAX_SENTENCE without any end is cut at its last comma, so downstream stages
see bounded input.
"""
from __future__ import annotations

from bisect import bisect_right

from extractors.records import Section, Sentence
from extractors.structure import boilerplate_spans

__all__ = ["split_sentences", "MAX_SENTENCE"]

MAX_SENTENCE = 1000
_ENDS = set("。！？；!?;")
_CLOSERS = set("”’\"」』）)】]")
_PAIRS = {"“": "”", "《": "》", "（": "）", "(": ")", "【": "】", "[": "]", "「": "」", "‘": "’"}
_PAIR_LIMIT = 400


def split_sentences(text: str, doc_id: str, sections: list[Section]) -> list[Sentence]:
    """Split the text; section_id is the deepest section containing each sentence's start."""
    breaks = set(s.char_start for s in sections)
    noise = boilerplate_spans(text)
    spans: list[tuple[int, int]] = []
    n = len(text)
    pos = 0
    noise_i = 0
    while pos < n:
        line_end = text.find("\n", pos)
        if line_end == -1:
            line_end = n
        while noise_i < len(noise) and noise[noise_i][1] < pos:
            noise_i += 1
        if noise_i < len(noise) and noise[noise_i][0] == pos:
            pos = line_end + 1
            continue
        _split_line(text, pos, line_end, breaks, spans)
        pos = line_end + 1
    starts = [s.char_start for s in sections]
    out: list[Sentence] = []
    line_no, line_pos = 1, 0
    for start, end in spans:
        line_no += text.count("\n", line_pos, start)
        line_pos = start
        out.append(Sentence(
            sentence_id=f"{doc_id}:z{len(out) + 1}",
            doc_id=doc_id,
            section_id=_deepest(sections, starts, start),
            text=text[start:end],
            char_start=start,
            char_end=end,
            line_no=line_no,
        ))
    return out


def _deepest(sections: list[Section], starts: list[int], pos: int) -> str | None:
    # Sections are in document order and nested, so the last one starting at or before pos
    # that still contains pos is the deepest; walk up through its ancestors otherwise.
    i = bisect_right(starts, pos) - 1
    by_id = None
    while i >= 0:
        s = sections[i]
        if s.char_start <= pos < s.char_end:
            return s.section_id
        if s.parent_section_id is None:
            return None
        if by_id is None:
            by_id = {x.section_id: k for k, x in enumerate(sections)}
        i = by_id[s.parent_section_id]
    return None


def _closing_positions(text: str, start: int, end: int) -> dict[int, int]:
    """Opener position -> matching closer position, paired within the line (nesting allowed)."""
    pairs: dict[int, int] = {}
    stack: list[tuple[str, int]] = []
    for i in range(start, end):
        ch = text[i]
        if ch in _PAIRS and not (ch == "“" and stack and stack[-1][0] == "“"):
            stack.append((_PAIRS[ch], i))
        elif stack and ch == stack[-1][0]:
            pairs[stack.pop()[1]] = i
        elif ch in "”》）)】]」’":
            # A closer that does not match the innermost opener: drop openers up to its match.
            for k in range(len(stack) - 1, -1, -1):
                if stack[k][0] == ch:
                    pairs[stack[k][1]] = i
                    del stack[k:]
                    break
        if stack and i - stack[0][1] > _PAIR_LIMIT:
            stack.clear()  # an opener never closed nearby is a typo, not a quotation
    return pairs


def _split_line(text: str, start: int, end: int, breaks: set[int], spans: list[tuple[int, int]]) -> None:
    pairs = _closing_positions(text, start, end)
    sentence_start = start
    i = start
    while i < end:
        if i in breaks and i > sentence_start:
            _emit(text, sentence_start, i, spans)
            sentence_start = i
        closer = pairs.get(i)
        if closer is not None:
            # The whole quotation stays in one sentence (markers inside quotes are never sections);
            # a quotation that itself ends a sentence (`他说：“好。”`) ends the outer one too.
            opener, i = text[i], closer + 1
            if opener in "“\"‘「" and text[closer - 1] in "。！？!?":
                _emit(text, sentence_start, i, spans)
                sentence_start = i
            continue
        ch = text[i]
        if ch in _ENDS or (ch == "." and i > start and ord(text[i - 1]) > 0x2E80
                           and not (i + 1 < end and text[i + 1].isdigit())):
            j = i + 1
            while j < end and (text[j] in _ENDS or text[j] in _CLOSERS and text[j] not in "）)】]"):
                j += 1
            _emit(text, sentence_start, j, spans)
            sentence_start = i = j
            continue
        i += 1
    _emit(text, sentence_start, end, spans)


def _emit(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > MAX_SENTENCE:
        cut = max(text.rfind("，", start, start + MAX_SENTENCE), text.rfind(",", start, start + MAX_SENTENCE))
        cut = cut + 1 if cut > start else start + MAX_SENTENCE
        spans.append((start, cut))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        spans.append((start, end))
