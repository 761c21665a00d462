"""The dashboard's pages render on a real published warehouse, in Chinese, and show the numbers of its marts and
reports: every figure checked here is compared with SQL run directly on the same published file.

Each test runs dashboards/app.py in Streamlit's AppTest (in process, no browser) with POLICY_WH_PUBLISHED
pointing at the session's small published warehouse (tests/support/dashboard_fixture.py).
"""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.support.dashboard_fixture import open_page

HEADINGS = {
    "overview": ("总览 Overview", ["任务情况 Tasks", "逾期最久的任务 Longest overdue", "逾期任务趋势 Overdue trend",
                                  "每日任务状态 Status by day", "最近一次发布 Last publication"]),
    "departments": ("部门 Departments", ["月度排名与记分卡 Monthly ranking", "部门详情 Department"]),
    "documents": ("文件 Documents", ["各文件落实进度 Progress per document"]),
    "targets": ("目标 Targets", ["目标达成情况 Attainment", "单个目标 One target"]),
    "tasks": ("任务 Tasks", ["查找任务 Find a task"]),
    "quality": ("数据质量 Data quality", ["报送文件 Submitted files", "最近的装载 Last loads", "隔离行及原因 Quarantined rows"]),
    "air-quality": ("空气质量 Air quality", ["季度排名与奖惩 Quarterly ranking and money",
                                           "综合指数走势 Composite index by quarter"]),
}
# pages that draw at least one chart (vega-lite, Streamlit's built-in charts)
CHARTS = {"overview": 2, "departments": 3, "documents": 1, "targets": 0, "tasks": 0, "quality": 0, "air-quality": 2}


@pytest.fixture()
def published(published_dashboard_warehouse, monkeypatch) -> Path:
    monkeypatch.setenv("POLICY_WH_PUBLISHED", str(published_dashboard_warehouse.published))
    return published_dashboard_warehouse.published


def sql(path: Path, query: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(query, params or []).fetchall()


def metrics(app) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


def charts(app) -> int:
    return len(app.get("vega_lite_chart"))


def texts(app) -> str:
    return "\n".join(element.value for kind in ("markdown", "caption", "info") for element in app.get(kind))


@pytest.mark.parametrize("page", list(HEADINGS))
def test_every_page_renders_its_chinese_headings_without_an_exception(published, page):
    app = open_page(page)
    assert not app.exception, [e.value for e in app.exception]
    assert not app.error, [e.value for e in app.error]
    title, subheaders = HEADINGS[page]
    assert [t.value for t in app.title] == [title]
    shown = [s.value for s in app.subheader]
    assert all(s in shown for s in subheaders), shown
    assert charts(app) >= CHARTS[page]
    # every page says which as-of day and which file it answers for
    as_of = sql(published, "select max(snapshot_date) from marts.fct_task_status_daily")[0][0]
    caption = app.caption[0].value
    assert f"统计截止日 {as_of.isoformat()}" in caption and str(published) in caption


def test_overview_counts_are_the_reports_counts(published):
    app = open_page("overview")
    shown = metrics(app)
    overdue = sql(published, "select count(*) from reports.rpt_overdue_tasks")[0][0]
    as_of, done, not_reported = sql(published, """
        select s.snapshot_date, count(*) filter (where s.latest_status = 'done'),
               count(*) filter (where s.latest_status = 'not_reported')
        from marts.fct_task_status_daily s join marts.dim_task t using (task_id)
        where s.snapshot_date = (select max(snapshot_date) from marts.fct_task_status_daily) and not t.is_duplicate
        group by 1""")[0]
    assert overdue > 0 and done > 0
    assert shown["逾期任务"] == f"{overdue:,}"
    assert shown["已完成任务"] == f"{done:,}"
    assert shown["从未报送任务"] == f"{not_reported:,}"
    assert shown["统计截止日"] == as_of.isoformat()
    due_soon = sql(published, """
        select count(*) from marts.fct_task_status_daily s join marts.dim_task t using (task_id)
        where s.snapshot_date = (select max(snapshot_date) from marts.fct_task_status_daily) and not t.is_duplicate
          and s.latest_status <> 'done' and not s.is_overdue
          and s.deadline_date between s.snapshot_date and s.snapshot_date + interval 30 day""")[0][0]
    assert shown["临期任务"] == f"{due_soon:,}"
    run_id, tables, rows = sql(published, "select run_id, table_count, total_rows from meta.publication")[0]
    assert shown["表和视图"] == f"{tables:,}" and shown["基础表行数"] == f"{rows:,}"
    assert run_id in texts(app)
    # the longest-overdue list is the report's, in its order
    longest = app.dataframe[0].value
    expected = [r[0] for r in sql(published, "select task_id from reports.rpt_overdue_tasks "
                                             "order by days_overdue desc, task_id limit 15")]
    assert list(longest["任务编号"]) == expected


def _worst_department(published: Path) -> tuple[str, str, tuple]:
    """The named department with the most overdue tasks in the scorecard's latest month, and its row."""
    row = sql(published, """
        select org_id, short_name, tasks_led, tasks_done, tasks_done_on_time, tasks_overdue, reporting_rate
        from reports.rpt_department_scorecard
        where org_id is not null and month_start = (select max(month_start) from reports.rpt_department_scorecard)
        order by tasks_overdue desc, reporting_rate, tasks_led desc, short_name limit 1""")[0]
    return row[0], row[1], row


def test_departments_ranking_is_the_scorecard_of_the_month(published):
    app = open_page("departments")
    months = sql(published, "select distinct month_start, month_label_zh from reports.rpt_department_scorecard "
                            "order by 1 desc")
    assert app.selectbox(key="month").value == months[0][0]
    ranking = app.dataframe[0].value
    expected = sql(published, """
        select short_name, tasks_overdue from reports.rpt_department_scorecard where month_start = ?
        order by tasks_overdue desc, reporting_rate asc, tasks_led desc, short_name""", [months[0][0]])
    assert list(ranking["单位"]) == [r[0] for r in expected]
    assert list(ranking["逾期"]) == [r[1] for r in expected]
    assert list(ranking["排名"]) == list(range(1, len(expected) + 1))
    # an earlier month shows that month's scorecard
    app.selectbox(key="month").select(months[-1][0]).run()
    earlier = sql(published, "select count(*) from reports.rpt_department_scorecard where month_start = ?",
                  [months[-1][0]])[0][0]
    assert len(app.dataframe[0].value) == earlier


def test_a_departments_own_page_shows_its_scorecard_overdue_tasks_and_rows_to_fix(published):
    org_id, name, (_, _, led, done, on_time, overdue, rate) = _worst_department(published)
    app = open_page("departments")
    assert app.selectbox(key="org").value == name            # the worst department opens first
    shown = metrics(app)
    assert (shown["牵头任务"], shown["已完成"], shown["按期完成"], shown["逾期"]) == (
        f"{led:,}", f"{done:,}", f"{on_time:,}", f"{overdue:,}")
    assert shown["当月报送率"] == f"{rate * 100:.1f}%"
    overdue_ids = [r[0] for r in sql(published, """
        select task_id from reports.rpt_overdue_tasks where task_id in (
            select task_id from marts.bridge_task_organization
            where assignment_role = 'lead' and org_id = ? and not is_generic)
        order by days_overdue desc, task_id""", [org_id])]
    assert overdue > 0 and len(overdue_ids) == overdue       # the scorecard and the overdue list agree
    tables = [frame.value for frame in app.dataframe]
    assert any(list(t.get("任务编号", [])) == overdue_ids for t in tables if "逾期天数" in t and "职责" not in t)
    tasks = next(t for t in tables if "职责" in t)
    assigned = sql(published, """
        select count(distinct b.task_id) from marts.bridge_task_organization b join marts.dim_task t using (task_id)
        where b.org_id = ? and not b.is_generic and not t.is_duplicate""", [org_id])[0][0]
    assert len(tasks) == assigned and set(tasks["职责"]) <= {"牵头", "配合"}


def test_a_department_with_quarantined_rows_sees_them_with_their_chinese_reasons(published):
    sender, reasons = "市地税局", sql(published, """
        select q.reason from raw.quarantined_rows q join raw.submission_files f using (file_sha256)
        where f.reported_by = '市地税局' order by q.row_number""")
    assert reasons, "the demo window plants a partly accepted file from 市地税局"
    app = open_page("departments")
    app.selectbox(key="org").select(sender).run()
    assert not app.exception
    rows = next(frame.value for frame in app.dataframe if "原因（请据此修改后重新报送）" in frame.value)
    assert list(rows["原因（请据此修改后重新报送）"]) == [r[0] for r in reasons]
    assert set(rows["问题"]) == {"任务编号不存在"}


def test_documents_page_is_the_document_progress_report(published):
    app = open_page("documents")
    frame = app.dataframe[0].value
    expected = sql(published, "select doc_no, overdue_count, done_count from reports.rpt_document_progress "
                              "order by overdue_share desc, overdue_count desc, doc_no")
    assert list(zip(frame["文号"], frame["逾期"], frame["已完成"])) == expected
    area = sql(published, "select policy_area from reports.rpt_document_progress group by 1 order by count(*) desc "
                          "limit 1")[0][0]
    app.selectbox(key="area").select(area).run()
    count = sql(published, "select count(*) from reports.rpt_document_progress where policy_area = ?", [area])[0][0]
    assert len(app.dataframe[0].value) == count


def test_a_targets_status_words_and_projection_come_from_the_attainment_report(published):
    target_id, status, comparator, value, unit, projected = sql(published, """
        select target_id, attainment_status, comparator, target_value, unit, projected_value
        from reports.rpt_target_attainment
        where projected_value is not null and comparator = '>=' order by target_id limit 1""")[0]
    app = open_page("targets")
    counts = dict(sql(published, "select attainment_status, count(*) from reports.rpt_target_attainment group by 1"))
    shown = metrics(app)
    assert shown["达成 met"] == f"{counts.get('met', 0):,}" and shown["未达成 not met"] == f"{counts.get('not_met', 0):,}"
    app.selectbox(key="target").select(target_id).run()
    assert not app.exception
    shown = metrics(app)
    assert shown["达成状态"] == {"met": "达成", "not_met": "未达成", "no_data": "无数据"}[status]
    number = f"{int(value):,}" if value == int(value) else f"{value:g}"
    assert shown["目标"] == (f"不低于 {number}{unit}" if unit == "%" else f"不低于 {number} {unit}")
    assert "按趋势推算到期日" in texts(app)
    observations = sql(published, """
        select o.period from marts.fct_indicator_observation o join marts.fct_target t
            on t.indicator_id = o.indicator_id and t.evaluated_region_code = o.region_code
        where t.target_id = ? order by o.period_end, o.loaded_at""", [target_id])
    assert len(observations) >= 3
    assert list(app.dataframe[-1].value["统计期"]) == [r[0] for r in observations]
    assert charts(app) >= 1                                    # observations, target line and projection


def test_filtering_targets_by_status_keeps_exactly_that_status(published):
    app = open_page("targets")
    app.selectbox(key="status").select("无数据").run()
    frame = app.dataframe[0].value
    no_data = sql(published, "select target_id from reports.rpt_target_attainment where attainment_status = 'no_data' "
                             "order by target_id")
    assert sorted(frame["目标编号"]) == [r[0] for r in no_data] and set(frame["达成状态"]) == {"无数据"}


def test_a_task_shows_its_sentence_bodies_deadline_and_every_report(published):
    task_id, reports = sql(published, """
        select r.task_id, count(*) from marts.fct_progress_report r join marts.dim_task t using (task_id)
        where t.deadline_date is not null group by 1 order by 2 desc, 1 limit 1""")[0]
    text, line, doc_no = sql(published, """
        select t.task_text, t.source_line, d.doc_no from marts.dim_task t join marts.dim_document d using (doc_id)
        where t.task_id = ?""", [task_id])[0]
    app = open_page("tasks")
    assert "输入任务编号" in texts(app)
    app.text_input(key="q").input(task_id).run()
    assert not app.exception
    assert app.selectbox(key="task").value == task_id
    page_text = texts(app)
    assert text in page_text and f"原文第 {line} 行" in page_text and doc_no in app.header[0].value
    bodies = next(frame.value for frame in app.dataframe if "原文写法" in frame.value)
    printed = sql(published, "select name_as_printed from marts.bridge_task_organization where task_id = ?", [task_id])
    assert sorted(bodies["原文写法"]) == sorted(r[0] for r in printed)
    assert f"进展报送时间线 Progress reports**（{reports} 次）" in page_text
    dates = [r[0].isoformat() for r in sql(published, "select report_date from marts.fct_progress_report "
                                                      "where task_id = ?", [task_id])]
    assert all(f"**{day}**" in page_text for day in dates)
    assert charts(app) >= 2                                    # the status strip and the report timeline


def test_searching_by_text_finds_the_tasks_that_contain_it(published):
    app = open_page("tasks")
    app.text_input(key="q").input("随军家属").run()
    found = sql(published, "select count(*) from marts.dim_task where contains(task_text, '随军家属')")[0][0]
    assert found > 0 and len(app.selectbox(key="task").options) == min(found, 50)
    app.text_input(key="q").input("没有这样的任务xyz").run()
    assert "没有找到包含" in texts(app)


def test_data_quality_shows_the_files_and_every_quarantined_row_with_its_reason(published):
    app = open_page("quality")
    counts = dict(sql(published, "select status, count(*) from raw.submission_files group by 1"))
    shown = metrics(app)
    assert shown["全部接收 accepted"] == f"{counts['accepted']:,}"
    assert shown["部分接收 partly accepted"] == f"{counts['partially_accepted']:,}"
    assert shown["拒收 rejected"] == f"{counts['rejected']:,}"
    reasons = [r[0] for r in sql(published, "select reason from raw.quarantined_rows")]
    assert reasons
    rows = next(frame.value for frame in app.dataframe if "原因" in frame.value)
    assert sorted(rows["原因"]) == sorted(reasons)
    page_text = texts(app)
    assert all(reason in page_text for reason in reasons)     # the flagged files list their reasons too
    runs = sql(published, "select run_id from raw.load_runs order by loaded_at desc")
    loads = next(frame.value for frame in app.dataframe if "运行号" in frame.value)
    assert list(loads["运行号"]) == [r[0] for r in runs]


def test_air_quality_ranking_and_money_are_the_award_report(published):
    quarter = sql(published, "select max(quarter) from reports.rpt_air_quality_award")[0][0]
    app = open_page("air-quality")
    assert app.selectbox(key="quarter").value == quarter
    shown = {}
    for frame in app.dataframe:
        for row in frame.value.itertuples(index=False):
            shown[row[1]] = (row[0], float(row[7]), float(row[8]))      # 考核单位 → rank, reward, penalty
    expected = sql(published, """
        select region_name, final_rank, reward_wan_yuan, penalty_wan_yuan from reports.rpt_air_quality_award
        where quarter = ?""", [quarter])
    assert len(expected) == 11
    assert shown == {name: (rank, float(reward), float(penalty)) for name, rank, reward, penalty in expected}
    assert sum(v[1] for v in shown.values()) > 0 and sum(v[2] for v in shown.values()) > 0
