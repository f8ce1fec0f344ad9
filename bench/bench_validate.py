"""How long and how much memory the quality gate needs for ~1M indicator rows.

    .venv/bin/python bench/bench_validate.py [--indicators 1000000] [--compare-whole] [--incremental]

Synthesises a build file (tests/expectations/synthetic.py: the same consistent data the tests
use), then runs `pipeline.validate.validate` in a fresh child process per strategy, so each peak
RSS is that strategy's alone (ru_maxrss of the child, not of the process that built the data):

* chunked (the shipped strategy): frames pushed down to DuckDB, read in hash-partitioned chunks
  of `thresholds.CHUNK_ROWS`;
* whole (--compare-whole): the same frames read into pandas in one piece, for comparison;
* incremental (--incremental): the 1M rows validated once (as their run was published), then one
  new document landed under a new run id (synthetic.add_document) and that run validated: what
  adding one file to a big warehouse costs the gate. Also run with REPORTS_VALIDATE_ALL=1
  ("incremental-all") to show the escape hatch costs a full run.

Every strategy validates with its own run id; the first one on a build file has no earlier audit
rows and so validates every row (pipeline.validate's first-build rule).

Prints the figures and writes them to bench/results/validate_<indicators>.json.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SENTENCES_PER_DOCUMENT = 25  # 3 indicators each: 75 indicators per document


def child(build: Path, reports: Path, strategy: str) -> None:
    """Run one validation and print its figures as JSON (runs in its own process)."""
    sys.path.insert(0, str(ROOT))
    from expectations import thresholds
    from pipeline.validate import validate

    if strategy == "whole":
        thresholds.CHUNK_ROWS = 10**12
    if strategy == "incremental-all":
        os.environ["REPORTS_VALIDATE_ALL"] = "1"
    run_id = "bench-new" if strategy.startswith("incremental") else f"bench-{strategy}"
    started = time.perf_counter()
    outcome = validate(build, run_id, reports)
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(json.dumps({"strategy": strategy, "seconds": round(seconds, 2), "peak_rss_mib": round(peak_kib / 1024, 1),
                      "verdict": outcome.verdict, "expectations": len(outcome.results),
                      "chunk_rows": thresholds.CHUNK_ROWS}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--indicators", type=int, default=1_000_000)
    parser.add_argument("--compare-whole", action="store_true", help="also validate with no chunking")
    parser.add_argument("--incremental", action="store_true",
                        help="also validate one new document added after the rows were validated")
    parser.add_argument("--child", nargs=3, metavar=("BUILD", "REPORTS", "STRATEGY"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(Path(args.child[0]), Path(args.child[1]), args.child[2])
        return

    documents = math.ceil(args.indicators / (3 * SENTENCES_PER_DOCUMENT))
    with tempfile.TemporaryDirectory(prefix="bench_validate_") as tmp:
        build = Path(tmp) / "build.duckdb"
        started = time.perf_counter()
        sys.path.insert(0, str(ROOT))
        from tests.expectations.synthetic import build_warehouse

        build_warehouse(build, documents=documents, sentences=SENTENCES_PER_DOCUMENT, run_id="bench")
        build_seconds = time.perf_counter() - started

        with duckdb.connect(str(build), read_only=True) as con:
            indicators = con.execute("select count(*) from marts.fct_indicators").fetchone()[0]
            tasks = con.execute("select count(*) from marts.fct_tasks").fetchone()[0]
        print(f"synthesised {documents} documents, {tasks} tasks, {indicators} indicators "
              f"({build.stat().st_size / 2**20:.0f} MiB) in {build_seconds:.1f}s")
        runs = []
        strategies = ["chunked", *(["whole"] if args.compare_whole else [])]
        if args.incremental:
            strategies += ["incremental", "incremental-all"]
        for strategy in strategies:
            if strategy == "incremental":
                from tests.expectations.synthetic import add_document

                # The earlier runs above wrote their verdicts into the build file, as a published
                # run would have; now one new file arrives.
                add_document(build, run_id="bench-new")
            proc = subprocess.run(
                [sys.executable, __file__, "--child", str(build), str(Path(tmp) / f"reports_{strategy}"), strategy],
                capture_output=True, text=True, check=True)
            figures = json.loads(proc.stdout.strip().splitlines()[-1])
            runs.append(figures)
            print(f"{strategy:>15}: {figures['seconds']:.1f}s, peak RSS {figures['peak_rss_mib']:.0f} MiB, "
                  f"verdict {figures['verdict']}, {figures['expectations']} expectations")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"validate_{args.indicators}{'_incremental' if args.incremental else ''}.json"
    out.write_text(json.dumps({
        "indicators": indicators, "tasks": tasks, "documents": documents, "runs": runs,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                    "platform": platform.platform()},
    }, indent=2))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
