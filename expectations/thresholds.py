"""Every number and every allowed set the suites use, named, in one place.

An auditor who asks "why 200%?" finds the answer here, next to the name the suites use; a reviewer
changing a threshold changes one line and sees every expectation that reads it (grep the name).
"""
from __future__ import annotations

# --- raw ------------------------------------------------------------------------------------------
# Encodings the decoder may report. Anything else means the decoder guessed and the text may be
# mojibake, which would poison every span downstream.
KNOWN_ENCODINGS: tuple[str, ...] = (
    "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "gb18030", "gbk", "gb2312", "big5",
    "ascii",
)
KNOWN_SOURCE_FORMATS: tuple[str, ...] = ("txt", "md", "html", "docx", "pdf", "jsonl", "csv", "parquet")

# --- marts: enums straight from the contract (shared/CONTRACT.md) ----------------------------------
TASK_STATUSES: tuple[str, ...] = ("completed", "in_progress", "planned", "problem", "unknown")
INDICATOR_STATUSES: tuple[str, ...] = ("actual", "target")
MEASURE_KINDS: tuple[str, ...] = (
    "currency", "percent", "count", "area", "mass", "power", "energy", "length", "duration", "other",
)
QUALIFIERS: tuple[str, ...] = (
    "exact", "approx", "at_least", "more_than", "at_most", "less_than", "range",
)
COMPARISONS: tuple[str, ...] = ("none", "year_on_year", "vs_target", "share")
DIRECTIONS: tuple[str, ...] = ("up", "down", "flat")
SECTION_KINDS: tuple[str, ...] = ("achievement", "problem", "plan", "other")
SECTION_LEVELS: tuple[int, int] = (1, 5)
REPORT_PERIOD_PATTERN = r"^(?:H1|H2|FY|Q[1-4]|M(?:0[1-9]|1[0-2])-M(?:0[1-9]|1[0-2]))$"

# --- marts: plausibility -------------------------------------------------------------------------
# A share or completion rate ("覆盖率98%") cannot leave [0, 100]. Growth rates ("同比增长250%") can,
# so comparisons that are growth rates are exempt; the bound below still catches a unit slip such as
# a ratio parsed as a percent of a currency amount.
PERCENT_MIN = 0.0
PERCENT_MAX = 100.0
GROWTH_RATE_COMPARISONS: tuple[str, ...] = ("year_on_year", "vs_target")
# Growth rates beyond ±1000% appear in Chinese reports only for tiny bases; beyond that it is a
# misread number (a year glued to a percent, "2024%" ).
GROWTH_PERCENT_MIN = -100.0
GROWTH_PERCENT_MAX = 1000.0

# A deadline in a report of year Y is about Y's work: the year before (late carry-over) through a
# five-year plan horizon. Outside that window the date was almost surely read from the wrong year.
DEADLINE_YEARS_BEFORE_REPORT = 1
DEADLINE_YEARS_AFTER_REPORT = 5
# Report years the corpus can hold: the archive starts in the 1990s; a future year is a misread.
REPORT_YEAR_MIN = 1990
REPORT_YEAR_MAX = 2035

# Share of current documents that must yield at least one section before the run fails. 1.0 means
# every one: the contract promises structure for every report with text.
DOCUMENTS_WITH_SECTIONS_MOSTLY = 1.0
# Share of indicators whose unit is in dim_units before the warning fires (units outside the seed
# are shown in the report so an analyst can add them to seeds/units.csv).
UNITS_KNOWN_MOSTLY = 0.99

# --- running ---------------------------------------------------------------------------------------
# Rows per pandas chunk handed to GX. 250k rows of the projected (narrow) indicator columns is
# ~60 MB in pandas and keeps GX's per-metric copies well under a few hundred MB.
CHUNK_ROWS = 250_000
# Example rows kept per failing expectation for the landing page and Data Docs.
EXAMPLE_ROWS = 5
PARTIAL_UNEXPECTED_COUNT = 20
