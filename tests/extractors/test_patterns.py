"""extractors.patterns: the rewritten patterns match exactly what the plain ones do."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench.corpus import generate_reports
from extractors import patterns
from extractors import quantities, tasks

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("plain,rewritten", [
    (r"a(bc)?d", r"a(?:(bc)|)d"),
    (r"(?P<x>万|亿)?(?:/(?P<per>日|天))?", r"(?:(?P<x>万|亿)|)(?:(?:/(?P<per>日|天))|)"),
    (r"(a)??(b)?+[(]?\(c\)?", r"(a)??(b)?+[(]?\(c\)?"),  # lazy, possessive, classes, escapes stay
    (r"(?=[x)])(?<!y)(?(1)a|b)", r"(?=[x)])(?<!y)(?(1)a|b)"),
    (r"[]?]((a))?", r"[]?](?:((a))|)"),
])
def test_optional_groups_become_branches(plain, rewritten):
    assert patterns.optionals_as_branches(plain) == rewritten


def _texts() -> list[str]:
    files = sorted((ROOT / "examples" / "inbox").glob("*.txt")) + sorted((ROOT / "tests" / "golden").rglob("*.txt"))
    texts = [p.read_bytes().decode("utf-8", errors="replace") for p in files]
    return texts + [r.text for r in generate_reports(30, seed=11)]


# QUANTITY_RE's plain form also without the lookaheads that only save time (before the fraction
# branch and before the units): they must not change a match either.
_FRACTION_CHECK = quantities._QUANTITY[quantities._QUANTITY.index("|(?=[0-9") + 1:quantities._QUANTITY.index("(?P<fd>")]
_QUANTITY_PLAIN = quantities._QUANTITY.replace(f"(?={quantities._UNIT_FIRST})", "").replace(_FRACTION_CHECK, "")


@pytest.mark.parametrize("plain,compiled", [
    (quantities._QUANTITY, quantities.QUANTITY_RE),
    (_QUANTITY_PLAIN, quantities.QUANTITY_RE),
    (tasks._DEADLINE, tasks._DEADLINE_RE),
], ids=["QUANTITY_RE", "QUANTITY_RE without its shortcuts", "_DEADLINE_RE"])
def test_rewritten_pattern_finds_the_same_matches(plain, compiled):
    reference = re.compile(plain)
    assert reference.pattern != compiled.pattern
    assert compiled.groupindex == reference.groupindex
    for text in _texts():
        assert [(m.span(), m.groups()) for m in compiled.finditer(text)] == \
            [(m.span(), m.groups()) for m in reference.finditer(text)]


@pytest.mark.parametrize("folded,found", [
    ("一、总体情况", [("一、", "l1")]),             # at the very start: the lookbehind has nothing to see
    ("1.项目", [("1.", "l3")]),
    ("十一、xx", [("十一、", "l1")]),               # not `一、` inside it
    ("统一是", [("一是", "l5s")]),  # (the reading of the sentence drops it, not the pattern)
    ("2019.5", []), ("3.14", []), ("百一、", []), ("12.5", []),
    ("。二是加强", [("二是", "l5s")]),
    ("(三)一是", [("(三)", "l2"), ("一是", "l5s")]),
    ("第二部分", [("第二部分", "l0")]), ("第二,", [("第二,", "l5d")]), ("其一,", [("其一,", "l5q")]),
    ("①②", [("①", "l5c"), ("②", "l5c")]), ("其次要", [("其次", "l5w")]), ("最后,", [("最后,", "l5w")]),
])
def test_marker_branches(folded, found):
    from extractors.structure import _MARKER

    assert [(m.group(), m.lastgroup) for m in _MARKER.finditer(folded)] == found
