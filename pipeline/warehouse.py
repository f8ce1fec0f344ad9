"""The one place that opens DuckDB files.

Two kinds of file exist: the *published* warehouse, which BI tools hold open read-only and which
the pipeline never writes in place, and a *build* file per run, which exactly one task writes.
"""
from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import duckdb


@contextlib.contextmanager
def connect(path: Path, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    if read_only and not path.exists():
        raise FileNotFoundError(f"no DuckDB file at {path}")
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), read_only=read_only)
    try:
        yield con
    finally:
        con.close()


def table_exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    row = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, table],
    ).fetchone()
    return bool(row and row[0])


def fsync_dir(path: Path) -> None:
    """Make a rename durable: without it a crash can forget the new directory entry."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
