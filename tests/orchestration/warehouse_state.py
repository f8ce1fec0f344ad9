"""What two warehouses must agree on, and how to build inboxes and run the real CLI in the background.

Two runs over the same inputs give the same marts up to run ids, dbt invocation ids and timestamps: `marts_snapshot`
drops exactly those columns, so everything else (ids, spans, values, flags) must match.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from tests.conftest import CLI, SAMPLE_INBOX

MARTS = ("dim_documents", "dim_sections", "fct_tasks", "fct_indicators")
STAGE_PREFIX = "stage: "


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _volatile(name: str, data_type: str) -> bool:
    """Which run, which dbt invocation, and when: the only columns two equal builds may differ in."""
    return (name == "run_id" or name.endswith(("_invocation_id", "_at"))
            or data_type.upper().startswith("TIMESTAMP"))


def marts_snapshot(db: Path) -> dict[str, list[tuple]]:
    """Every mart's rows, sorted, without run ids and timestamps."""
    with duckdb.connect(str(db), read_only=True) as con:
        return _snapshot(con)


def _snapshot(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    snapshot = {}
    for mart in MARTS:
        columns = con.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'marts' and table_name = ? order by ordinal_position", [mart],
        ).fetchall()
        kept = ", ".join(f'"{name}"' for name, data_type in columns if not _volatile(name, data_type))
        rows = con.execute(f"select {kept} from marts.{mart}").fetchall()
        snapshot[mart] = sorted(rows, key=repr)
    return snapshot


def published_runs(db: Path) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("select run_id, verdict, published from audit.runs order by started_at").fetchall()


def make_inbox(target: Path, *, leave_out: tuple[str, ...] = (), variants: int = 0, change: str | None = None) -> Path:
    """The sample inbox, minus some files, plus `variants` distinct copies, with one file changed."""
    target.mkdir(parents=True, exist_ok=True)
    samples = sorted(p for p in SAMPLE_INBOX.iterdir() if p.is_file())
    for path in samples:
        if path.name not in leave_out:
            shutil.copyfile(path, target / path.name)
    utf8 = [p for p in samples if "gb18030" not in p.name]
    for n in range(variants):
        source = utf8[n % len(utf8)]
        text = source.read_text(encoding="utf-8")
        # A new first line makes new bytes (a new document), the report body stays a real report.
        (target / f"v{n:03d}_{source.name}").write_text(f"副本第{n + 1}号\n{text}", encoding="utf-8")
    if change:
        path = target / change
        path.write_text(path.read_text(encoding="utf-8") + "\n四、下一步工作\n(一)继续完善监测体系，年底前完成验收。\n",
                        encoding="utf-8")
    return target


@dataclass
class BackgroundRun:
    """`report-warehouse run` in its own process group, its stderr read line by line as it comes."""

    process: subprocess.Popen
    lines: list[str] = field(default_factory=list)
    _reader: threading.Thread | None = None
    _new_line: threading.Condition = field(default_factory=threading.Condition)

    @classmethod
    def start(cls, inbox: Path, warehouse: Path, reports: Path, env: dict[str, str] | None = None,
              extra: tuple[str, ...] = ()) -> BackgroundRun:
        process = subprocess.Popen(
            [str(CLI), "run", "--inbox", str(inbox), "--warehouse", str(warehouse), "--reports", str(reports), *extra],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, encoding="utf-8", errors="replace",
            env={**os.environ, **(env or {})}, start_new_session=True,
        )
        run = cls(process)
        run._reader = threading.Thread(target=run._read, daemon=True)
        run._reader.start()
        return run

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            with self._new_line:
                self.lines.append(line.rstrip("\n"))
                self._new_line.notify_all()
        with self._new_line:
            self._new_line.notify_all()

    def wait_for(self, predicate, timeout: float) -> bool:
        """Block until a stderr line satisfies `predicate`; False when the process ended first."""
        deadline = time.monotonic() + timeout
        seen = 0
        with self._new_line:
            while True:
                for line in self.lines[seen:]:
                    if predicate(line):
                        return True
                seen = len(self.lines)
                if self.process.poll() is not None and not self._reader.is_alive():
                    return False
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"no matching line within {timeout}s; last lines: {self.lines[-5:]}")
                self._new_line.wait(min(remaining, 0.5))

    def kill(self) -> None:
        """SIGKILL the whole process group (the CLI, its extract pool, dbt): a machine losing power."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=30)
        self._reader.join(timeout=30)

    def finish(self, timeout: float) -> int:
        try:
            returncode = self.process.wait(timeout=timeout)
        finally:
            if self.process.poll() is None:
                self.kill()
        self._reader.join(timeout=30)
        return returncode

    def stages(self) -> list[str]:
        return [line.split(STAGE_PREFIX, 1)[1] for line in self.lines if STAGE_PREFIX in line]

    def tail(self, n: int = 25) -> str:
        return "\n".join(self.lines[-n:])
