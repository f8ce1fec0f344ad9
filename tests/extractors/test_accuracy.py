"""Precision and recall against the hand-labelled golden files in tests/golden/.

Indicators: a predicted row is correct when its span (char_start, char_end) and its value match
a label (both null for masked and flat rows). Tasks: a predicted row is correct when its
task_text starts where the labelled item's lead starts (the same work item). Field agreement on
matched rows (unit, qualifier, status, subject; task lead, status, deadline) is printed too, so a
regression in reading shows up even where detection holds. Run with `-s` to see the figures.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from extractors import extract, read_file
from tests.conftest import SHARED_SAMPLES

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden"
SOURCES = {p.stem: p for p in (ROOT / "examples" / "inbox").glob("*.txt")}
SOURCES["000_e7b1ad551fc2b85b"] = SHARED_SAMPLES / "000_e7b1ad551fc2b85b.txt"

INDICATOR_BAR = (0.95, 0.95)
TASK_BAR = (0.90, 0.90)


def _golden(kind: str) -> dict[str, list[dict]]:
    out = {}
    for path in sorted((GOLDEN / kind).glob("*.jsonl")):
        if path.stem in SOURCES and SOURCES[path.stem].exists():
            out[path.stem] = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return out


def _extract(stem: str):
    path = SOURCES[stem]
    (source,) = read_file(path)
    return extract(source, path.name, hashlib.sha256(path.read_bytes()).hexdigest())


def _same_value(a: float | None, b: float | None) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and abs(a - b) < 1e-6)


def _report(name: str, tp: int, n_pred: int, n_gold: int, agreement: dict[str, list[int]]) -> tuple[float, float]:
    precision = tp / n_pred if n_pred else 1.0
    recall = tp / n_gold if n_gold else 1.0
    fields = ", ".join(f"{k} {a / t:.3f}" for k, (a, t) in agreement.items() if t)
    print(f"\n{name}: precision {precision:.3f} recall {recall:.3f} (tp {tp}, predicted {n_pred}, labelled {n_gold}); agreement on matches: {fields}")
    return precision, recall


def test_golden_files_index_their_sources():
    for kind, key in (("indicators", "quantity_text"), ("tasks", "lead")):
        for stem, rows in _golden(kind).items():
            text = _extract(stem).document.text
            for row in rows:
                start = row["char_start"]
                assert text[start:start + len(row[key])] == row[key], (stem, row)


def test_indicator_precision_and_recall():
    golden = _golden("indicators")
    assert golden, "no golden indicator files"
    tp = n_pred = n_gold = 0
    agreement = {f: [0, 0] for f in ("unit", "qualifier", "is_masked", "status", "subject")}
    misses: list[str] = []
    for stem, labels in golden.items():
        rows = _extract(stem).indicators
        by_span = {(r["char_start"], r["char_end"]): r for r in labels}
        n_pred += len(rows)
        n_gold += len(labels)
        matched = set()
        for row in rows:
            label = by_span.get((row.char_start, row.char_end))
            if label is None or not _same_value(row.value, label["value"]):
                misses.append(f"{stem} extra {row.quantity_text}@{row.char_start} value={row.value}")
                continue
            tp += 1
            matched.add((row.char_start, row.char_end))
            for f in agreement:
                agreement[f][1] += 1
                agreement[f][0] += getattr(row, f) == label[f]
        misses += [f"{stem} missed {r['quantity_text']}@{r['char_start']}" for r in labels if (r["char_start"], r["char_end"]) not in matched]
    precision, recall = _report("indicators", tp, n_pred, n_gold, agreement)
    print("\n".join(misses[:40]))
    assert precision >= INDICATOR_BAR[0] and recall >= INDICATOR_BAR[1]


def test_task_precision_and_recall():
    golden = _golden("tasks")
    if not golden:
        pytest.fail("no golden task files")
    tp = n_pred = n_gold = 0
    agreement = {f: [0, 0] for f in ("lead", "status", "deadline_text", "deadline_date")}
    misses: list[str] = []
    for stem, labels in golden.items():
        tasks = _extract(stem).tasks
        by_start = {r["char_start"]: r for r in labels}
        n_pred += len(tasks)
        n_gold += len(labels)
        matched = set()
        for task in tasks:
            label = by_start.get(task.char_start)
            if label is None:
                misses.append(f"{stem} extra {task.lead[:20]}@{task.char_start}")
                continue
            tp += 1
            matched.add(task.char_start)
            predicted = {"lead": task.lead, "status": task.status, "deadline_text": task.deadline_text,
                         "deadline_date": task.deadline_date.isoformat() if task.deadline_date else None}
            for f in agreement:
                agreement[f][1] += 1
                agreement[f][0] += predicted[f] == label[f]
        misses += [f"{stem} missed {r['lead'][:20]}@{r['char_start']}" for r in labels if r["char_start"] not in matched]
    precision, recall = _report("tasks", tp, n_pred, n_gold, agreement)
    print("\n".join(misses[:40]))
    assert precision >= TASK_BAR[0] and recall >= TASK_BAR[1]
