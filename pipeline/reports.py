"""The auditor's landing page: one plain HTML file that opens from disk with no server and no internet.

`reports_dir/index.html` is the latest run; `reports_dir/runs/<run>/index.html` keeps each run's
own copy, and `summary.json` beside it feeds the "earlier runs" list. Charts are inline SVG drawn
here: no script, no CDN, nothing to fetch. Every number on the page is read from the build file
that was validated, through the read-only connection `pipeline.validate` holds.
"""
from __future__ import annotations

import html
import json
import os
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from pipeline.settings import safe_run_id

if TYPE_CHECKING:
    from pipeline.validate import ExpectationOutcome, ValidationOutcome

FILE_STATUSES = ("loaded", "unchanged", "duplicate", "quarantined", "removed")
TASK_STATUS_COLOURS = {
    "completed": "#2e7d32", "in_progress": "#1565c0", "planned": "#6a1b9a", "problem": "#c62828",
    "unknown": "#9e9e9e",
}
MAX_DOCUMENTS_CHARTED = 30  # a bar per document beyond this is unreadable; the rest are summed
MAX_DEPARTMENTS_CHARTED = 25


@dataclass
class ReportData:
    files: dict[str, int] = field(default_factory=dict)  # status -> files in this run
    quarantined: list[tuple[str, str]] = field(default_factory=list)  # (source_path, reason)
    documents: int = 0
    tasks: int = 0
    indicators: int = 0
    masked_indicators: int = 0
    indicators_by_domain_period: list[tuple[str, str, int]] = field(default_factory=list)
    tasks_by_department_status: list[tuple[str, str, int]] = field(default_factory=list)
    masked_by_document: list[tuple[str, int, int]] = field(default_factory=list)  # (doc, masked, all)
    notes: list[str] = field(default_factory=list)  # what could not be read, said plainly

    @property
    def files_seen(self) -> int:
        return sum(self.files.values())

    @property
    def masked_share(self) -> float | None:
        return self.masked_indicators / self.indicators if self.indicators else None


def _query(con: duckdb.DuckDBPyConnection, data: ReportData, what: str, sql: str,
           params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    # The page must render for a broken build too (that is when auditors read it most), so a
    # missing table costs one chart and a note, never the page.
    try:
        return con.execute(sql, list(params)).fetchall()
    except duckdb.Error as exc:
        data.notes.append(f"{what}: not available ({str(exc).splitlines()[0]})")
        return []


_CURRENT_DOCS = "(select doc_id from marts.dim_documents where is_current)"


def collect(con: duckdb.DuckDBPyConnection, run_id: str) -> ReportData:
    data = ReportData()
    for status, count in _query(con, data, "file counts", """
            select status, count(*) from audit.file_ingestions where run_id = ? group by status""", [run_id]):
        data.files[status] = count
    data.quarantined = [(p, r or "") for p, r in _query(con, data, "quarantined files", """
            select source_path, reason from audit.file_ingestions
            where run_id = ? and status = 'quarantined' order by source_path limit 50""", [run_id])]
    for row in _query(con, data, "document counts", "select count(*) from marts.dim_documents where is_current"):
        data.documents = row[0]
    for row in _query(con, data, "task counts",
                      f"select count(*) from marts.fct_tasks where doc_id in {_CURRENT_DOCS}"):
        data.tasks = row[0]
    for row in _query(con, data, "indicator counts", f"""
            select count(*), count(*) filter (where is_masked)
            from marts.fct_indicators where doc_id in {_CURRENT_DOCS}"""):
        data.indicators, data.masked_indicators = row[0], row[1]
    data.indicators_by_domain_period = [(str(d), str(p), n) for d, p, n in _query(
        con, data, "indicators by domain and period", """
            select coalesce(t.domain, '(no domain)') as domain,
                   coalesce(cast(d.report_year as varchar), '?')
                       || coalesce(' ' || d.report_period, '') as period,
                   count(*) as indicators
            from marts.fct_indicators as i
            join marts.dim_documents as d on d.doc_id = i.doc_id and d.is_current
            left join marts.fct_tasks as t on t.task_id = i.task_id
            group by all order by domain, period""")]
    data.tasks_by_department_status = [(str(d), str(s), n) for d, s, n in _query(
        con, data, "task status by department", """
            select coalesce(d.department, '(no department)') as department,
                   coalesce(t.status, 'unknown') as status, count(*) as tasks
            from marts.fct_tasks as t
            join marts.dim_documents as d on d.doc_id = t.doc_id and d.is_current
            group by all order by department, status""")]
    data.masked_by_document = [(str(label), masked, total) for label, masked, total in _query(
        con, data, "masked share by document", """
            select coalesce(nullif(d.title, ''), d.source_path, d.doc_id) as label,
                   count(*) filter (where i.is_masked) as masked, count(*) as indicators
            from marts.fct_indicators as i
            join marts.dim_documents as d on d.doc_id = i.doc_id and d.is_current
            group by d.doc_id, label order by indicators desc, label""")]
    return data


# --- charts (inline SVG) -------------------------------------------------------------------------

def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def svg_heatmap(cells: Sequence[tuple[str, str, int]], title: str) -> str:
    """Rows × columns with a shade per count: domains down, periods across."""
    if not cells:
        return f'<p class="empty">No data for “{_e(title)}”.</p>'
    rows = sorted({r for r, _, _ in cells})
    cols = sorted({c for _, c, _ in cells})
    value = {(r, c): n for r, c, n in cells}
    top = max(value.values()) or 1
    label_w, cell_w, cell_h, head_h = 170, 78, 26, 40
    width, height = label_w + cell_w * len(cols) + 10, head_h + cell_h * len(rows) + 10
    parts = [f'<svg class="chart" role="img" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg"><title>{_e(title)}</title>']
    for j, col in enumerate(cols):
        x = label_w + j * cell_w + cell_w / 2
        parts.append(f'<text x="{x:.0f}" y="{head_h - 12}" text-anchor="middle" class="axis">{_e(_clip(col, 12))}</text>')
    for i, row in enumerate(rows):
        y = head_h + i * cell_h
        parts.append(f'<text x="{label_w - 8}" y="{y + cell_h / 2 + 4:.0f}" text-anchor="end" class="axis">'
                     f'{_e(_clip(row, 14))}</text>')
        for j, col in enumerate(cols):
            n = value.get((row, col), 0)
            shade = 0.08 + 0.92 * (n / top) if n else 0.0
            x = label_w + j * cell_w
            parts.append(f'<rect x="{x + 1}" y="{y + 1}" width="{cell_w - 2}" height="{cell_h - 2}" '
                         f'fill="#1565c0" fill-opacity="{shade:.2f}" stroke="#e0e0e0"><title>{_e(row)} · {_e(col)}: {n}</title></rect>')
            if n:
                ink = "#fff" if shade > 0.55 else "#111"
                parts.append(f'<text x="{x + cell_w / 2:.0f}" y="{y + cell_h / 2 + 4:.0f}" text-anchor="middle" '
                             f'fill="{ink}" class="value">{n}</text>')
    parts.append("</svg>")
    return "".join(parts)


def svg_stacked_bars(rows: Sequence[tuple[str, str, int]], colours: dict[str, str], title: str) -> str:
    """One horizontal bar per category (department), split by series (task status)."""
    if not rows:
        return f'<p class="empty">No data for “{_e(title)}”.</p>'
    totals: dict[str, int] = defaultdict(int)
    series: dict[str, dict[str, int]] = defaultdict(dict)
    for category, key, n in rows:
        totals[category] += n
        series[category][key] = n
    categories = sorted(totals, key=lambda c: (-totals[c], c))[:MAX_DEPARTMENTS_CHARTED]
    keys = [k for k in colours if any(k in series[c] for c in categories)]
    keys += sorted({k for c in categories for k in series[c]} - set(keys))
    top = max(totals[c] for c in categories) or 1
    label_w, bar_w, bar_h, legend_h = 170, 420, 22, 30
    width, height = label_w + bar_w + 70, legend_h + bar_h * len(categories) + 10
    parts = [f'<svg class="chart" role="img" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg"><title>{_e(title)}</title>']
    x = label_w
    for key in keys:
        colour = colours.get(key, "#757575")
        parts.append(f'<rect x="{x}" y="6" width="12" height="12" fill="{colour}"/>'
                     f'<text x="{x + 16}" y="16" class="axis">{_e(key)}</text>')
        x += 22 + 8 * len(key)
    for i, category in enumerate(categories):
        y = legend_h + i * bar_h
        parts.append(f'<text x="{label_w - 8}" y="{y + bar_h / 2 + 4:.0f}" text-anchor="end" class="axis">'
                     f'{_e(_clip(category, 14))}</text>')
        x0 = float(label_w)
        for key in keys:
            n = series[category].get(key, 0)
            if not n:
                continue
            w = bar_w * n / top
            parts.append(f'<rect x="{x0:.1f}" y="{y + 2}" width="{w:.1f}" height="{bar_h - 4}" '
                         f'fill="{colours.get(key, "#757575")}"><title>{_e(category)} · {_e(key)}: {n}</title></rect>')
            x0 += w
        parts.append(f'<text x="{x0 + 6:.0f}" y="{y + bar_h / 2 + 4:.0f}" class="value">{totals[category]}</text>')
    parts.append("</svg>")
    return "".join(parts)


def svg_share_bars(rows: Sequence[tuple[str, int, int]], title: str) -> str:
    """One bar per document: the share of its indicators that are masked (0–100%)."""
    if not rows:
        return f'<p class="empty">No data for “{_e(title)}”.</p>'
    shown = list(rows[:MAX_DOCUMENTS_CHARTED])
    rest = rows[MAX_DOCUMENTS_CHARTED:]
    if rest:
        shown.append((f"{len(rest)} other documents", sum(m for _, m, _ in rest), sum(t for _, _, t in rest)))
    label_w, bar_w, bar_h = 230, 360, 20
    width, height = label_w + bar_w + 130, 24 + bar_h * len(shown)
    parts = [f'<svg class="chart" role="img" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg"><title>{_e(title)}</title>',
             f'<text x="{label_w}" y="12" class="axis">0%</text>'
             f'<text x="{label_w + bar_w}" y="12" text-anchor="end" class="axis">100%</text>']
    for i, (label, masked, total) in enumerate(shown):
        y = 18 + i * bar_h
        share = masked / total if total else 0.0
        parts.append(f'<text x="{label_w - 8}" y="{y + bar_h / 2 + 4:.0f}" text-anchor="end" class="axis">'
                     f'{_e(_clip(label, 20))}<title>{_e(label)}</title></text>'
                     f'<rect x="{label_w}" y="{y + 2}" width="{bar_w}" height="{bar_h - 4}" fill="#eeeeee"/>'
                     f'<rect x="{label_w}" y="{y + 2}" width="{bar_w * share:.1f}" height="{bar_h - 4}" fill="#ef6c00">'
                     f'<title>{_e(label)}: {masked} of {total} masked</title></rect>'
                     f'<text x="{label_w + bar_w + 6}" y="{y + bar_h / 2 + 4:.0f}" class="value">'
                     f'{share:.0%} ({masked}/{total})</text>')
    parts.append("</svg>")
    return "".join(parts)


# --- the page ----------------------------------------------------------------------------------------

_CSS = """
body { font-family: system-ui, "Noto Sans CJK SC", "Noto Sans SC", sans-serif; margin: 0; color: #1b1b1b;
       background: #fafafa; }
header { padding: 18px 32px; color: #fff; }
header.passed { background: #2e7d32; } header.failed { background: #c62828; }
header h1 { margin: 0 0 4px; font-size: 22px; } header p { margin: 0; opacity: .9; }
header code { background: rgba(255,255,255,.2); color: #fff; }
main { padding: 8px 32px 40px; max-width: 1200px; }
h2 { font-size: 18px; margin: 28px 0 10px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
.verdict { display: inline-block; padding: 2px 10px; border-radius: 4px; background: rgba(255,255,255,.2);
           font-weight: 700; letter-spacing: .05em; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; }
.card { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 10px 14px; min-width: 110px; }
.card b { display: block; font-size: 22px; } .card span { color: #555; font-size: 13px; }
table { border-collapse: collapse; width: 100%; background: #fff; font-size: 14px; }
th, td { border: 1px solid #ddd; padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
.critical { color: #c62828; font-weight: 600; } .warning { color: #ef6c00; font-weight: 600; }
.ok { color: #2e7d32; } .examples { margin: 4px 0 0 0; padding-left: 18px; font-size: 13px; color: #333; }
code { background: #f3f3f3; padding: 0 3px; border-radius: 3px; }
.chart .axis { font-size: 12px; fill: #333; } .chart .value { font-size: 11px; }
.empty, .note { color: #666; font-style: italic; }
.banner { background: #fff3e0; border: 1px solid #ef6c00; padding: 8px 12px; border-radius: 4px; }
nav a { margin-right: 14px; }
"""


def _rel(target: Path, page_dir: Path) -> str:
    return Path(os.path.relpath(target, page_dir)).as_posix()


def _example_list(outcome: ExpectationOutcome) -> str:
    if not outcome.examples:
        return ""
    items = []
    for ex in outcome.examples:
        where = _e(ex.source_path or "(source unknown)")
        if ex.line_no is not None:
            where += f", line {ex.line_no}"
        excerpt = f" — “{_e(_clip(ex.excerpt, 60))}”" if ex.excerpt else ""
        detail = f" <code>{_e(ex.detail)}</code>" if ex.detail else ""
        items.append(f"<li><code>{_e(ex.key)}</code> in {where}{excerpt}{detail}</li>")
    return f'<ul class="examples">{"".join(items)}</ul>'


def _failures_table(failures: Sequence[ExpectationOutcome], page_dir: Path) -> str:
    rows = []
    for o in failures:
        link = f' <a href="{_e(_rel(o.docs_page, page_dir))}">Data Docs</a>' if o.docs_page else ""
        rows.append(
            f'<tr><td class="{o.severity}">{o.severity}</td><td>{_e(o.suite)}</td>'
            f'<td><b>{_e(o.expectation)}</b><br><small>{_e(o.expectation_type)}'
            f'{" on " + _e(o.column_name) if o.column_name else ""}</small><br><small>{_e(o.why)}</small></td>'
            f'<td>{_e(o.observed_value)}{_example_list(o)}{link}</td></tr>')
    return ("<table><tr><th>severity</th><th>suite</th><th>expectation</th><th>observed, with example rows</th></tr>"
            + "".join(rows) + "</table>")


def _suites_table(outcome: ValidationOutcome, page_dir: Path) -> str:
    by_suite: dict[str, list[ExpectationOutcome]] = defaultdict(list)
    for o in outcome.results:
        by_suite[o.suite].append(o)
    rows = []
    for suite, results in by_suite.items():
        failed_critical = sum(1 for o in results if not o.success and o.severity == "critical")
        failed_warning = sum(1 for o in results if not o.success and o.severity == "warning")
        page = next((o.docs_page for o in results if o.docs_page), None)
        link = f'<a href="{_e(_rel(page, page_dir))}">results</a>' if page else '<span class="note">not run</span>'
        state = ('<span class="critical">failed</span>' if failed_critical else
                 '<span class="warning">warnings</span>' if failed_warning else '<span class="ok">passed</span>')
        rows.append(f"<tr><td>{_e(suite)}</td><td>{state}</td><td>{len(results)}</td>"
                    f"<td>{sum(1 for o in results if o.success)}</td><td>{failed_critical}</td>"
                    f"<td>{failed_warning}</td><td>{link}</td></tr>")
    return ("<table><tr><th>suite</th><th>state</th><th>expectations</th><th>passed</th>"
            "<th>critical failed</th><th>warnings</th><th>Data Docs</th></tr>" + "".join(rows) + "</table>")


def render_landing_page(outcome: ValidationOutcome, data: ReportData, page_dir: Path, run_id: str,
                        validated_at: datetime, history: Sequence[dict[str, Any]],
                        data_docs_self_contained: bool = True) -> str:
    masked = "–" if data.masked_share is None else f"{data.masked_share:.1%}"
    cards = [
        ("files seen", data.files_seen), ("loaded", data.files.get("loaded", 0)),
        ("quarantined", data.files.get("quarantined", 0)), ("unchanged", data.files.get("unchanged", 0)),
        ("documents", data.documents), ("tasks", data.tasks), ("indicators", data.indicators),
        ("masked share", masked),
    ]
    cards_html = "".join(f"<div class=card><b>{_e(v)}</b><span>{_e(k)}</span></div>" for k, v in cards)
    failing = outcome.failing_critical + outcome.failing_warnings
    failures_html = (_failures_table(failing, page_dir) if failing
                     else '<p class="ok">Every expectation passed.</p>')
    quarantined_html = ""
    if data.quarantined:
        quarantined_html = ("<h2>Quarantined files</h2><table><tr><th>file</th><th>reason</th></tr>"
                            + "".join(f"<tr><td>{_e(p)}</td><td>{_e(r)}</td></tr>" for p, r in data.quarantined)
                            + "</table>")
    history_html = "".join(
        f'<li><a href="{_e(_rel(Path(h["page"]), page_dir))}">{_e(h["run_id"])}</a> — '
        f'<span class="{"ok" if h["verdict"] == "passed" else "critical"}">{_e(h["verdict"])}</span>, '
        f'{_e(h["validated_at"])}</li>' for h in history)
    notes_html = "".join(f"<li>{_e(n)}</li>" for n in data.notes)
    banner = "" if data_docs_self_contained else (
        '<p class="banner">Data Docs were built without their vendored styles and scripts and need the '
        "internet to render: run <code>npm ci --prefix expectations/data_docs_assets</code>.</p>")
    verdict_text = ("all critical expectations passed: the build may be published" if outcome.verdict == "passed"
                    else f"{len(outcome.failing_critical)} critical expectation(s) failed: publishing is blocked "
                         "and the published warehouse is left as it was")
    docs_link = _rel(outcome.data_docs_index, page_dir)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Quality report — {_e(run_id)} — {outcome.verdict}</title>
<style>{_CSS}</style></head>
<body>
<header class="{outcome.verdict}">
  <h1>Report warehouse quality report <span class="verdict" id="verdict">{outcome.verdict.upper()}</span></h1>
  <p>run <code>{_e(run_id)}</code> · validated {_e(validated_at.strftime("%Y-%m-%d %H:%M:%S UTC"))} · {_e(verdict_text)}</p>
</header>
<main>
{banner}
<nav><a href="{_e(docs_link)}">Data Docs (all runs)</a><a href="#failures">Failing expectations</a><a href="#charts">Charts</a><a href="#history">Earlier runs</a></nav>
<h2>This run</h2><div class="cards">{cards_html}</div>
{quarantined_html}
<h2 id="failures">Failing expectations</h2>{failures_html}
<h2 id="suites">Suites</h2>{_suites_table(outcome, page_dir)}
<h2 id="charts">Indicators by domain and period</h2>{svg_heatmap(data.indicators_by_domain_period, "Indicators by domain and period")}
<h2>Task status by department</h2>{svg_stacked_bars(data.tasks_by_department_status, TASK_STATUS_COLOURS, "Task status by department")}
<h2>Masked share by document</h2>{svg_share_bars(data.masked_by_document, "Masked share by document")}
<h2 id="history">Earlier runs</h2><ul>{history_html or "<li class=note>none yet</li>"}</ul>
{f"<h2>Notes</h2><ul class=note>{notes_html}</ul>" if notes_html else ""}
</main></body></html>
"""


def _history(reports_dir: Path, limit: int = 30) -> list[dict[str, Any]]:
    entries = []
    for summary in (reports_dir / "runs").glob("*/summary.json"):
        try:
            entries.append(json.loads(summary.read_text(encoding="utf-8")))
        except (OSError, json.JSONDecodeError):
            continue
    entries.sort(key=lambda e: e.get("validated_at", ""), reverse=True)
    for entry in entries:
        entry["page"] = str(reports_dir / entry["page"])
    return entries[:limit]


def write_landing_pages(outcome: ValidationOutcome, data: ReportData, reports_dir: Path, run_id: str,
                        validated_at: datetime, data_docs_self_contained: bool = True) -> Path:
    """Write this run's page and make it the landing page; returns the per-run copy's path."""
    run_dir = reports_dir / "runs" / safe_run_id(run_id)
    run_dir.mkdir(parents=True, exist_ok=True)
    run_page = run_dir / "index.html"
    summary = {
        "run_id": run_id, "verdict": outcome.verdict, "validated_at": validated_at.isoformat(timespec="seconds"),
        # Relative, so a copied or moved reports folder keeps its history links.
        "page": run_page.relative_to(reports_dir).as_posix(),
        "failing_critical": [f"{o.suite}: {o.expectation}" for o in outcome.failing_critical],
        "counts": {"files": data.files, "documents": data.documents, "tasks": data.tasks,
                   "indicators": data.indicators, "masked_share": data.masked_share},
    }
    (run_dir / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1, default=str),
                                          encoding="utf-8")
    history = [h for h in _history(reports_dir) if h["run_id"] != run_id]
    for target in (run_page, reports_dir / "index.html"):
        page = render_landing_page(outcome, data, target.parent, run_id, validated_at, history,
                                   data_docs_self_contained)
        tmp = target.with_suffix(".html.tmp")
        tmp.write_text(page, encoding="utf-8")
        os.replace(tmp, target)  # a reader never sees half a page
    return run_page
