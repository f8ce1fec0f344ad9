"""Real Airflow 3 service processes for a test: start them, watch them, always stop them.

Each service runs in its own process group, logging to a file, so a test can show what went wrong
and stop everything (the services and whatever task processes they forked) with one call.
"""
from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import PROJECT_ROOT

AIRFLOW = Path(sys.executable).parent / "airflow"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def airflow_env(home: Path, *, executor: str, sql_alchemy_conn: str, api_port: int, **extra: str) -> dict[str, str]:
    """Everything an Airflow 3 service needs to join the others: one metadata DB, one execution API.

    The scheduler signs task tokens with the JWT secret and the api-server checks them, so every
    service gets the same one; workers reach the execution API on loopback.
    """
    return {
        **os.environ,
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(PROJECT_ROOT / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__EXECUTOR": executor,
        "AIRFLOW__CORE__PARALLELISM": "4",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": sql_alchemy_conn,
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{api_port}/execution/",
        "AIRFLOW__API__HOST": "127.0.0.1",
        "AIRFLOW__API__PORT": str(api_port),
        "AIRFLOW__API__WORKERS": "1",
        "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_urlsafe(64),
        "AIRFLOW__API__SECRET_KEY": secrets.token_urlsafe(32),
        # Short loops: the test waits for the scheduler, not the other way round.
        "AIRFLOW__SCHEDULER__SCHEDULER_IDLE_SLEEP_TIME": "0.5",
        "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5",
        "AIRFLOW__DAG_PROCESSOR__MIN_FILE_PROCESS_INTERVAL": "30",
        "AIRFLOW__DAG_PROCESSOR__PARSING_PROCESSES": "1",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO",
        "GX_ANALYTICS_ENABLED": "False",
        "DO_NOT_TRACK": "1",
        **extra,
    }


def airflow(env: dict[str, str], *args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    result = subprocess.run([str(AIRFLOW), *args], env=env, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise AssertionError(f"airflow {' '.join(args)} failed ({result.returncode}):\n"
                             f"{(result.stdout + result.stderr)[-3000:]}")
    return result


@dataclass
class Services:
    """The long-running processes of one test, each in its own process group."""

    log_dir: Path
    env: dict[str, str]
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def start(self, name: str, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log = (self.log_dir / f"{name}.log").open("w")
        process = subprocess.Popen([str(AIRFLOW), *args], env=env or self.env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        log.close()
        self.processes[name] = process
        return process

    def check_alive(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                raise AssertionError(f"airflow {name} exited with {process.returncode}:\n{self.tail(name)}")

    def tail(self, name: str, lines: int = 40) -> str:
        path = self.log_dir / f"{name}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""

    def report(self) -> str:
        return "\n".join(f"--- {name} ---\n{self.tail(name)}" for name in self.processes)

    def wait_for_port(self, port: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.check_alive()
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    return
            time.sleep(0.5)
        raise AssertionError(f"nothing listens on port {port} after {timeout}s:\n{self.report()}")

    def stop(self, grace: float = 15) -> None:
        """SIGTERM every group, then SIGKILL what is left, including task processes that left the group."""
        for process in self.processes.values():
            _signal_group(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
        for process in self.processes.values():
            _signal_group(process.pid, signal.SIGKILL)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        for pid in _processes_with_env("AIRFLOW_HOME", self.env["AIRFLOW_HOME"]):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def task_log_errors(home: Path, lines: int = 30) -> str:
    """The end of every task log that reports an error: what a failed run's tasks said."""
    out = []
    for log in sorted((home / "logs").rglob("attempt=*.log")):
        text = log.read_text(errors="replace")
        if '"level":"error"' in text or "ERROR" in text:
            out.append(f"--- {log.relative_to(home / 'logs')} ---\n" + "\n".join(text.splitlines()[-lines:]))
    return "\n".join(out)


def _signal_group(pgid: int, sig: int) -> None:
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def _processes_with_env(name: str, value: str) -> list[int]:
    """Our own stragglers: processes whose environment holds this test's unique AIRFLOW_HOME."""
    wanted = f"{name}={value}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if wanted in (entry / "environ").read_bytes().split(b"\0"):
                found.append(int(entry.name))
        except OSError:
            continue
    return found
