"""The quality gate's suites, as code: raw, marts and cross-table, with their thresholds.

`ALL_CHECKS` is every table check in the order they run (raw first: if raw is wrong, marts
failures are consequences). `pipeline.validate` runs them; README.md explains them to auditors.
"""
from __future__ import annotations

import duckdb

from expectations import cross_table, marts, raw
from expectations.spec import ReferenceSets, TableCheck

ALL_CHECKS: tuple[TableCheck, ...] = (*raw.CHECKS, *marts.CHECKS, *cross_table.CHECKS)

# Where the seeds' allowed values are read from: the marts dimension when dbt built it, else the
# seed itself (dbt loads seeds into staging before any model runs).
_UNIT_SOURCES = ("marts.dim_units", "staging.units")
_DOMAIN_SOURCES = ("marts.dim_domains", "staging.domains")


def _first_existing(con: duckdb.DuckDBPyConnection, relations: tuple[str, ...], columns: tuple[str, ...]) -> str | None:
    for relation in relations:
        schema, table = relation.split(".")
        found = {r[0] for r in con.execute(
            "select column_name from information_schema.columns where table_schema = ? and table_name = ?",
            [schema, table]).fetchall()}
        if set(columns) <= found:
            return relation
    return None


def read_reference_sets(con: duckdb.DuckDBPyConnection) -> ReferenceSets:
    """The allowed units and domains, as the analysts' seeds hold them in this build file.

    A missing source gives an empty set, so every value fails its expectation loudly rather than
    passing unchecked.
    """
    units: tuple[str, ...] = ()
    base_units: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    if relation := _first_existing(con, _UNIT_SOURCES, ("unit", "unit_base")):
        rows = con.execute(f"select distinct unit, unit_base from {relation}").fetchall()
        units = tuple(sorted({u for u, _ in rows if u is not None}))
        base_units = tuple(sorted({b for _, b in rows if b is not None}))
    if relation := _first_existing(con, _DOMAIN_SOURCES, ("domain",)):
        domains = tuple(sorted(r[0] for r in con.execute(
            f"select distinct domain from {relation} where domain is not null").fetchall()))
    return ReferenceSets(units=units, base_units=base_units, domains=domains)


__all__ = ["ALL_CHECKS", "ReferenceSets", "TableCheck", "read_reference_sets"]
