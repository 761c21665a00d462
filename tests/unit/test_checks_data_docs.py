"""Offline Data Docs (dagster_project/checks/data_docs.py) and the Chinese target descriptions, without GX runs."""
from __future__ import annotations

import csv
import html
import importlib.util
import json
import os
import re
import time
from pathlib import Path

import pytest

from dagster_project.checks import data_docs
from dagster_project.checks.descriptions import describe_target, requirement_text, target_descriptions

ROOT = Path(__file__).resolve().parents[2]
GX_PACKAGE = Path(importlib.util.find_spec("great_expectations").origin).parent     # found, not imported
TEMPLATES = GX_PACKAGE / "render" / "view" / "templates"


def _template_resources() -> set[str]:
    """The external stylesheets and scripts GX's installed page templates load."""
    found: set[str] = set()
    for template in TEMPLATES.glob("*.j2"):
        text = template.read_text(encoding="utf-8")
        found |= set(re.findall(r"<link\b[^>]*\bhref=\"(https?://[^\"]+)\"", text))
        found |= set(re.findall(r"<script\b[^>]*\bsrc=\"(https?://[^\"]+)\"", text))
    return found


def test_every_cdn_resource_of_the_installed_gx_templates_has_a_local_copy():
    resources = _template_resources()
    assert len(resources) >= 10          # the templates of GX 1.24.1 load 16
    unknown = sorted(resources - set(data_docs.CDN_ASSETS))
    assert not unknown, f"add these to data_docs.CDN_ASSETS (GX changed its templates): {unknown}"
    names = {asset.name for asset in data_docs.ASSETS}
    for local in data_docs.CDN_ASSETS.values():
        assert set(local) <= names
    for asset in data_docs.ASSETS:
        assert asset.source_path().is_file(), asset


def _page(site: Path, relative: str, body: str = "") -> Path:
    """A page with the head GX's templates give every page."""
    head = "\n".join((TEMPLATES / "page.j2").read_text(encoding="utf-8").split("\n")[:16])
    imports = (TEMPLATES / "js_script_imports.j2").read_text(encoding="utf-8")
    logo = ('<img class="NO-CACHE" src="https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/'
            'logo-long.png?d=20160101T000000Z&dataContextId=x" alt="Great Expectations"/>')
    style = ("<style>@media (prefers-color-scheme: dark) { .navbar-brand a { background: url("
             "'https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/full_logo_dark.png') } }</style>")
    path = site / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{head}{style}{imports}</head><body>{logo}"
                    f'<a href="https://greatexpectations.io">GX</a>{body}</body></html>', encoding="utf-8")
    return path


def test_pages_at_any_depth_point_at_the_local_copies_and_a_second_pass_changes_nothing(tmp_path):
    site = tmp_path / "gx_docs"
    (site / "static" / "images").mkdir(parents=True)
    (site / "static" / "images" / "logo-long.png").write_bytes(b"png")
    (site / "static" / "images" / "favicon.ico").write_bytes(b"ico")
    index = _page(site, "index.html", '<link rel="shortcut icon" href="./static/images/favicon.ico"/>')
    # GX's favicon.j2 gives validation pages one "../" too few
    deep = _page(site, "validations/targets_health/2016-01-01 cli-1/20160101T000000Z/policy_wh-x.html",
                 '<link rel="shortcut icon" href="../../../static/images/favicon.ico" type="image/x-icon"/>')
    rewritten = data_docs.make_self_contained(site)
    assert sorted(rewritten) == sorted([index, deep])
    for page, prefix in ((index, "static/"), (deep, "../../../../static/")):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"(src|href)=\"https?://(?!greatexpectations\.io\")", text), text
        assert "integrity=" not in text and "crossorigin" not in text
        assert f'<script src="{prefix}vendor/jquery/jquery.min.js"></script>' in text
        assert f'<link rel="stylesheet" href="{prefix}vendor/bootstrap/bootstrap.min.css">' in text
        assert f'src="{prefix}images/logo-long.png"' in text
        assert (page.parent / re.search(r'icon" href="([^"]+)"', text).group(1)).is_file()
        assert "popper" not in text and "bootstrap-prefers-dark" not in text
        assert "prefers-color-scheme" not in text and "full_logo_dark" not in text
        # jQuery before Bootstrap's bundle before bootstrap-table (the templates' order)
        assert text.index("jquery.min.js") < text.index("bootstrap.bundle.min.js") < text.index("bootstrap-table.min.js")
        for href in re.findall(r'(?:href|src)="([^"#]+vendor/[^"]+)"', text):
            assert (page.parent / href).resolve().is_file(), href
    assert data_docs.make_self_contained(site) == []
    assert (site / "static" / "vendor" / "bootstrap-table" / "LICENSE").is_file()


def test_a_daily_build_rewrites_only_the_pages_it_wrote_and_drops_unknown_cdn_resources(tmp_path, caplog):
    site = tmp_path / "gx_docs"
    data_docs.make_self_contained(site)                       # a site that has had this rewrite already
    old = _page(site, "expectations/old.html")
    os.utime(old, ns=(time.time_ns() - 60 * 10**9,) * 2)
    new = _page(site, "expectations/new.html", '<script src="https://cdn.example.org/new-library.js"></script>')
    since = time.time_ns()
    assert data_docs.make_self_contained(site, since_ns=since) == [new]
    assert "cdn.example.org" not in new.read_text(encoding="utf-8")
    assert "dropped https://cdn.example.org/new-library.js" in caplog.text
    (site / "static" / "vendor" / data_docs.MARKER).unlink()          # an older site: every page is rewritten
    assert data_docs.make_self_contained(site, since_ns=since) == [old]


# --- the descriptions ------------------------------------------------------------------------------------

def _targets() -> list[dict[str, str]]:
    with (ROOT / "seeds" / "targets.csv").open(encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle) if row["indicator_id"]]


@pytest.mark.parametrize("comparator, value, high, direction, words", [
    (">=", 65, None, "higher_is_better", "不低于 65%"),
    (">", 0.5, None, "higher_is_better", "高于 0.5%"),
    ("<=", 4000, None, "lower_is_better", "不高于 4000%"),
    ("<", 17.55, None, "lower_is_better", "低于 17.55%"),
    ("between", 2, 3, "higher_is_better", "在 2至3% 之间（含两端）"),
    ("approx", 90, None, "higher_is_better", "90% 左右（与目标值相差不超过 5%）"),
    ("=", 10, None, "higher_is_better", "达到 10%（不低于）"),
    ("=", 10, None, "lower_is_better", "达到 10%（不高于）"),
])
def test_the_requirement_in_words(comparator, value, high, direction, words):
    assert requirement_text(comparator, value, high, direction, 0.05, "%") == words


def test_every_committed_target_expectation_carries_the_description_of_its_target():
    descriptions = target_descriptions(ROOT / "seeds", ROOT / "dbt")
    assert set(descriptions) == {row["target_id"] for row in _targets()}
    seen = 0
    for path in sorted((ROOT / "expectations" / "gx" / "expectations").glob("targets_*.json")):
        for expectation in json.loads(path.read_text(encoding="utf-8"))["expectations"]:
            target_id = expectation["meta"]["target_id"]
            assert expectation["description"] == html.escape(descriptions[target_id], quote=False)
            seen += 1
    assert seen == len(descriptions)


def test_a_description_names_the_document_sentence_region_and_requirement():
    row = next(r for r in _targets() if r["target_id"] == "lz-2015-059-g003")
    text = describe_target("lz-2015-059-g003", ROOT / "seeds", ROOT / "dbt")
    assert text == ("《关于深入推进依法行政加快建设法治政府的实施意见》（廊政〔2015〕59号）："
                    f"{row['verbatim']}；指标：法律顾问人数；地区：廊坊市；要求：不低于 1名；期限：2015-12-31")
    for row in _targets():
        text = describe_target(row["target_id"], ROOT / "seeds", ROOT / "dbt")
        assert row["verbatim"].strip() in text and "地区：" in text and "要求：" in text, row["target_id"]
        assert not re.search(r"[<>&$]|\de[+-]\d", text), text          # plain text: no markup, no 1e+06
    with pytest.raises(KeyError, match="没有编号"):
        describe_target("no-such-target", ROOT / "seeds", ROOT / "dbt")
