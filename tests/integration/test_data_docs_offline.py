"""The GX Data Docs site renders offline: styled, its tables drawn, nothing loaded from the network, and
the target checks described in Chinese (issue 15).

One Data Docs site is built for the module by the policy checks on a copy of the session's warehouse
(every path in the test's temporary folder); the browser test opens it from file:// in Debian's headless
Chromium with every request that is not file:// blocked and recorded.
"""
from __future__ import annotations

import csv
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.support import isolation
from tests.support.browser import browser

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def site(built_warehouse, tmp_path_factory):
    """(Data Docs folder, CheckRun) after the policy checks ran on a private copy of the built warehouse."""
    from dagster_project.checks.runner import run_policy_checks
    from dagster_project.settings import load_settings
    from dagster_project.warehouse import Warehouse

    tmp = tmp_path_factory.mktemp("data_docs")
    patch = pytest.MonkeyPatch()
    try:
        for name, value in isolation.isolated_environment(tmp).items():
            patch.setenv(name, value)
        warehouse = tmp / "data" / "warehouse.duckdb"
        warehouse.parent.mkdir(parents=True)
        shutil.copy(built_warehouse, warehouse)
        settings = load_settings()
        assert settings.data_dir == tmp / "data"
        run = run_policy_checks(settings, Warehouse(database=str(warehouse)))
        docs = run.docs_index.parent
        assert docs == tmp / "data" / "gx_docs" and run.docs_index.is_file()
        yield docs, run
    finally:
        patch.undo()


class _Resources(HTMLParser):
    """Every address a page makes the browser load: <link href>, <script src>, <img src>, and CSS in <style>."""

    def __init__(self) -> None:
        super().__init__()
        self.addresses: list[str] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("href"):
            self.addresses.append(attrs["href"])
        if tag in ("script", "img", "iframe", "source", "video", "audio", "embed") and attrs.get("src"):
            self.addresses.append(attrs["src"])
        if attrs.get("style"):
            self.styles.append(attrs["style"])
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)


_CSS_REFERENCES = re.compile(r"""url\(\s*["']?([^"')]+)|@import\s+(?:url\()?\s*["']?([^"')\s;]+)""", re.I)


def _css_addresses(css: str) -> list[str]:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)          # licence headers name their home pages
    return [a or b for a, b in _CSS_REFERENCES.findall(css)]


def _external(address: str) -> bool:
    return bool(re.match(r"\s*(https?:)?//", address, re.I))


def test_the_site_references_nothing_outside_itself(site):
    docs, _ = site
    pages = sorted(docs.rglob("*.html"))
    sheets = sorted(docs.rglob("*.css"))
    assert len(pages) >= 1 + 2 * 15 and sheets    # the index, a suite page and a result page per policy suite
    found: list[str] = []
    missing: list[str] = []
    for page in pages:
        parser = _Resources()
        parser.feed(page.read_text(encoding="utf-8"))
        addresses = parser.addresses + [a for css in parser.styles for a in _css_addresses(css)]
        for address in addresses:
            if _external(address):
                found.append(f"{page.relative_to(docs)}: {address}")
            elif not address.startswith(("data:", "#")):
                target = (page.parent / address.split("?", 1)[0].split("#", 1)[0]).resolve()
                if not target.is_file() or docs.resolve() not in target.parents:
                    missing.append(f"{page.relative_to(docs)}: {address}")
    for sheet in sheets:
        for address in _css_addresses(sheet.read_text(encoding="utf-8")):
            if _external(address):
                found.append(f"{sheet.relative_to(docs)}: {address}")
            elif not address.startswith("data:"):
                if not (sheet.parent / address.split("?", 1)[0].split("#", 1)[0]).resolve().is_file():
                    missing.append(f"{sheet.relative_to(docs)}: {address}")
    assert not found, "external resources:\n" + "\n".join(found[:20])
    assert not missing, "resources missing from the site:\n" + "\n".join(missing[:20])


def test_offline_chromium_renders_the_index_and_a_validation_page_styled(site, tmp_path):
    docs, _ = site
    validation = next(p for p in sorted((docs / "validations").rglob("*.html")) if "targets_health" in p.parts)
    left_file: list[str] = []
    errors: list[str] = []
    with browser() as chromium:
        context = chromium.new_context(viewport={"width": 1400, "height": 1000})

        def only_files(route):
            if route.request.url.startswith("file://"):
                route.continue_()
            else:
                left_file.append(route.request.url)
                route.abort()

        context.route("**/*", only_files)
        seen = {}
        for name, path in (("index", docs / "index.html"), ("validation", validation)):
            page = context.new_page()
            page.on("pageerror", lambda error: errors.append(f"{name}: {error}"))
            page.goto(path.as_uri(), wait_until="load")
            page.wait_for_function("document.fonts.status === 'loaded'")
            page.screenshot(path=str(tmp_path / f"{name}.png"))
            seen[name] = page.evaluate("""() => {
                const style = (selector, property) => {
                    const node = document.querySelector(selector);
                    return node ? getComputedStyle(node)[property] : null;
                };
                return {
                    navbar: style('nav.navbar', 'display'),                // Bootstrap: flex (no CSS: block)
                    bodyFont: style('body', 'fontFamily'),                  // Bootstrap's system font stack
                    gutter: style('.container-fluid', 'paddingLeft'),       // Bootstrap's .pl-5: 3rem
                    tableBorders: style('table.table', 'borderCollapse'),    // Bootstrap's .table: collapse
                    icon: style('.fas', 'fontFamily'),                      // Font Awesome
                    iconFontLoaded: document.fonts.check('900 16px "Font Awesome 6 Free"'),
                    // rows of the tables bootstrap-table (JavaScript) drew or wrapped in its div.bootstrap-table
                    tableRows: document.querySelectorAll('div.bootstrap-table tbody tr').length,
                    jquery: typeof window.jQuery, bootstrapTable: typeof (window.jQuery && jQuery.fn.bootstrapTable),
                    logo: (() => { const img = document.querySelector('.navbar-brand img');
                                   return img ? img.complete && img.naturalWidth > 0 : null; })(),
                    text: document.body.innerText,
                };
            }""")
            page.close()
    assert left_file == [], f"requests that left file://: {left_file}"
    assert errors == []
    for name, values in seen.items():
        assert values["navbar"] == "flex", (name, values["navbar"])
        assert values["bodyFont"].startswith("-apple-system"), (name, values["bodyFont"])
        assert (values["gutter"], values["tableBorders"]) == ("48px", "collapse"), (name, values)
        assert "Font Awesome" in values["icon"] and values["iconFontLoaded"], name
        assert values["jquery"] == "function" and values["bootstrapTable"] == "function", name
        assert values["logo"] is True, name
    # the index's results table exists only when bootstrap-table drew it from the page's JSON
    assert seen["index"]["tableRows"] > 0 and "targets_health" in seen["index"]["text"]
    assert seen["validation"]["tableRows"] > 0
    assert "地区：" in seen["validation"]["text"] and "要求：" in seen["validation"]["text"]
    assert (tmp_path / "index.png").stat().st_size > 10_000


def test_a_target_expectation_is_described_in_chinese_in_the_validation_page(site):
    from dagster_project.checks.descriptions import describe_target

    docs, run = site
    with (ROOT / "seeds" / "targets.csv").open(encoding="utf-8") as handle:
        target = next(r for r in csv.DictReader(handle) if r["indicator_id"] and r["comparator"] == ">="
                      and not r["scope"] and r["doc_id"] == "lz-2015-059")
    text = describe_target(target["target_id"])
    assert target["verbatim"] in text and "地区：廊坊市" in text
    assert f"要求：不低于 {float(target['value']):g}{target['unit']}" in text
    suite = next(row.suite for row in run.rows if row.target_id == target["target_id"])
    page = next(p for p in (docs / "validations" / suite).rglob("*.html"))
    html = page.read_text(encoding="utf-8")
    assert text in html
    assert f'target_id=="{target["target_id"]}"' not in html     # GX's generated sentence is replaced
