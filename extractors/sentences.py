"""Sentences and clauses of a report, with exact offsets and line numbers.

A sentence ends after 。！？； (or their half-width forms, `.` only after a CJK character), at a
line end, and where a section's marker starts (a heading fused with its body is its own
sentence). Never inside “…”, 《…》 or brackets: those are paired within their line first, so an
unmatched quote cannot swallow the rest of the document. Web-page leftovers yield no sentences.
A run longer than MAX_SENTENCE without any end is cut at its last comma, so downstream stages
see bounded input.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from extractors.records import Section, Sentence, builder
from extractors.structure import boilerplate_spans

__all__ = ["split_sentences", "MAX_SENTENCE"]

MAX_SENTENCE = 1000
_ENDS = set("。！？；!?;")
_CLOSERS = set("”’\"」』）)】]")
_PAIRS = {"“": "”", "《": "》", "（": "）", "(": ")", "【": "】", "[": "]", "「": "」", "‘": "’"}
_PAIR_LIMIT = 400
_new_sentence = builder(Sentence)


def split_sentences(text: str, doc_id: str, sections: list[Section]) -> list[Sentence]:
    """Split the text; section_id is the deepest section containing each sentence's start."""
    breaks = sorted(set(s.char_start for s in sections))
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
        b0 = bisect_left(breaks, pos)
        b1 = bisect_left(breaks, line_end, b0)
        _split_line(text, pos, line_end, breaks[b0:b1], spans)
        pos = line_end + 1
    starts = [s.char_start for s in sections]
    out: list[Sentence] = []
    line_no, line_pos = 1, 0
    for start, end in spans:
        line_no += text.count("\n", line_pos, start)
        line_pos = start
        out.append(_new_sentence(  # the fields in declared order
            f"{doc_id}:z{len(out) + 1}",  # sentence_id
            doc_id,
            _deepest(sections, starts, start),  # section_id
            text[start:end],  # text
            start,  # char_start
            end,  # char_end
            line_no,
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


# Only these characters can change anything in a line: brackets and quotes (paired first), and
# sentence ends (`.` is checked for its neighbours). Every other position is skipped by a regex.
_BRACKETS = re.compile("[" + re.escape("".join(_PAIRS) + "”》）)】]」’") + "]")
_STOPS = re.compile("[" + re.escape("".join(sorted(_ENDS)) + ".") + "]")
_QUOTE_OPENERS = "“\"‘「"
_SENTENCE_END_IN_QUOTE = "。！？!?"
_STRAY_CLOSERS = "”》）)】]」’"
_NOT_TRAILING = "）)】]"


def _closing_positions(text: str, start: int, end: int) -> dict[int, int]:
    """Opener position -> matching closer position, paired within the line (nesting allowed)."""
    pairs: dict[int, int] = {}
    stack: list[tuple[str, int]] = []
    for m in _BRACKETS.finditer(text, start, end):
        i = m.start()
        # An opener never closed nearby is a typo, not a quotation: forgotten once the scan has
        # gone more than _PAIR_LIMIT past it (checked at every position in between, as before).
        if stack and i - 1 - stack[0][1] > _PAIR_LIMIT:
            stack.clear()
        ch = m.group()
        if ch in _PAIRS and not (ch == "“" and stack and stack[-1][0] == "“"):
            stack.append((_PAIRS[ch], i))
        elif stack and ch == stack[-1][0]:
            pairs[stack.pop()[1]] = i
        elif ch in _STRAY_CLOSERS:
            # A closer that does not match the innermost opener: drop openers up to its match.
            for k in range(len(stack) - 1, -1, -1):
                if stack[k][0] == ch:
                    pairs[stack[k][1]] = i
                    del stack[k:]
                    break
    return pairs


def _split_line(text: str, start: int, end: int, breaks: list[int], spans: list[tuple[int, int]]) -> None:
    """`breaks`: the sorted section starts inside [start, end)."""
    pairs = _closing_positions(text, start, end) if _BRACKETS.search(text, start, end) else {}
    # Positions where something can happen, in order: section starts, paired openers, stops.
    events = [m.start() for m in _STOPS.finditer(text, start, end)]
    if pairs:
        events.extend(pairs)
    if breaks:
        events.extend(breaks)
    if pairs or breaks:
        events = sorted(set(events))
    sentence_start = start
    i = start
    break_set = breaks
    for p in events:
        if p < i:
            continue  # inside a quotation or a run of sentence ends already taken
        i = p
        if break_set and i > sentence_start and i in break_set:
            _emit(text, sentence_start, i, spans)
            sentence_start = i
        closer = pairs.get(i)
        if closer is not None:
            # The whole quotation stays in one sentence (markers inside quotes are never sections);
            # a quotation that itself ends a sentence (`他说：“好。”`) ends the outer one too.
            opener, i = text[i], closer + 1
            if opener in _QUOTE_OPENERS and text[closer - 1] in _SENTENCE_END_IN_QUOTE:
                _emit(text, sentence_start, i, spans)
                sentence_start = i
            continue
        ch = text[i]
        if ch in _ENDS or (ch == "." and i > start and ord(text[i - 1]) > 0x2E80
                           and not (i + 1 < end and text[i + 1].isdigit())):
            j = i + 1
            while j < end and (text[j] in _ENDS or text[j] in _CLOSERS and text[j] not in _NOT_TRAILING):
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
