"""An auditor's browser with no network: the landing page and Data Docs still render, fully styled.

Headless Chromium (Debian's package) opens the pages from disk with every host unresolvable and
the DevTools network emulation offline. The test reads what the browser requested: every request
must be a local file that loaded. Then it checks the rendered text and computed styles, and keeps
a screenshot of each page under the reports directory.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from pipeline.validate import ValidationOutcome, validate
from tests.expectations.cdp import INSTALL_COMMAND, Browser, PageLoad, find_chromium
from tests.expectations.synthetic import RUN_ID

LOCAL_SCHEMES = {"file", "data", "about"}


@pytest.fixture(scope="module")
def chromium() -> str:
    """Debian's chromium, installed here when the Makefile has not (root and apt only)."""
    found = find_chromium()
    if found is None and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "install", "-y", "-q", "chromium"], check=False, env=env, timeout=900,
                       stdout=subprocess.DEVNULL)
        found = find_chromium()
    if found is None:
        pytest.fail(f"headless Chromium is required for this test: {INSTALL_COMMAND}")
    return found


@pytest.fixture
def browser(chromium: str, tmp_path: Path) -> Iterator[Browser]:
    instance = Browser(chromium, tmp_path / "chromium-profile")
    try:
        yield instance
    finally:
        instance.close()


@pytest.fixture
def failed_run(build_file: Path, reports_dir: Path, plant) -> ValidationOutcome:
    # A passing run first, so Data Docs has history, then a run with a critical failure.
    validate(build_file, "earlier-run", reports_dir)
    plant("update marts.fct_indicators set value = 5 where indicator_id = 'doc000001-t2-i2'")
    return validate(build_file, RUN_ID, reports_dir)


def _assert_all_local(load: PageLoad, site_root: Path) -> None:
    assert load.requests, "the browser requested nothing: the page did not load"
    remote = [u for u in load.requests if urlparse(u).scheme not in LOCAL_SCHEMES]
    assert remote == [], f"fetched from the network: {remote}"
    assert load.failed == [], f"requests that failed: {load.failed}"
    for url in load.requests:
        if urlparse(url).scheme == "file":
            assert Path(urlparse(url).path).resolve().is_relative_to(site_root.resolve()), url


def test_landing_page_renders_offline(browser: Browser, failed_run: ValidationOutcome, reports_dir: Path) -> None:
    load = browser.open(failed_run.landing_page)

    _assert_all_local(load, reports_dir)
    assert load.console_errors == []
    text = browser.evaluate("document.body.innerText")
    assert "FAILED" in text and "value_null_when_masked" in text
    assert "inbox/report_1.txt, line 4" in text
    for suite in ("raw.documents", "marts.fct_indicators", "marts.fct_tasks", "marts.dim_documents",
                  "cross_table.row_counts"):
        assert suite in text
    # Styled: the verdict banner has the failure colour, and the three charts drew with a size.
    assert browser.evaluate("getComputedStyle(document.querySelector('header')).backgroundColor") == "rgb(198, 40, 40)"
    sizes = browser.evaluate("[...document.querySelectorAll('svg.chart')].map(s => s.getBoundingClientRect().width)")
    assert len(sizes) == 3 and all(w > 200 for w in sizes)
    shot = browser.screenshot(reports_dir / "screenshots" / "landing_page.png")
    assert shot.stat().st_size > 10_000


def test_data_docs_render_offline_with_vendored_assets(
    browser: Browser, failed_run: ValidationOutcome, reports_dir: Path
) -> None:
    docs_root = reports_dir / "data_docs"
    load = browser.open(failed_run.data_docs_index, settle_seconds=2.5)

    _assert_all_local(load, docs_root)
    assert load.console_errors == [], load.console_errors
    vendored = [u for u in load.requests if "/static/vendor/" in u]
    assert len(vendored) >= 15, vendored  # every library the templates name came from the vendor dir
    # Every stylesheet parsed (cssRules throws or is empty for one that did not load).
    sheets = browser.evaluate("""[...document.styleSheets].map(s => {
        try { return [s.href, s.cssRules.length]; } catch (e) { return [s.href, -1]; } })""")
    assert sheets and all(rules > 0 for _, rules in sheets), sheets
    # The scripts ran: jQuery, bootstrap-table and vega-embed are there and built the runs table.
    assert browser.evaluate("typeof jQuery === 'function' && typeof jQuery.fn.bootstrapTable === 'function' "
                            "&& typeof vegaEmbed === 'function'")
    assert browser.evaluate("getComputedStyle(document.querySelector('.navbar')).display") == "flex"
    # Font Awesome's solid face loads from the vendored webfonts/ folder (fonts load on demand).
    assert browser.evaluate("document.fonts.load('900 16px \"Font Awesome 6 Free\"').then(f => f.length)") >= 1
    text = browser.evaluate("document.body.innerText")
    for suite in ("marts.fct_indicators", "raw.documents", "cross_table.row_counts"):
        assert suite in text
    assert RUN_ID in text and "earlier-run" in text
    browser.screenshot(reports_dir / "screenshots" / "data_docs_index.png")

    # The failing suite's page of this run: its verdict shows, styled, from local files only.
    page = next(o.docs_page for o in failed_run.results if o.suite == "marts.fct_indicators")
    load = browser.open(page, settle_seconds=2.5)
    _assert_all_local(load, docs_root)
    text = browser.evaluate("document.body.innerText")
    assert "Failed" in text and "value" in text
    assert browser.evaluate("getComputedStyle(document.querySelector('.navbar')).display") == "flex"
    shot = browser.screenshot(reports_dir / "screenshots" / "data_docs_fct_indicators.png")
    assert shot.stat().st_size > 10_000
