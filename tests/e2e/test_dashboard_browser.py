"""The dashboard in a real browser: ``policy-wh dashboard`` on a small published warehouse, every page opened in
headless Chromium (Debian's package, driven by Playwright), its Chinese text and numbers read off the screen and
compared with SQL on the same file, and no request leaving 127.0.0.1.

Why beside the AppTest tests (tests/integration/test_dashboard_pages.py): AppTest runs the scripts, not the page.
Only a browser shows that the front end loads offline (no font, tile or telemetry request to the internet), that
the content arrives (a plain ``chromium --screenshot`` catches the empty shell before it does) and what a person
sees. Screenshots of every page go to <POLICY_WH_TEST_ARTIFACTS>/dashboard/ when that is set, else into the
session's temporary folder (pytest's basetemp, artifacts/dashboard/); `make screenshot` sets it to
test-artifacts and copies the 总览 one to docs/dashboard-overview.png for the README.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import duckdb
import pytest

from tests.support.browser import browser
from tests.support.dashboard_fixture import running_dashboard

ROOT = Path(__file__).resolve().parents[2]
CONTENT_TIMEOUT_MS = 90_000
# url path → the page's title and a subheader that arrives with its data
PAGES = {
    "overview": ("总览 Overview", "最近一次发布 Last publication"),
    "departments": ("部门 Departments", "部门详情 Department"),
    "documents": ("文件 Documents", "各文件落实进度 Progress per document"),
    "targets": ("目标 Targets", "单个目标 One target"),
    "tasks": ("任务 Tasks", "查找任务 Find a task"),
    "quality": ("数据质量 Data quality", "隔离行及原因 Quarantined rows"),
    "air-quality": ("空气质量 Air quality", "综合指数走势 Composite index by quarter"),
}


def sql(path: Path, query: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(query, params or []).fetchall()


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory) -> Path:
    """Where the screenshots go: POLICY_WH_TEST_ARTIFACTS (set by `make screenshot`), else the temp folder."""
    chosen = os.environ.get("POLICY_WH_TEST_ARTIFACTS", "").strip()
    folder = (Path(chosen) if chosen else tmp_path_factory.getbasetemp() / "artifacts") / "dashboard"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def site(published_dashboard_warehouse, tmp_path_factory):
    """The dashboard served on a free port, and one browser page that records every request it makes."""
    log = tmp_path_factory.mktemp("dashboard-browser") / "dashboard.log"
    with running_dashboard(published_dashboard_warehouse.published, log) as running:
        with browser() as chromium:
            context = chromium.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
            page = context.new_page()
            requests: list[str] = []
            errors: list[str] = []
            page.on("request", lambda request: requests.append(request.url))
            page.on("pageerror", lambda error: errors.append(str(error)))
            yield running, page, requests, errors
            context.close()


def open_page(site, path: str, wait_for: str):
    running, page, _, errors = site
    page.goto(f"{running.url}/{path}", wait_until="domcontentloaded")
    page.get_by_text(wait_for, exact=True).first.wait_for(state="visible", timeout=CONTENT_TIMEOUT_MS)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                           timeout=CONTENT_TIMEOUT_MS)           # the script has finished running
    assert not errors, errors
    return page


def metric(page, label: str) -> str:
    """The value shown under a st.metric whose label is exactly ``label``."""
    box = page.locator('[data-testid="stMetric"]').filter(
        has=page.locator('[data-testid="stMetricLabel"]').get_by_text(label, exact=True))
    return box.locator('[data-testid="stMetricValue"]').first.inner_text().strip()


def screenshot(folder: Path, page, name: str) -> Path:
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_shows_its_chinese_content_in_the_browser(site, path, published_dashboard_warehouse, artifacts):
    title, section = PAGES[path]
    page = open_page(site, path, section)
    assert page.get_by_role("heading", name=title).first.is_visible()
    as_of = sql(published_dashboard_warehouse.published, "select max(snapshot_date) from marts.fct_task_status_daily")[0][0]
    assert page.get_by_text(re.compile(f"统计截止日 {as_of.isoformat()}")).first.is_visible()
    # the sidebar lists every page by its Chinese name
    navigation = page.locator('[data-testid="stSidebarNav"]').inner_text()
    assert all(name.split()[0] in navigation for name, _ in PAGES.values()), navigation
    shot = screenshot(artifacts, page, path)
    assert shot.stat().st_size > 20_000            # a rendered page, not an empty shell


def test_overview_numbers_on_screen_are_the_warehouses(site, published_dashboard_warehouse, artifacts):
    published = published_dashboard_warehouse.published
    page = open_page(site, "overview", "最近一次发布 Last publication")
    overdue = sql(published, "select count(*) from reports.rpt_overdue_tasks")[0][0]
    tables, rows = sql(published, "select table_count, total_rows from meta.publication")[0]
    assert overdue > 0
    assert metric(page, "逾期任务") == f"{overdue:,}"
    assert metric(page, "表和视图") == f"{tables:,}"
    assert metric(page, "基础表行数") == f"{rows:,}"
    # the charts were drawn (vega-lite renders into a canvas or an svg)
    assert page.locator('[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg').count() >= 2
    screenshot(artifacts, page, "overview")


def test_a_targets_status_on_screen_is_the_attainment_reports(site, published_dashboard_warehouse, artifacts):
    published = published_dashboard_warehouse.published
    target_id, status = sql(published, """
        select target_id, attainment_status from reports.rpt_target_attainment
        where attainment_status = 'not_met' order by target_id limit 1""")[0]
    page = open_page(site, f"targets?target={target_id}", "观测值与目标线 Observations and target")
    assert metric(page, "达成状态").startswith("未达成")
    screenshot(artifacts, page, "target")


def test_the_files_counts_on_screen_are_the_submission_records(site, published_dashboard_warehouse):
    published = published_dashboard_warehouse.published
    counts = dict(sql(published, "select status, count(*) from raw.submission_files group by 1"))
    page = open_page(site, "quality", "隔离行及原因 Quarantined rows")
    assert metric(page, "全部接收 accepted") == f"{counts.get('accepted', 0):,}"
    assert metric(page, "部分接收 partly accepted") == f"{counts.get('partially_accepted', 0):,}"
    assert metric(page, "拒收 rejected") == f"{counts.get('rejected', 0):,}"


def test_a_task_found_by_its_id_shows_its_document_sentence(site, published_dashboard_warehouse, artifacts):
    published = published_dashboard_warehouse.published
    task_id, text = sql(published, """
        select t.task_id, t.task_text from reports.rpt_overdue_tasks o join marts.dim_task t using (task_id)
        order by o.days_overdue desc, t.task_id limit 1""")[0]
    page = open_page(site, f"tasks?q={task_id}", "查找任务 Find a task")
    # the task's own sections come after the search box: wait for them (a failed wait fails the test)
    page.get_by_text(re.compile("^进展报送时间线 Progress reports")).first.wait_for(state="visible",
                                                                             timeout=CONTENT_TIMEOUT_MS)
    page.get_by_text(text[:30], exact=False).first.wait_for(state="visible", timeout=CONTENT_TIMEOUT_MS)
    screenshot(artifacts, page, "task")


def test_no_request_left_the_machine(site):
    """Runs after the pages above (file order): everything they loaded came from the dashboard itself."""
    running, _, requests, _ = site
    assert len(requests) > 50                      # the pages above were loaded through this page
    outside = [url for url in requests if not url.startswith((running.url, "data:", "blob:"))]
    assert not outside, outside


def test_the_readme_shows_the_browser_tests_own_screenshot_of_the_overview():
    """docs/dashboard-overview.png is what `make screenshot` copies from this test: a PNG of its viewport."""
    import struct

    picture = ROOT / "docs" / "dashboard-overview.png"
    header = picture.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", header[16:24]) == (1440, 1000)     # the browser context's viewport above
    assert "docs/dashboard-overview.png" in (ROOT / "README.md").read_text(encoding="utf-8")
