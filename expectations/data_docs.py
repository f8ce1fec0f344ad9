"""Make a GX Data Docs site self-contained: no stylesheet or script fetched from a CDN at view time.

GX 1.24's templates link bootstrap, jQuery, popper, vega(-lite, -embed), bootstrap-table,
bootstrap-datepicker, bootstrap-dark and font-awesome from public CDNs. Auditors often read the
reports on networks without internet, where those pages lose their layout and interactive tables.
The same files, at the versions the templates name, come from the npm registry at build time
(`npm ci --prefix expectations/data_docs_assets`, pinned in its package.json and package-lock.json),
are copied into the site's `static/vendor/`, and every page's links are rewritten to them.

A CDN URL this module does not know (a GX upgrade that adds a library) is reported, never left
silently: `make_self_contained` returns it and the browser test fails on it.
"""
from __future__ import annotations

import logging
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

ASSETS_DIR = Path(__file__).resolve().parent / "data_docs_assets"
NODE_MODULES = ASSETS_DIR / "node_modules"
VENDOR_SUBDIR = Path("static") / "vendor"
INSTALL_COMMAND = f"npm ci --prefix {ASSETS_DIR}"

# CDN URL as GX 1.24.1's templates write it -> file inside node_modules (same version, see
# package.json). Two GX quirks kept as they are: popper.js 1.12.9 under bootstrap 4.3.1, and the
# filter-control CSS from bootstrap-table 1.19.0 next to 1.19.1's JS (1.19.1's CSS is identical
# in what it styles), so the vendored site looks exactly like the online one.
CDN_FILES: dict[str, str] = {
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css":
        "bootstrap-table/dist/bootstrap-table.min.css",
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css":
        "bootstrap/dist/css/bootstrap.min.css",
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.min.css":
        "bootstrap-table/dist/extensions/filter-control/bootstrap-table-filter-control.min.css",
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.css":
        "bootstrap-table/dist/extensions/filter-control/bootstrap-table-filter-control.css",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css":
        "bootstrap-datepicker/dist/css/bootstrap-datepicker.min.css",
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css":
        "@forevolve/bootstrap-dark/dist/css/bootstrap-prefers-dark.css",
    "https://cdn.jsdelivr.net/npm/vega@5": "vega/build/vega.min.js",
    "https://cdn.jsdelivr.net/npm/vega-lite@5": "vega-lite/build/vega-lite.min.js",
    "https://cdn.jsdelivr.net/npm/vega-embed@6": "vega-embed/build/vega-embed.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css":
        "@fortawesome/fontawesome-free/css/all.min.css",
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery/dist/jquery.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js":
        "popper.js/dist/umd/popper.min.js",
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js":
        "bootstrap/dist/js/bootstrap.min.js",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js":
        "bootstrap-table/dist/bootstrap-table.min.js",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.js":
        "bootstrap-table/dist/extensions/filter-control/bootstrap-table-filter-control.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js":
        "bootstrap-datepicker/dist/js/bootstrap-datepicker.min.js",
}
# GX's navbar logo comes from GX's own S3 bucket with the data context id in the query string
# (a tracking pixel). The same images ship inside the site's static/images/.
GX_WEB_ASSETS = "https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/"
GX_WEB_ASSETS_LOCAL = "images/"

# Whole folders a vendored stylesheet reaches by relative URL (font-awesome's ../webfonts/).
CDN_SIBLING_DIRS: tuple[str, ...] = ("@fortawesome/fontawesome-free/webfonts",)

# <script src>, <link href> and <img src>: what a browser fetches on load. <a href> links to the
# GX website stay: following one is the reader's choice, not a load-time fetch.
_TAG = re.compile(r"<(script|link|img)\b[^>]*>", re.IGNORECASE)
_URL_ATTR = re.compile(r"""\b(src|href)\s*=\s*(["'])(https?:)?//([^"']+)\2""", re.IGNORECASE)
# GX 1.24 counts the dots of a suite name to find `static/` from a validation page and gets it
# one level short for dotted names (`marts.fct_indicators`), so the favicon and logo 404. Any
# relative `static/...` URL is re-anchored at the site root instead.
_STATIC_ATTR = re.compile(r"""\b(src|href)\s*=\s*(["'])(?:\./|\.\./)*static/([^"']+)\2""", re.IGNORECASE)
# Subresource integrity and CORS mode make Chromium refuse file:// scripts (origin "null"), and
# the hashes named CDN builds, not necessarily npm's; the files' provenance is package-lock.json.
_SRI_ATTRS = re.compile(r"""\s(integrity|crossorigin)(\s*=\s*(["'])[^"']*\3)?""", re.IGNORECASE)


class DataDocsAssetsMissing(FileNotFoundError):
    """The vendored assets were never installed: run INSTALL_COMMAND (the Makefile does)."""


@dataclass(frozen=True)
class SelfContainedReport:
    pages: int
    rewritten: int
    unknown_urls: tuple[str, ...]  # external script/stylesheet URLs left in place

    @property
    def self_contained(self) -> bool:
        return not self.unknown_urls


def assets_installed() -> bool:
    return all((NODE_MODULES / rel).is_file() for rel in CDN_FILES.values())


def vendor_assets(site_dir: Path) -> Path:
    """Copy the pinned files into `site_dir/static/vendor/`; returns that folder."""
    if not assets_installed():
        raise DataDocsAssetsMissing(
            f"Data Docs assets are not installed under {NODE_MODULES}; run: {INSTALL_COMMAND}")
    vendor = site_dir / VENDOR_SUBDIR
    for rel in CDN_FILES.values():
        _copy_if_changed(NODE_MODULES / rel, vendor / rel)
    for rel in CDN_SIBLING_DIRS:
        for source in (NODE_MODULES / rel).iterdir():
            _copy_if_changed(source, vendor / rel / source.name)
    return vendor


def _copy_if_changed(source: Path, target: Path) -> None:
    if target.exists() and target.stat().st_size == source.stat().st_size \
            and target.stat().st_mtime >= source.stat().st_mtime:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, target)


def rewrite_page(html: str, static_prefix: str) -> tuple[str, int, list[str]]:
    """Point a page's CDN links at the vendored copies, its static links at the site's `static/`.

    `static_prefix` is the relative URL from the page to the site's `static/` folder, ending in '/'.
    Returns the new page, how many CDN links were rewritten, and the CDN URLs left unknown.
    """
    rewritten = 0
    unknown: list[str] = []
    vendor_prefix = static_prefix + VENDOR_SUBDIR.name + "/"

    def fix_tag(tag_match: re.Match[str]) -> str:
        nonlocal rewritten
        tag = tag_match.group(0)
        static_match = _STATIC_ATTR.search(tag)
        if static_match:
            local = f'{static_match.group(1)}="{static_prefix}{static_match.group(3)}"'
            return tag[: static_match.start()] + local + tag[static_match.end():]
        url_match = _URL_ATTR.search(tag)
        if not url_match:
            return tag
        url = "https://" + url_match.group(4)
        bare = url.split("?", 1)[0]
        if bare.startswith(GX_WEB_ASSETS) and "/" not in bare[len(GX_WEB_ASSETS):]:
            rewritten += 1
            local = f'{url_match.group(1)}="{static_prefix}{GX_WEB_ASSETS_LOCAL}{bare[len(GX_WEB_ASSETS):]}"'
            return tag[: url_match.start()] + local + tag[url_match.end():]
        if url not in CDN_FILES:
            unknown.append(url)
            return tag
        rewritten += 1
        local = f'{url_match.group(1)}="{vendor_prefix}{CDN_FILES[url]}"'
        tag = tag[: url_match.start()] + local + tag[url_match.end():]
        return _SRI_ATTRS.sub("", tag)

    return _TAG.sub(fix_tag, html), rewritten, unknown


def make_self_contained(site_dir: Path) -> SelfContainedReport:
    """Vendor the assets and rewrite every page of the site; idempotent, so run it after each build."""
    vendor = vendor_assets(site_dir)
    pages = rewritten = 0
    unknown: set[str] = set()
    for page in site_dir.rglob("*.html"):
        if vendor in page.parents:
            continue
        html = page.read_text(encoding="utf-8")
        prefix = Path(os.path.relpath(site_dir / VENDOR_SUBDIR.parent, page.parent)).as_posix() + "/"
        new_html, count, page_unknown = rewrite_page(html, prefix)
        pages += 1
        rewritten += count
        unknown.update(page_unknown)
        if new_html != html:
            page.write_text(new_html, encoding="utf-8")
    if unknown:
        log.error("Data Docs still load from the internet: %s (add them to expectations/data_docs.py)",
                  ", ".join(sorted(unknown)))
    return SelfContainedReport(pages=pages, rewritten=rewritten, unknown_urls=tuple(sorted(unknown)))
