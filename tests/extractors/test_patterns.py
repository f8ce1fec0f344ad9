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


@pytest.mark.parametrize("plain,compiled", [
    (quantities._QUANTITY, quantities.QUANTITY_RE),
    (tasks._DEADLINE, tasks._DEADLINE_RE),
], ids=["QUANTITY_RE", "_DEADLINE_RE"])
def test_rewritten_pattern_finds_the_same_matches(plain, compiled):
    reference = re.compile(plain)
    assert compiled.groupindex == reference.groupindex
    for text in _texts():
        assert [(m.span(), m.groups()) for m in compiled.finditer(text)] == \
            [(m.span(), m.groups()) for m in reference.finditer(text)]
