"""Stage-by-stage extraction throughput on a fixed text, for profiling the extractors.

    python -m bench.profile_extract [--mb 5] [--rounds 3] [--stage all|big|docs] [--json OUT]
    python -m bench.profile_extract --loop indicators --seconds 20    # a steady loop for py-spy

The text is fixed: every bundled sample (examples/inbox/*.txt, 04 is GB18030, read through
`extractors.read_file`) and every shared sample (/work/shared/samples/*.txt, when present), in
name order, joined by blank lines and repeated to about `--mb` MB of UTF-8. Two runs:

* big: the whole text as one document; parse_sections, split_sentences, extract_tasks and
  extract_indicators are timed separately (each stage is fed the previous stage's output), plus
  the single-regex floor of bench.run_bench over the same text;
* docs: the documents one by one, repeated to the same size, through `extractors.extract`, with
  each stage's time summed over the documents.

MB/s is UTF-8 megabytes (1e6 bytes) of input per second of the stage's own time, best of
`--rounds`, timed by process CPU time (`--clock wall` for wall time). The machine is shared
(2 cores, other sessions running): compare figures taken in the same run, and rerun before
believing a small difference. The text repeats, so anything cached across documents (the
Chinese numeral cache in extractors.numbers) is warmer here than on a real corpus.

Profile a stage with py-spy, from the benchmark's own environment (`make bench` installs it there;
the product's .venv never gets it):

    var/bench/peer-venv/bin/py-spy record -r 250 -f raw -o /tmp/indicators.raw -- \
        .venv/bin/python -m bench.profile_extract --mb 1 --loop indicators --seconds 20
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

SAMPLE_GLOBS = [
    (PROJECT_ROOT / "examples" / "inbox", "*.txt"),
    (Path("/work/shared/samples"), "*.txt"),
]


def sample_paths() -> list[Path]:
    paths: list[Path] = []
    for folder, pattern in SAMPLE_GLOBS:
        if folder.is_dir():
            paths.extend(sorted(folder.glob(pattern)))
    return paths


def sample_documents():
    """(path, SourceDocument) for every sample file, in a fixed order."""
    from extractors import read_file

    out = []
    for path in sample_paths():
        for doc in read_file(path):
            out.append((path, doc))
    return out


def build_text(mb: float) -> tuple[str, list]:
    docs = sample_documents()
    unit = "\n\n".join(d.text for _, d in docs) + "\n\n"
    unit_bytes = len(unit.encode("utf-8"))
    reps = max(1, round(mb * 1e6 / unit_bytes))
    return unit * reps, docs


def _mb(text: str) -> float:
    return len(text.encode("utf-8")) / 1e6


# CPU time of this process, not wall time: on a shared machine the wall clock counts the other
# sessions' work too. (Every stage is single-threaded.) Set --clock wall to see wall time.
_clock = time.process_time


def _best(fn, rounds: int):
    best, result = None, None
    for _ in range(rounds):
        t0 = _clock()
        result = fn()
        dt = _clock() - t0
        best = dt if best is None else min(best, dt)
    return best, result


def run_big(text: str, rounds: int) -> dict:
    from bench.run_bench import FLOOR_PATTERN
    from extractors.quantities import extract_indicators
    from extractors.sentences import split_sentences
    from extractors.structure import document_attributes, parse_sections
    from extractors.tasks import extract_tasks

    doc_id, mb = "bench", _mb(text)
    year = document_attributes(text).year
    floor_re = re.compile(FLOOR_PATTERN)
    out: dict = {"mb": round(mb, 3), "chars": len(text)}
    t, n = _best(lambda: sum(1 for _ in floor_re.finditer(text)), rounds)
    out["floor_regex"] = {"s": t, "mb_s": mb / t, "rows": n}
    t, (sections, _anom) = _best(lambda: parse_sections(text, doc_id), rounds)
    out["parse_sections"] = {"s": t, "mb_s": mb / t, "rows": len(sections)}
    t, sentences = _best(lambda: split_sentences(text, doc_id, sections), rounds)
    out["split_sentences"] = {"s": t, "mb_s": mb / t, "rows": len(sentences)}
    t, tasks = _best(lambda: extract_tasks(text, doc_id, sections, sentences, year), rounds)
    out["extract_tasks"] = {"s": t, "mb_s": mb / t, "rows": len(tasks)}
    t, inds = _best(lambda: extract_indicators(text, doc_id, sections, sentences, tasks, year), rounds)
    out["extract_indicators"] = {"s": t, "mb_s": mb / t, "rows": len(inds)}
    total = sum(out[k]["s"] for k in ("parse_sections", "split_sentences", "extract_tasks", "extract_indicators"))
    out["four_stages"] = {"s": total, "mb_s": mb / total}
    out["vs_floor"] = total / out["floor_regex"]["s"]
    return out


def run_docs(docs: list, mb: float, rounds: int) -> dict:
    """Per document, as the pipeline runs: extract() over each, with each stage's time summed."""
    import extractors
    from extractors import structure, sentences as sentences_mod, tasks as tasks_mod, quantities

    unit_mb = sum(_mb(d.text) for _, d in docs)
    reps = max(1, round(mb / unit_mb))
    work = [d for _ in range(reps) for _, d in docs]
    total_mb = unit_mb * reps
    stages = {
        "document_attributes": (structure, "document_attributes"),
        "parse_sections": (structure, "parse_sections"),
        "split_sentences": (sentences_mod, "split_sentences"),
        "extract_tasks": (tasks_mod, "extract_tasks"),
        "extract_indicators": (quantities, "extract_indicators"),
    }
    # Time each stage inside extract() by wrapping the names extractors/__init__ calls.
    spent = {k: 0.0 for k in stages}
    originals = {k: getattr(extractors, k) for k in stages}

    def timed(name, fn):
        def wrapper(*a, **kw):
            t0 = _clock()
            try:
                return fn(*a, **kw)
            finally:
                spent[name] += _clock() - t0
        return wrapper

    best: dict | None = None
    try:
        for name in stages:
            setattr(extractors, name, timed(name, originals[name]))
        for _ in range(rounds):
            for k in spent:
                spent[k] = 0.0
            t0 = _clock()
            rows = 0
            for doc in work:
                ex = extractors.extract(doc, "bench.txt", "0" * 64)
                rows += len(ex.indicators) + len(ex.tasks)
            wall = _clock() - t0
            if best is None or wall < best["extract"]["s"]:
                best = {"extract": {"s": wall, "mb_s": total_mb / wall, "rows": rows}}
                for k, v in spent.items():
                    best[k] = {"s": v, "mb_s": total_mb / v if v else None}
    finally:
        for name, fn in originals.items():
            setattr(extractors, name, fn)
    assert best is not None
    best["mb"] = round(total_mb, 3)
    best["documents"] = len(work)
    best["docs_per_s"] = len(work) / best["extract"]["s"]
    return best


def _print_table(title: str, res: dict) -> None:
    print(f"\n{title}  ({res['mb']} MB)")
    print(f"  {'stage':<22}{'seconds':>10}{'MB/s':>10}{'rows':>10}")
    for k, v in res.items():
        if isinstance(v, dict) and "s" in v:
            mbs = f"{v['mb_s']:.2f}" if v.get("mb_s") else "-"
            print(f"  {k:<22}{v['s']:>10.3f}{mbs:>10}{v.get('rows', ''):>10}")
    if "vs_floor" in res:
        print(f"  four stages / floor regex: {res['vs_floor']:.1f}x")
    if "docs_per_s" in res:
        print(f"  documents: {res['documents']}, {res['docs_per_s']:.0f} docs/s")


def loop(stage: str, text: str, seconds: float) -> None:
    """Run one stage over the big text for `seconds`, for a sampling profiler."""
    from extractors.quantities import extract_indicators
    from extractors.sentences import split_sentences
    from extractors.structure import parse_sections
    from extractors.tasks import extract_tasks

    sections, _ = parse_sections(text, "bench")
    sentences = split_sentences(text, "bench", sections)
    tasks = extract_tasks(text, "bench", sections, sentences, 2024)
    fns = {
        "sections": lambda: parse_sections(text, "bench"),
        "sentences": lambda: split_sentences(text, "bench", sections),
        "tasks": lambda: extract_tasks(text, "bench", sections, sentences, 2024),
        "indicators": lambda: extract_indicators(text, "bench", sections, sentences, tasks, 2024),
    }
    deadline = time.perf_counter() + seconds
    n = 0
    while time.perf_counter() < deadline:
        fns[stage]()
        n += 1
    print(f"{stage}: {n} runs", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=5.0, help="size of the benchmark text (UTF-8 MB)")
    ap.add_argument("--rounds", type=int, default=3, help="best of this many runs")
    ap.add_argument("--stage", choices=["all", "big", "docs"], default="all")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    ap.add_argument("--loop", choices=["sections", "sentences", "tasks", "indicators"],
                    help="just run one stage over the big text in a loop (for py-spy)")
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--clock", choices=["cpu", "wall"], default="cpu",
                    help="time stages by process CPU time (default; robust on a shared machine) or wall time")
    args = ap.parse_args(argv)
    global _clock
    _clock = time.process_time if args.clock == "cpu" else time.perf_counter

    text, docs = build_text(args.mb)
    if args.loop:
        loop(args.loop, text, args.seconds)
        return 0
    results: dict = {"samples": [str(p) for p, _ in docs], "clock": args.clock}
    if args.stage in ("all", "big"):
        results["big"] = run_big(text, args.rounds)
        _print_table("one big text", results["big"])
    if args.stage in ("all", "docs"):
        results["docs"] = run_docs(docs, args.mb, args.rounds)
        _print_table("document by document, extract()", results["docs"])
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
