"""`report-warehouse`: the pipeline without a scheduler, and one file's extraction for debugging.

Exit codes: 0 validated and published, 1 validation failed and nothing was published,
2 bad arguments.
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import logging
import sys
from pathlib import Path

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="report-warehouse", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="discover, extract, load, dbt build, validate and publish")
    run.add_argument("--inbox", required=True, type=Path, help="folder of report files")
    run.add_argument("--warehouse", required=True, type=Path, help="the published DuckDB file")
    run.add_argument("--reports", type=Path, help="folder for quality reports (default from REPORTS_DIR)")
    run.add_argument("--reprocess", metavar="all|PATH", help="extract again everything, or one file of the inbox")
    run.add_argument("--full-refresh", action="store_true", help="rebuild every dbt model from scratch")

    extract = sub.add_parser("extract", help="one file's extraction as JSON lines on stdout")
    extract.add_argument("file", type=Path)

    summary = sub.add_parser("summary", help="the summary of the latest run of a published warehouse")
    summary.add_argument("--warehouse", type=Path, help="default from REPORTS_WAREHOUSE")
    summary.add_argument("--reports", type=Path)
    return parser


def _json_default(value: object) -> object:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def cmd_extract(path: Path) -> int:
    import extractors
    from pipeline.discover import sha256_file

    if not path.is_file():
        print(f"report-warehouse: {path} is not a file", file=sys.stderr)
        return EXIT_USAGE
    try:
        sources = extractors.read_file(path)
    except extractors.ExtractionError as exc:
        print(f"report-warehouse: {path}: {exc}", file=sys.stderr)
        return EXIT_FAILED
    sha = sha256_file(path)
    out = sys.stdout
    for source in sources:
        extraction = extractors.extract(source, path.name, sha)
        for kind, rows in (
            ("document", [extraction.document]),
            ("section", extraction.sections),
            ("task", extraction.tasks),
            ("indicator", extraction.indicators),
        ):
            for row in rows:
                out.write(json.dumps({"type": kind, **dataclasses.asdict(row)}, ensure_ascii=False,
                                     default=_json_default) + "\n")
    return EXIT_OK


def cmd_run(args: argparse.Namespace) -> int:
    from pipeline.run import STAGES, run_pipeline
    from pipeline.settings import load_settings

    if not args.inbox.is_dir():
        print(f"report-warehouse: the inbox {args.inbox} is not a folder", file=sys.stderr)
        return EXIT_USAGE
    settings = load_settings(args.inbox, args.warehouse, args.reports)
    if sys.stderr.isatty():
        from rich.console import Console

        console = Console(stderr=True)
        status = console.status("starting")
        status.start()
        on_stage = lambda stage: status.update(f"[bold]{stage}[/] ({STAGES.index(stage) + 1}/{len(STAGES)})")
    else:
        status = None
        on_stage = lambda stage: logging.getLogger("pipeline").info("stage: %s", stage)
    try:
        summary = run_pipeline(settings, trigger="cli", reprocess=args.reprocess,
                               full_refresh=args.full_refresh, on_stage=on_stage)
    except FileNotFoundError as exc:
        print(f"report-warehouse: {exc}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        if status is not None:
            status.stop()
    print("\n".join(summary.lines()))
    return EXIT_OK if summary.published else EXIT_FAILED


def cmd_summary(args: argparse.Namespace) -> int:
    from pipeline.run import landing_page
    from pipeline.settings import load_settings
    from pipeline.summary import summarize

    settings = load_settings(warehouse=args.warehouse, reports_dir=args.reports)
    if not settings.warehouse.exists():
        print(f"report-warehouse: no published warehouse at {settings.warehouse}", file=sys.stderr)
        return EXIT_FAILED
    summary = summarize(settings.warehouse, None, warehouse=settings.warehouse, report=landing_page(settings))
    print("\n".join(summary.lines()))
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # On a terminal the progress display speaks; in logs, plain lines per file and stage.
    logging.basicConfig(level=logging.WARNING if sys.stderr.isatty() else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    for noisy in ("great_expectations", "py.warnings"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    if args.command == "extract":
        return cmd_extract(args.file)
    if args.command == "run":
        return cmd_run(args)
    return cmd_summary(args)


if __name__ == "__main__":
    sys.exit(main())
