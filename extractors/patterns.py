"""Compiling the largest patterns in a form CPython's `re` runs faster, with the same matches.

`compile(pattern)` is `re.compile` after one rewrite: every greedy optional group `(…)?` becomes
an alternation with an empty branch, `(?:(…)|)`. Both try the group first and then nothing, in
the same backtracking order and with the same captures, so every match and every group is the
same. But `re` runs a quantified group (anything longer than one character or class) through its
general repeat machinery at every attempt, and an alternation as a plain branch; QUANTITY_RE is
tried at every digit and numeral of a report and has two dozen such groups. The patterns stay
written the plain way; tests/extractors/test_patterns.py checks the rewrite against them.
"""
from __future__ import annotations

import re

__all__ = ["compile", "optionals_as_branches"]

_NOT_QUANTIFIABLE = ("(?=", "(?!", "(?<=", "(?<!", "(?(")  # lookarounds and conditionals stay as written


def _group_spans(pattern: str) -> list[tuple[int, int]]:
    """(open, close) positions of every group, skipping escapes and character classes."""
    spans: list[tuple[int, int]] = []
    stack: list[int] = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            i += 1
            if i < n and pattern[i] == "^":
                i += 1
            if i < n and pattern[i] == "]":  # a `]` first in a class is a literal
                i += 1
            while pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
        elif c == "(":
            stack.append(i)
        elif c == ")":
            spans.append((stack.pop(), i))
        i += 1
    if stack:
        raise ValueError(f"unbalanced parentheses in {pattern!r}")
    return spans


def optionals_as_branches(pattern: str) -> str:
    """`(…)?` -> `(?:(…)|)` for every greedy optional group (not `??` or `?+`)."""
    opens: set[int] = set()
    closes: set[int] = set()
    for o, c in _group_spans(pattern):
        if pattern.startswith("?", c + 1) and not pattern.startswith(("??", "?+"), c + 1) \
                and not pattern.startswith(_NOT_QUANTIFIABLE, o):
            opens.add(o)
            closes.add(c)
    marks = {c + 1 for c in closes}  # the `?` after each of those groups goes
    out: list[str] = []
    for i, ch in enumerate(pattern):
        if i in marks:
            continue
        if i in opens:
            out.append("(?:")
        out.append(ch)
        if i in closes:
            out.append("|)")
    return "".join(out)


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:  # noqa: A001 (re.compile's name, on purpose)
    return re.compile(optionals_as_branches(pattern), flags)
