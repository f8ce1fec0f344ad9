"""The shape every suite module fills in: which rows to read, which expectations, how severe.

A suite here is one GX `ExpectationSuite` per table it validates, named `<layer>.<table>`
(`marts.fct_indicators`), because a GX suite validates one batch, i.e. one DataFrame. The layer
(`raw`, `marts`, `cross_table`) is the suite auditors talk about; the table is the page in Data Docs.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import great_expectations as gx
from great_expectations.expectations.expectation import Expectation
from great_expectations.expectations.metadata_types import FailureSeverity

Severity = Literal["critical", "warning"]
SEVERITIES: tuple[Severity, ...] = ("critical", "warning")


def check(severity: Severity, name: str, why: str, expectation: Expectation) -> Expectation:
    """Tag an expectation with its severity and a stable name.

    The severity goes both into `meta` (what the issue and auditors read, and what survives any GX
    upgrade because meta is free-form) and into GX's own `severity` field (so Data Docs shows it).
    `name` is what audit.validation_results.expectation holds: stable across GX versions and unique
    across all suites, unlike the expectation type, of which one table can use several.
    """
    if severity not in SEVERITIES:
        raise ValueError(f"severity must be one of {SEVERITIES}, not {severity!r}")
    expectation.meta = {"check": name, "severity": severity, "why": why}
    expectation.severity = FailureSeverity(severity)
    return expectation


@dataclass(frozen=True)
class ReferenceSets:
    """Allowed values that live in the warehouse itself (dbt seeds), read from the build file.

    Units and domains are edited by analysts in dbt seeds; hard-coding them here would make the gate
    reject a unit an analyst has just added.
    """

    units: tuple[str, ...] = ()
    base_units: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableCheck:
    """One table (or one SQL-derived frame) and the expectations run on it."""

    layer: Literal["raw", "marts", "cross_table"]
    name: str
    # Relations the frame reads, with the columns it needs: checked before anything runs, so a
    # missing dbt model fails as one clear expectation instead of a SQL traceback.
    requires: dict[str, tuple[str, ...]]
    # The frame handed to GX. Only the columns the expectations read, plus derivations that need a
    # join (span text, document length, report year) computed in DuckDB: the push-down half.
    select_sql: str
    expectations: Callable[[ReferenceSets], Sequence[Expectation]]
    # Row identity in the frame, reported for failing rows and used to find their source line.
    key_column: str | None = None
    # SQL expression over the frame's columns; rows are split into chunks by its hash, so rows
    # that a uniqueness expectation compares always land in the same chunk. None: never chunked
    # (small frames, or frames whose expectations are aggregates that cannot be merged).
    partition_by: str | None = None
    # (relation, alias in select_sql, key): the check is row-level and may validate only the rows a
    # run wrote (pipeline.validate's incremental mode); select_sql must read `from <relation> as
    # <alias>` once, and the relation needs doc_id (and may have dbt_invocation_id). None: the
    # frame is always validated whole (small tables, aggregates).
    row_scope: tuple[str, str, str] | None = None
    # SQL returning (key, source_path, line_no, excerpt) for keys bound as a list to `?`.
    locate_sql: str | None = None
    description: str = ""

    @property
    def suite_name(self) -> str:
        return f"{self.layer}.{self.name}"

    def build_suite(self, refs: ReferenceSets) -> gx.ExpectationSuite:
        suite = gx.ExpectationSuite(name=self.suite_name, meta={"layer": self.layer, "notes": self.description})
        for expectation in self.expectations(refs):
            suite.add_expectation(expectation)
        return suite
