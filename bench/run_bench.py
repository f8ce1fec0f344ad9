"""`make bench`: how fast, how big, at what cost, against the alternatives, in one run.

    python -m bench.run_bench [--sizes 1000,10000] [--airflow-sizes 1000] [--peer-python PY] ...

Measures, over the seeded corpus of `bench.corpus`:

* extraction throughput (MB/s of UTF-8 text, documents/s), one process and every core;
* the floor in the same run: one `re.finditer` of a number+unit pattern over the same text;
* the peer in the same run: JioNLP's `extract_money`, run in its own virtualenv (GPL-3.0 and
  ~300 MB: never a dependency of the product), on the labelled money mentions of the corpus;
* end to end, inbox to published warehouse, through the CLI and `airflow dags test`, split by
  stage; one new file on top of the largest warehouse; peak RSS of each stage, each stage run in
  its own subprocess; the import time of the DAG file.

Targets are printed beside the figures and never asserted. Results go to bench/results/ (git-
ignored) as JSON and as a Markdown table; working files (corpora, warehouses, the peer venv, the
Airflow home of the benchmark) live under var/bench/.

This file must stay importable with the standard library alone: the peer's virtualenv runs it with
`--peer-worker`, and py-spy runs it with `--extract-worker`.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
WORK = PROJECT_ROOT / "var" / "bench"
RESULTS = PROJECT_ROOT / "bench" / "results"
VENV_BIN = Path(sys.executable).parent
DAG_FILE = PROJECT_ROOT / "dags" / "report_warehouse.py"

TARGETS = {
    "extract_mb_s_per_core": 10.0,    # at least
    "extract_vs_floor": 20.0,         # at most (extractor time / regex time)
    "e2e_10k_cli_s": 180.0,           # at most, on this 2-core machine
    "one_new_file_share": 0.10,       # at most, of the full run's time
    "dag_import_s": 0.3,              # at most
}

# The floor: one pass of one regex that finds a number and its unit, the least any quantity
# extractor must do.
FLOOR_PATTERN = (
    r"(?:[0-9]+(?:\.[0-9]+)?|[xX*]+(?:\.[xX]+)?|[零一二两三四五六七八九十百千]+)"
    r"(?:余)?(?:万元|亿元|万美元|元|%|个百分点|万人次|万人|人次|人|家|个|次|场|项|亩|平方米|吨|千瓦|公里|天)"
)


# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------

def _now() -> str:
    return datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")


def _log(msg: str) -> None:
    print(f"[bench {datetime.now():%H:%M:%S}] {msg}", file=sys.stderr, flush=True)


def _utf8_mb(texts) -> float:
    return sum(len(t.encode("utf-8")) for t in texts) / 1e6


class _Sampler(threading.Thread):
    """Samples the RSS of a process and all its descendants (sum), every `interval` seconds."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_tree = 0
        self.series: list[tuple[float, int, int]] = []  # (wall clock, tree RSS sum, largest process RSS)
        self.stop = threading.Event()

    def run(self) -> None:
        try:
            import psutil
        except ImportError:
            return
        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self.stop.is_set():
            try:
                procs = [root, *root.children(recursive=True)]
                total = largest = 0
                for p in procs:
                    try:
                        rss = p.memory_info().rss
                    except psutil.Error:
                        continue
                    total += rss
                    largest = max(largest, rss)
                self.peak_tree = max(self.peak_tree, total)
                self.series.append((time.time(), total, largest))
            except psutil.Error:
                return
            self.stop.wait(self.interval)


def run_measured(cmd: list[str], *, env: dict | None = None, log: Path | None = None,
                 timeout: float = 3600) -> dict:
    """Run a command; its wall time, exit code, peak RSS of its largest process and of its tree."""
    log_fh = open(log, "w") if log else subprocess.DEVNULL
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=log_fh, stderr=subprocess.STDOUT, cwd=PROJECT_ROOT)
    sampler = _Sampler(proc.pid)
    sampler.start()
    deadline = t0 + timeout
    status = None
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.02)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    sampler.stop.set()
    sampler.join()
    if log:
        log_fh.close()
    return {
        "wall_s": round(wall, 3),
        "exit_code": proc.returncode,
        "_series": sampler.series,
        # ru_maxrss is in KiB on Linux: the largest single process (it or a reaped descendant)
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "peak_rss_tree_mb": round(sampler.peak_tree / 1e6, 1) or None,
    }


def _generator_version() -> int:
    from bench.corpus import GENERATOR_VERSION

    return GENERATOR_VERSION


def _tail(path: Path, n: int = 25) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-n:])
    except OSError:
        return ""


# ---------------------------------------------------------------------------------------------
# Corpus on disk, cached by (n, seed, mix)
# ---------------------------------------------------------------------------------------------

def corpus_inbox(n: int, seed: int) -> Path:
    from bench.corpus import GENERATOR_VERSION, default_mix, generate_corpus

    mix = default_mix()
    root = WORK / f"corpus-{n}-s{seed}"
    stamp = root / "complete.json"
    key = {"n": n, "seed": seed, "mix": mix, "version": GENERATOR_VERSION}
    inbox = root / "inbox"
    if stamp.exists() and json.loads(stamp.read_text()) == key:
        return inbox
    _log(f"generating a corpus of {n} reports (seed {seed}) in {inbox}")
    shutil.rmtree(root, ignore_errors=True)
    t0 = time.perf_counter()
    generate_corpus(inbox, n, seed, mix, labels=root / "money_labels.jsonl")
    _log(f"  generated in {time.perf_counter() - t0:.1f}s")
    stamp.write_text(json.dumps(key))
    return inbox


# ---------------------------------------------------------------------------------------------
# Extraction throughput, the regex floor
# ---------------------------------------------------------------------------------------------

_SHA = "0" * 64


def _extract_texts(texts: list[str]) -> tuple[int, int, float]:
    import extractors
    from extractors.records import SourceDocument

    t0 = time.perf_counter()
    indicators = 0
    for text in texts:
        indicators += len(extractors.extract(SourceDocument(text, "txt", "utf-8"), "bench.txt", _SHA).indicators)
    return len(texts), indicators, time.perf_counter() - t0


def _warm(_: int) -> int:
    import extractors  # noqa: F401  (imported once per worker before the clock starts)

    return os.getpid()


def bench_extraction(n_docs: int, seed: int, files: list[Path]) -> dict:
    import multiprocessing

    import extractors
    from bench.corpus import generate_reports

    texts = [r.text for r in generate_reports(n_docs, seed)]
    mb = _utf8_mb(texts)
    chars = sum(map(len, texts))
    _extract_texts(texts[:3])  # first-call costs (regex compilation, caches) out of the clock

    _log(f"extraction, one process: {n_docs} reports, {mb:.1f} MB")
    docs, indicators, single_s = _extract_texts(texts)

    cores = os.cpu_count() or 1
    _log(f"extraction, {cores} processes")
    chunks = [texts[i:i + 10] for i in range(0, len(texts), 10)]
    with multiprocessing.get_context("fork").Pool(cores) as pool:
        pool.map(_warm, range(cores * 4))
        t0 = time.perf_counter()
        results = pool.map(_extract_texts, chunks, chunksize=1)
        multi_s = time.perf_counter() - t0

    _log("the floor: one regex pass")
    pattern = re.compile(FLOOR_PATTERN)
    t0 = time.perf_counter()
    floor_matches = 0
    for text in texts:
        for _ in pattern.finditer(text):
            floor_matches += 1
    floor_s = time.perf_counter() - t0

    # From the files, as the pipeline does: read (decode, all formats) + extract.
    file_mb = sum(p.stat().st_size for p in files) / 1e6
    _log(f"read_file + extract over {len(files)} corpus files ({file_mb:.1f} MB on disk)")
    t0 = time.perf_counter()
    file_docs = 0
    for path in files:
        for source in extractors.read_file(path):
            extractors.extract(source, path.name, _SHA)
            file_docs += 1
    files_s = time.perf_counter() - t0

    return {
        "docs": docs,
        "chars": chars,
        "utf8_mb": round(mb, 2),
        "indicators": indicators,
        "single_s": round(single_s, 3),
        "single_mb_s": round(mb / single_s, 3),
        "single_docs_s": round(docs / single_s, 1),
        "cores": cores,
        "multi_s": round(multi_s, 3),
        "multi_mb_s": round(mb / multi_s, 3),
        "multi_docs_s": round(docs / multi_s, 1),
        "multi_mb_s_per_core": round(mb / multi_s / cores, 3),
        "parallel_efficiency": round(single_s / multi_s / cores, 2),
        "floor_s": round(floor_s, 4),
        "floor_mb_s": round(mb / floor_s, 1),
        "floor_matches": floor_matches,
        "extractor_vs_floor": round(single_s / floor_s, 1),
        "files": len(files),
        "files_docs": file_docs,
        "files_mb": round(file_mb, 2),
        "files_s": round(files_s, 3),
        "files_mb_s": round(file_mb / files_s, 3),
        "files_docs_s": round(file_docs / files_s, 1),
    }


# ---------------------------------------------------------------------------------------------
# The peer: JioNLP's extract_money, in its own virtualenv
# ---------------------------------------------------------------------------------------------

def peer_worker(inp: Path, out: Path) -> int:
    """Runs inside the peer venv (stdlib + jionlp only)."""
    t0 = time.perf_counter()
    import jionlp  # noqa: F401
    from jionlp.algorithm.ner import extract_money

    import_s = time.perf_counter() - t0
    docs = [json.loads(line) for line in inp.read_text(encoding="utf-8").splitlines()]
    extract_money(docs[0]["text"][:2000])  # first-call costs out of the clock
    found = []
    t0 = time.perf_counter()
    for doc in docs:
        found.append([[m["offset"][0], m["offset"][1], m["detail"]["num"]] for m in extract_money(doc["text"])])
    seconds = time.perf_counter() - t0
    versions = {"jionlp": getattr(jionlp, "__version__", "?")}
    out.write_text(json.dumps({"seconds": seconds, "import_s": import_s, "found": found, "versions": versions}))
    return 0


def _overlaps(a0: int, a1: int, b0: int, b1: int) -> bool:
    return a0 < b1 and b0 < a1


def _score(labels: list, found: list[list]) -> dict:
    """labels: [start, end, core_start, core_end, masked]; found: [start, end, value or None]."""
    exact = overlap = masked_valued = 0
    for start, end, cs, ce, masked in labels:
        spans = [f for f in found if _overlaps(f[0], f[1], cs, ce)]
        if spans:
            overlap += 1
            if any((f[0], f[1]) in ((start, end), (cs, ce)) for f in spans):
                exact += 1
            if masked and any(f[2] not in (None, "", []) for f in spans):
                masked_valued += 1
    false_pos = sum(1 for f in found if not any(_overlaps(f[0], f[1], l[2], l[3]) for l in labels))
    return {"found_exact": exact, "found_overlap": overlap, "false_positives": false_pos,
            "masked_given_a_value": masked_valued}


def bench_peer(n_docs: int, seed: int, peer_python: Path | None) -> dict:
    import extractors
    from bench.corpus import generate_reports
    from extractors.records import SourceDocument

    reports = list(generate_reports(n_docs, seed))
    labels = [[[m.start, m.end, m.core_start, m.core_end, m.masked] for m in r.money] for r in reports]
    n_labels = sum(map(len, labels))
    n_masked = sum(1 for doc in labels for l in doc if l[4])
    mb = _utf8_mb(r.text for r in reports)

    # Ours: the whole extraction (every kind of indicator, sections, tasks), money rows scored.
    _extract_texts([reports[0].text])

    def run_ours() -> tuple[list, float]:
        t0 = time.perf_counter()
        done = [extractors.extract(SourceDocument(r.text, "txt", "utf-8"), "bench.txt", _SHA) for r in reports]
        return done, time.perf_counter() - t0

    extractions, ours_s = run_ours()
    ours_found = [[[i.char_start, i.char_end, i.value] for i in ex.indicators if i.unit and "元" in i.unit]
                  for ex in extractions]
    # Every labelled quantity, by kind: found when an indicator's span overlaps its number and unit.
    by_kind: dict[str, list[int]] = {}
    for r, ex in zip(reports, extractions):
        spans = sorted((i.char_start, i.char_end) for i in ex.indicators)
        for m in r.mentions:
            hit = any(_overlaps(a, b, m.core_start, m.core_end) for a, b in spans)
            counts = by_kind.setdefault(m.kind, [0, 0])
            counts[0] += 1
            counts[1] += hit
    ours = {"seconds": round(ours_s, 3), "mb_s": round(mb / ours_s, 3),
            **_total(_score(l, f) for l, f in zip(labels, ours_found))}
    result = {"docs": n_docs, "utf8_mb": round(mb, 2), "money_labels": n_labels, "masked_labels": n_masked,
              "ours": ours, "ours_by_kind_labelled_found": by_kind}

    if peer_python is None or not Path(peer_python).exists():
        result["peer"] = {"skipped": f"no peer virtualenv at {peer_python} (make bench creates it)"}
        return result
    inp, out = WORK / "peer_input.jsonl", WORK / "peer_output.json"
    inp.write_text("".join(json.dumps({"text": r.text}, ensure_ascii=False) + "\n" for r in reports),
                   encoding="utf-8")
    # Ours and the peer alternate, twice; each keeps its faster pass (the machine is shared).
    data = None
    for attempt in range(2):
        _log(f"peer: jionlp extract_money over {n_docs} reports ({mb:.1f} MB), pass {attempt + 1}")
        proc = subprocess.run([str(peer_python), str(Path(__file__).resolve()), "--peer-worker", str(inp), str(out)],
                              capture_output=True, text=True, timeout=3600, cwd=WORK)
        if proc.returncode != 0:
            result["peer"] = {"error": proc.stderr[-2000:]}
            return result
        this = json.loads(out.read_text())
        if data is None or this["seconds"] < data["seconds"]:
            data = this
        if attempt == 0:
            _log("ours again, pass 2")
            ours_s = min(ours_s, run_ours()[1])
            ours.update(seconds=round(ours_s, 3), mb_s=round(mb / ours_s, 3))
    peer = {"seconds": round(data["seconds"], 3), "mb_s": round(mb / data["seconds"], 3),
            "import_s": round(data["import_s"], 2), "versions": data["versions"],
            **_total(_score(l, f) for l, f in zip(labels, data["found"]))}
    result["peer"] = peer
    result["speed_ratio_ours_vs_peer"] = round(data["seconds"] / ours_s, 2)  # > 1: ours is faster
    return result


def _total(scores) -> dict:
    out: dict[str, int] = {}
    for s in scores:
        for k, v in s.items():
            out[k] = out.get(k, 0) + v
    return out


# ---------------------------------------------------------------------------------------------
# End to end
# ---------------------------------------------------------------------------------------------

_DBT_NODE = re.compile(r"\d+ of \d+ (?:OK|PASS|WARN|ERROR|FAIL)\S* (.+?) \.+ \[\w+[^\]]* in ([\d.]+)s\]")
_STAGE_LINE = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) INFO pipeline: stage: (.+)$", re.M)
STAGES = ("discover", "extract", "load", "dbt build", "validate", "publish")


def _cli_env() -> dict:
    env = dict(os.environ)
    env.pop("REPORTS_STATE_DIR", None)
    return env


def _stages_from_log(log: Path, started: float, wall: float) -> dict:
    """Stage durations from the CLI's `stage: X` log lines (it logs them when stderr is no tty)."""
    marks = [(datetime.strptime(ts, "%Y-%m-%d %H:%M:%S,%f").timestamp(), name)
             for ts, name in _STAGE_LINE.findall(log.read_text(errors="replace"))]
    if not marks:
        return {}, {}
    out = {"startup": round(marks[0][0] - started, 2)}
    windows = {"startup": (started, marks[0][0])}
    ends = [t for t, _ in marks[1:]] + [started + wall]
    for (t, name), end in zip(marks, ends):
        out[name] = round(end - t, 2)
        windows[name] = (t, end)
    return out, windows


def cli_run(inbox: Path, wh_dir: Path, label: str) -> dict:
    warehouse = wh_dir / "warehouse.duckdb"
    log = wh_dir / f"{label}.log"
    wh_dir.mkdir(parents=True, exist_ok=True)
    started = time.time()
    res = run_measured([str(VENV_BIN / "report-warehouse"), "run", "--inbox", str(inbox),
                        "--warehouse", str(warehouse), "--reports", str(wh_dir / "reports")],
                       env=_cli_env(), log=log)
    res["stages_s"], windows = _stages_from_log(log, started, res["wall_s"])
    nodes = [(float(sec), name.strip()) for name, sec in _DBT_NODE.findall(log.read_text(errors="replace"))]
    res["dbt_slowest_nodes_s"] = [[name, sec] for sec, name in sorted(nodes, reverse=True)[:8]]
    res["dbt_nodes_total_s"] = round(sum(sec for sec, _ in nodes), 1)
    series = res.pop("_series")
    # Peak RSS per stage from the sampled series (every 50 ms), cut at the stage boundaries.
    res["stages_peak_rss_mb"] = {}
    for name, (t0, t1) in windows.items():
        inside = [(tot, big) for t, tot, big in series if t0 <= t <= t1]
        if inside:
            res["stages_peak_rss_mb"][name] = {"largest": round(max(b for _, b in inside) / 1e6, 1),
                                               "tree": round(max(t for t, _ in inside) / 1e6, 1)}
    if res["exit_code"] != 0:
        res["log_tail"] = _tail(log)
    return res


_STAGE_SCRIPT = r"""
import json, sys
from pipeline.settings import load_settings
stage, run_id, inbox, warehouse, reports = sys.argv[1:6]
s = load_settings(inbox, warehouse, reports)
if stage == "discover":
    from pipeline.discover import discover
    plan = discover(s, run_id, trigger="cli")
    print(json.dumps({"batches": len(plan.batches), "to_extract": len(plan.to_extract())}))
elif stage == "extract":
    from pipeline.discover import Plan, plan_path
    from pipeline.run import extract_all
    extract_all(s, run_id, len(Plan.load(plan_path(s, run_id)).batches))
elif stage == "load":
    from pipeline.load import load
    load(s, run_id)
elif stage == "dbt build":
    from pipeline.transform import dbt_build
    dbt_build(s.build_path(run_id))
elif stage == "validate":
    from pipeline.validate import validate
    validate(s.build_path(run_id), run_id, s.reports_dir)
elif stage == "publish":
    from pipeline.publish import publish
    publish(s, run_id)
"""


def staged_run(inbox: Path, wh_dir: Path) -> dict:
    """Each pipeline step in its own subprocess: its wall time and its peak RSS."""
    warehouse = wh_dir / "warehouse.duckdb"
    wh_dir.mkdir(parents=True, exist_ok=True)
    run_id = f"cli__bench__{int(time.time())}"
    out: dict = {"stages": {}}
    for stage in STAGES:
        log = wh_dir / f"staged-{stage.replace(' ', '_')}.log"
        res = run_measured([sys.executable, "-c", _STAGE_SCRIPT, stage, run_id, str(inbox), str(warehouse),
                            str(wh_dir / "reports")], env=_cli_env(), log=log)
        res.pop("_series")
        out["stages"][stage] = res
        if res["exit_code"] != 0:
            res["log_tail"] = _tail(log)
            out["failed_at"] = stage
            break
    out["total_s"] = round(sum(r["wall_s"] for r in out["stages"].values()), 2)
    return out


def bench_e2e(sizes: list[int], seed: int, staged: list[int]) -> dict:
    from bench.corpus import generate_report

    out: dict = {}
    for n in sizes:
        inbox = corpus_inbox(n, seed)
        root = WORK / f"e2e-{n}"
        shutil.rmtree(root, ignore_errors=True)
        _log(f"end to end, CLI, {n} reports")
        entry: dict = {"files": sum(1 for _ in inbox.iterdir()),
                       "inbox_mb": round(sum(p.stat().st_size for p in inbox.iterdir()) / 1e6, 1)}
        entry["cli"] = cli_run(inbox, root / "cli", "full")
        if entry["cli"]["exit_code"] == 0 and n == max(sizes):
            _log(f"end to end, CLI, nothing changed on top of {n}")
            entry["cli_noop"] = cli_run(inbox, root / "cli", "noop")
            new = inbox / f"{n:05d}_zz_new_report.txt"
            new.write_text(generate_report(n, seed).text, encoding="utf-8")
            try:
                _log(f"end to end, CLI, one new file on top of {n}")
                entry["cli_one_new_file"] = cli_run(inbox, root / "cli", "one-new")
            finally:
                new.unlink()
            entry["one_new_file_share"] = round(entry["cli_one_new_file"]["wall_s"] / entry["cli"]["wall_s"], 3)
        if n in staged:
            _log(f"end to end, one subprocess per stage (RSS), {n} reports")
            entry["staged"] = staged_run(inbox, root / "staged")
        out[str(n)] = entry
    return out


# ---------------------------------------------------------------------------------------------
# Airflow
# ---------------------------------------------------------------------------------------------

def _airflow_env(home: Path) -> dict:
    env = dict(os.environ)
    env.update({
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(PROJECT_ROOT / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home}/airflow.db",
        "GX_ANALYTICS_ENABLED": "False",
        "DO_NOT_TRACK": "1",
    })
    return env


def _airflow_home() -> Path:
    """The benchmark's own Airflow home (its own SQLite DB), so it never shares state with `make run`."""
    home = WORK / "airflow"
    stamp = home / ".migrated"
    if not stamp.exists():
        home.mkdir(parents=True, exist_ok=True)
        _log("airflow db migrate (once, for the benchmark's own Airflow home)")
        proc = subprocess.run([str(VENV_BIN / "airflow"), "db", "migrate"], env=_airflow_env(home),
                              capture_output=True, text=True, cwd=PROJECT_ROOT)
        if proc.returncode != 0:
            raise RuntimeError(f"airflow db migrate failed: {proc.stderr[-2000:]}")
        stamp.touch()
    return home


def _airflow_task_times(home: Path) -> dict:
    import sqlite3

    con = sqlite3.connect(home / "airflow.db")
    try:
        run_id, = con.execute("select run_id from dag_run where dag_id = 'report_warehouse' "
                              "order by id desc limit 1").fetchone()
        rows = con.execute("select task_id, start_date, end_date, state from task_instance "
                           "where dag_id = 'report_warehouse' and run_id = ?", [run_id]).fetchall()
    finally:
        con.close()

    def ts(v: str) -> float:
        return datetime.fromisoformat(v).timestamp()

    out: dict = {}
    for task_id in ("discover", "extract", "load", "dbt_build", "validate", "publish"):
        mine = [r for r in rows if r[0] == task_id and r[1] and r[2]]
        if mine:
            out[task_id] = round(max(ts(r[2]) for r in mine) - min(ts(r[1]) for r in mine), 2)
            if task_id == "extract":
                out["extract_tasks"] = len(mine)
    out["states"] = sorted({r[3] for r in rows if r[3]})
    return out


def bench_airflow(sizes: list[int], seed: int) -> dict:
    out: dict = {}
    try:
        home = _airflow_home()
    except Exception as exc:  # reported, not fatal: the rest of the benchmark stands
        return {"error": str(exc)}
    for n in sizes:
        inbox = corpus_inbox(n, seed)
        root = WORK / f"airflow-{n}"
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
        env = _airflow_env(home)
        env.update(REPORTS_INBOX=str(inbox), REPORTS_WAREHOUSE=str(root / "warehouse.duckdb"),
                   REPORTS_DIR=str(root / "reports"))
        env.pop("REPORTS_STATE_DIR", None)
        _log(f"end to end, airflow dags test, {n} reports")
        log = root / "dags-test.log"
        res = run_measured([str(VENV_BIN / "airflow"), "dags", "test", "report_warehouse"], env=env, log=log)
        res.pop("_series")
        if res["exit_code"] == 0:
            try:
                res["tasks_s"] = _airflow_task_times(home)
            except Exception as exc:
                res["tasks_s"] = {"error": str(exc)}
        else:
            res["log_tail"] = _tail(log, 40)
        out[str(n)] = res
    return out


# ---------------------------------------------------------------------------------------------
# DAG file import time
# ---------------------------------------------------------------------------------------------

_IMPORT_SCRIPT = r"""
import sys, time
warm = sys.argv[2] == "warm"
if warm:  # what the scheduler's DAG processor has loaded already, before it parses a DAG file
    import pendulum
    from airflow.sdk import Asset, Param, TriggerRule, dag, get_current_context, task
t0 = time.perf_counter()
import importlib.util
spec = importlib.util.spec_from_file_location("report_warehouse_dag", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
print(time.perf_counter() - t0)
"""


def bench_dag_import(repeats: int = 7) -> dict:
    env = _airflow_env(WORK / "airflow")
    out: dict = {}
    for mode in ("cold", "warm"):
        times = []
        for _ in range(repeats):
            proc = subprocess.run([sys.executable, "-c", _IMPORT_SCRIPT, str(DAG_FILE), mode], env=env,
                                  capture_output=True, text=True, cwd=PROJECT_ROOT)
            if proc.returncode != 0:
                return {"error": proc.stderr[-2000:]}
            times.append(float(proc.stdout.strip().splitlines()[-1]))
        out[f"{mode}_median_s"] = round(statistics.median(times), 4)
        out[f"{mode}_all_s"] = [round(t, 4) for t in times]
    # Where the time goes (-X importtime, cumulative, top-level imports only): cold, everything;
    # warm, only what the DAG file adds to an interpreter that has airflow.sdk loaded already.
    for mode in ("cold", "warm"):
        proc = subprocess.run([sys.executable, "-X", "importtime", "-c", _IMPORT_SCRIPT, str(DAG_FILE), mode],
                              env=env, capture_output=True, text=True, cwd=PROJECT_ROOT)
        lines = proc.stderr.splitlines()
        if mode == "warm":  # keep what was imported after the clock started
            last = max((i for i, line in enumerate(lines)
                        if re.search(r"\| (airflow\.sdk|pendulum|airflow\.sdk\.\S+)$", line)), default=-1)
            lines = lines[last + 1:]
        top = []
        for line in lines:
            m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
            if m and len(m.group(3)) <= 2:
                top.append((int(m.group(2)) / 1e6, m.group(4)))
        out[f"{mode}_top_imports_s"] = [[name, round(sec, 3)] for sec, name in sorted(top, reverse=True)[:8]]
    return out


# ---------------------------------------------------------------------------------------------
# Profile (py-spy)
# ---------------------------------------------------------------------------------------------

def extract_worker(n_docs: int, seed: int) -> int:
    """Single-process extraction, for py-spy to sample."""
    from bench.corpus import generate_reports

    texts = [r.text for r in generate_reports(n_docs, seed)]
    _extract_texts(texts)
    return 0


def _aggregate_raw(raw: Path, top: int = 14, within: str | None = None) -> dict:
    """py-spy's raw (collapsed) stacks -> the functions with the most self and inclusive samples.

    `within`: count only the stacks passing through this function (e.g. the timed loop).
    """
    from collections import Counter

    own, incl, packages = Counter(), Counter(), Counter()
    total = 0
    for line in raw.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        if within is not None and within not in stack:
            continue
        total += n
        frames = [re.sub(r":\d+\)$", ")", f) for f in stack.split(";")]
        own[frames[-1]] += n
        for f in set(frames):
            incl[f] += n
        leaf_file = re.search(r"\((.*)\)$", frames[-1])
        path = leaf_file.group(1) if leaf_file else "?"
        parts = path.replace("\\", "/").split("/")
        if "site-packages" in parts:
            parts = parts[parts.index("site-packages") + 1:]
        packages[parts[0] if len(parts) > 1 else path] += n

    def pct(c: Counter, keep=lambda f: True) -> list:
        return [[f, round(100 * n / total, 1)] for f, n in c.most_common() if keep(f)][:top]

    ours = lambda f: any(p in f for p in ("extractors/", "pipeline/"))  # noqa: E731
    return {"samples": total, "self_pct": pct(own), "inclusive_pct_ours": pct(incl, ours),
            "leaf_package_pct": pct(packages)}


def profile(py_spy: Path, cmd: list[str], name: str, subprocesses: bool = False, env: dict | None = None,
            within: str | None = None) -> dict:
    raw = WORK / f"profile-{name}.txt"
    args = [str(py_spy), "record", "--format", "raw", "--rate", "100", "-o", str(raw)]
    if subprocesses:
        args.append("--subprocesses")
    proc = subprocess.run([*args, "--", *cmd], capture_output=True, text=True, cwd=PROJECT_ROOT,
                          env={**(env or os.environ), "PYTHONPATH": str(PROJECT_ROOT)})
    if not raw.exists():
        return {"error": (proc.stderr or proc.stdout)[-1500:]}
    return {"raw": str(raw.relative_to(PROJECT_ROOT)), **_aggregate_raw(raw, within=within)}


# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------

def _met(ok: bool | None) -> str:
    return "n/a" if ok is None else ("met" if ok else "MISSED")


def table(results: dict) -> str:
    rows: list[tuple[str, str, str, str]] = []
    ex = results.get("extraction")
    if ex:
        rows += [
            ("extraction, 1 process", f"{ex['single_mb_s']:.2f} MB/s, {ex['single_docs_s']:.0f} docs/s", "", ""),
            (f"extraction, {ex['cores']} processes",
             f"{ex['multi_mb_s']:.2f} MB/s, {ex['multi_docs_s']:.0f} docs/s "
             f"({ex['multi_mb_s_per_core']:.2f} MB/s per core, efficiency {ex['parallel_efficiency']})",
             "≥ 10 MB/s per core", _met(ex["multi_mb_s_per_core"] >= TARGETS["extract_mb_s_per_core"])),
            ("floor: one regex pass", f"{ex['floor_mb_s']:.0f} MB/s ({ex['floor_matches']} matches)", "", ""),
            ("extractor / floor (time)", f"{ex['extractor_vs_floor']:.0f}x", "≤ 20x",
             _met(ex["extractor_vs_floor"] <= TARGETS["extract_vs_floor"])),
            ("read_file + extract from files, 1 process",
             f"{ex['files_mb_s']:.2f} MB/s on disk, {ex['files_docs_s']:.0f} docs/s ({ex['files']} files)", "", ""),
        ]
    pe = results.get("peer")
    if pe:
        o = pe["ours"]
        n = pe["money_labels"]
        rows.append((f"money mentions found, ours ({pe['docs']} reports, {n} labelled, {pe['masked_labels']} masked)",
                     f"{o['found_exact']} exact / {o['found_overlap']} overlapping ({100 * o['found_overlap'] / max(n, 1):.1f}%), "
                     f"{o['false_positives']} false positives, {o['masked_given_a_value']} masked given a value; "
                     f"{o['mb_s']:.2f} MB/s (all indicators)", "", ""))
        p = pe.get("peer", {})
        if "found_exact" in p:
            rows.append(("money mentions found, JioNLP extract_money",
                         f"{p['found_exact']} exact / {p['found_overlap']} overlapping ({100 * p['found_overlap'] / max(n, 1):.1f}%), "
                         f"{p['false_positives']} false positives, {p['masked_given_a_value']} masked given a value; "
                         f"{p['mb_s']:.2f} MB/s (money only)", "", ""))
            rows.append(("speed, ours / JioNLP", f"{pe['speed_ratio_ours_vs_peer']:.2f}x (>1: ours faster)", "", ""))
        else:
            rows.append(("JioNLP extract_money", next(iter(p.values()), "?")[:80], "", ""))
        kinds = pe.get("ours_by_kind_labelled_found") or {}
        if kinds:
            rows.append(("every labelled quantity found by ours, by kind (found/labelled)",
                         ", ".join(f"{k} {f}/{n}" for k, (n, f) in sorted(kinds.items(), key=lambda kv: -kv[1][0])),
                         "", ""))
    for n, e in (results.get("e2e") or {}).items():
        cli = e["cli"]
        st = cli.get("stages_s", {})
        split = ", ".join(f"{k} {v:.1f}" for k, v in st.items())
        ok = None
        target = ""
        if n == "10000":
            target, ok = "< 180 s", cli["exit_code"] == 0 and cli["wall_s"] < TARGETS["e2e_10k_cli_s"]
        rows.append((f"end to end, CLI, {n} reports ({e['files']} files, {e['inbox_mb']} MB)",
                     f"{cli['wall_s']:.1f} s (exit {cli['exit_code']}); {split}", target, _met(ok)))
        rss = cli.get("stages_peak_rss_mb") or {}
        if rss:
            rows.append((f"peak RSS per stage, CLI, {n} reports: largest process / process tree",
                         "; ".join(f"{k} {v['largest']:.0f} / {v['tree']:.0f} MB" for k, v in rss.items()), "", ""))
        if "cli_noop" in e:
            rows.append((f"nothing changed, on top of {n}", f"{e['cli_noop']['wall_s']:.1f} s", "", ""))
        if "cli_one_new_file" in e:
            one = e["cli_one_new_file"]
            split = ", ".join(f"{k} {v:.1f}" for k, v in one.get("stages_s", {}).items())
            rows.append((f"one new file on top of {n}",
                         f"{one['wall_s']:.1f} s = {100 * e['one_new_file_share']:.1f}% of the full run; {split}",
                         "< 10%", _met(e["one_new_file_share"] < TARGETS["one_new_file_share"])))
        if "staged" in e:
            s = e["staged"]
            split = "; ".join(f"{k} {v['wall_s']:.1f} s / {v['peak_rss_mb']:.0f} MB"
                              + (f" (tree {v['peak_rss_tree_mb']:.0f} MB)" if v.get("peak_rss_tree_mb") else "")
                              for k, v in s["stages"].items())
            rows.append((f"per stage, own subprocess, {n} reports: wall / peak RSS", split, "", ""))
    for n, a in (results.get("airflow") or {}).items():
        if not isinstance(a, dict) or "wall_s" not in a:
            rows.append((f"airflow dags test, {n}", str(a)[:100], "", ""))
            continue
        t = a.get("tasks_s", {})
        split = ", ".join(f"{k} {v}" for k, v in t.items() if k not in ("states",))
        rows.append((f"end to end, airflow dags test, {n} reports",
                     f"{a['wall_s']:.1f} s (exit {a['exit_code']}); {split}", "", ""))
    di = results.get("dag_import")
    if di and "cold_median_s" in di:
        rows.append(("DAG file import, fresh interpreter (median of 7)", f"{di['cold_median_s']:.3f} s", "< 0.3 s",
                     _met(di["cold_median_s"] < TARGETS["dag_import_s"])))
        rows.append(("DAG file import, airflow.sdk names preloaded as in the DAG processor (median of 7)", f"{di['warm_median_s']:.4f} s",
                     "< 0.3 s", _met(di["warm_median_s"] < TARGETS["dag_import_s"])))
    head = f"report-warehouse benchmark, {results['started_at']}, {results['machine']}\n\n"
    lines = ["| measure | figure | target | |", "| --- | --- | --- | --- |"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    return head + "\n".join(lines) + "\n"


def merge(parts: list[dict]) -> dict:
    """Several runs' results as one (a later run wins; end-to-end results merge by size)."""
    out: dict = {}
    for part in parts:
        for key, value in part.items():
            if key in ("e2e", "airflow", "profile") and isinstance(value, dict) and isinstance(out.get(key), dict):
                merged = dict(out[key])
                for size, entry in value.items():  # a later run's figures win, its gaps are filled
                    old = merged.get(size)
                    merged[size] = {**old, **entry} if isinstance(old, dict) and isinstance(entry, dict) else entry
                out[key] = merged
            else:
                out[key] = value
    out["started_at"] = " + ".join(p["started_at"] for p in parts)
    return out


def table_from(paths: list[Path]) -> int:
    """Print (and save as merged-*.json / latest.md) the table of one or several results files."""
    results = merge([json.loads(p.read_text()) for p in paths])
    stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"merged-{stamp}.json").write_text(json.dumps(results, ensure_ascii=False, indent=1))
    md = table(results)
    (RESULTS / "latest.md").write_text(md)
    print(md)
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if str(PROJECT_ROOT) not in sys.path:
        sys.path.insert(0, str(PROJECT_ROOT))
    if argv[:1] == ["--peer-worker"]:
        return peer_worker(Path(argv[1]), Path(argv[2]))
    if argv[:1] == ["--extract-worker"]:
        return extract_worker(int(argv[1]), int(argv[2]))
    if argv[:1] == ["--table-from"]:
        return table_from([Path(a) for a in argv[1:]])

    parser = argparse.ArgumentParser(prog="python -m bench.run_bench", description=__doc__.splitlines()[0])
    ints = lambda s: [int(x) for x in s.split(",") if x]  # noqa: E731
    parser.add_argument("--sizes", type=ints, default=[1000, 10000], help="end-to-end corpus sizes")
    parser.add_argument("--airflow-sizes", type=ints, default=[1000], help="sizes for `airflow dags test`")
    parser.add_argument("--extract-docs", type=int, default=600, help="reports for the throughput figures")
    parser.add_argument("--peer-docs", type=int, default=300, help="reports for the JioNLP comparison")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--peer-python", type=Path, default=WORK / "peer-venv" / "bin" / "python")
    parser.add_argument("--py-spy", type=Path, default=WORK / "peer-venv" / "bin" / "py-spy")
    parser.add_argument("--staged-sizes", type=ints, default=[1000],
                        help="sizes at which each stage also runs in its own subprocess (wall, peak RSS)")
    parser.add_argument("--profile-e2e", action="store_true",
                        help="profile the CLI at 1000 reports even when the 10k target is met")
    parser.add_argument("--only", default="extraction,peer,e2e,airflow,dag_import,profile",
                        help="comma-separated parts to run")
    args = parser.parse_args(argv)
    # the peer runs with WORK as its working directory: a relative path (as make passes) would miss
    args.peer_python, args.py_spy = args.peer_python.absolute(), args.py_spy.absolute()
    parts = set(args.only.split(","))
    WORK.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)

    results: dict = {
        "started_at": _now(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "seed": args.seed,
        "generator_version": _generator_version(),
        "targets": TARGETS,
    }
    if "extraction" in parts:
        files = sorted(corpus_inbox(args.extract_docs, args.seed).iterdir())
        results["extraction"] = bench_extraction(args.extract_docs, args.seed, files)
    if "peer" in parts:
        results["peer"] = bench_peer(args.peer_docs, args.seed, args.peer_python)
    if "dag_import" in parts:
        results["dag_import"] = bench_dag_import()
    if "e2e" in parts and args.sizes:
        results["e2e"] = bench_e2e(args.sizes, args.seed, staged=args.staged_sizes)
    if "airflow" in parts and args.airflow_sizes:
        results["airflow"] = bench_airflow(args.airflow_sizes, args.seed)
    if "profile" in parts and args.py_spy.exists():
        prof: dict = {}
        ex = results.get("extraction")
        if ex is None or ex["multi_mb_s_per_core"] < TARGETS["extract_mb_s_per_core"] \
                or ex["extractor_vs_floor"] > TARGETS["extract_vs_floor"]:
            _log("profile: extraction (py-spy)")
            prof["extraction"] = profile(args.py_spy, [sys.executable, str(Path(__file__).resolve()),
                                                       "--extract-worker", "150", str(args.seed)], "extraction",
                                           within="_extract_texts")
        e2e_big = (results.get("e2e") or {}).get("10000", {}).get("cli", {})
        if args.profile_e2e or (e2e_big and (e2e_big.get("exit_code") != 0
                                            or e2e_big.get("wall_s", 0) > TARGETS["e2e_10k_cli_s"])):
            _log("profile: end to end at 1000 reports, CLI with its subprocesses (py-spy)")
            inbox = corpus_inbox(1000, args.seed)
            wh = WORK / "profile-e2e"
            shutil.rmtree(wh, ignore_errors=True)
            prof["e2e_1000"] = profile(args.py_spy, [str(VENV_BIN / "report-warehouse"), "run", "--inbox", str(inbox),
                                                    "--warehouse", str(wh / "warehouse.duckdb"), "--reports",
                                                    str(wh / "reports")], "e2e-1000", subprocesses=True)
        results["profile"] = prof
    results["finished_at"] = _now()

    stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
    (RESULTS / f"bench-{stamp}.json").write_text(json.dumps(results, ensure_ascii=False, indent=1))
    (RESULTS / "latest.json").write_text(json.dumps(results, ensure_ascii=False, indent=1))
    md = table(results)
    (RESULTS / "latest.md").write_text(md)
    print(md)
    for name, prof in (results.get("profile") or {}).items():
        if "self_pct" in prof:
            print(f"profile {name} ({prof['samples']} samples): top self time")
            for f, p in prof["self_pct"][:10]:
                print(f"  {p:5.1f}%  {f}")
            print("  by package of the leaf frame: " + ", ".join(f"{k} {v}%" for k, v in prof["leaf_package_pct"][:8]))
    print(f"results: {RESULTS.relative_to(PROJECT_ROOT)}/bench-{stamp}.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
