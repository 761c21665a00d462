"""总览: the as-of day, tasks overdue / due soon / done, the last publication, and the trend at a glance.

Each section is one function and the page is the list at the bottom: a later section (traffic lights,
escalation) is one more function in that list.
"""
from __future__ import annotations

from datetime import timedelta

import streamlit as st

from dashboards import charts, data, queries
from dashboards.formatting import day, moment, number, status
from dashboards.layout import nothing, page_header, sections, table, words


def task_counts() -> None:
    st.subheader("任务情况 Tasks")
    counts = data.load(queries.task_counts)
    targets = data.load(queries.target_status_counts)
    columns = st.columns([1.4, 1, 1, 1, 1])
    columns[0].metric("统计截止日", day(data.load(queries.as_of_day)), border=True)
    columns[1].metric("逾期任务", number(counts.get("overdue")), border=True,
                      help="已过期限且未完成（reports.rpt_overdue_tasks）")
    columns[2].metric("临期任务", number(counts.get("due_soon")), border=True,
                      help=f"未完成、未逾期、期限在统计截止日后 {queries.DUE_SOON_DAYS} 天内（marts.fct_task_status_daily）")
    columns[3].metric("已完成任务", number(counts.get("done")), border=True,
                      help="牵头单位报已完成（marts.fct_task_status_daily）")
    columns[4].metric("从未报送任务", number(counts.get("not_reported")), border=True)
    st.caption(f"共 {number(counts.get('total'))} 项任务（不含与附件表重复的正文条目）；量化目标达成 "
               f"{number(targets['met'])} 项、未达成 {number(targets['not_met'])} 项、无数据 {number(targets['no_data'])} 项。")


def last_publication() -> None:
    st.subheader("最近一次发布 Last publication")
    published = data.load(queries.publication)
    if published is None:
        st.warning("发布副本中没有 meta.publication 记录。")
        return
    left, middle, right = st.columns(3)
    left.metric("发布时间（北京时间）", moment(published["published_at_local"]))
    middle.metric("表和视图", number(published["table_count"]))
    right.metric("基础表行数", number(published["total_rows"]))
    st.caption(f"运行号 run id：{published['run_id'] or '（手工 policy-wh publish）'} · 发布方式 {published['published_by']}"
               f" · DuckDB {published['duckdb_version']}")
    with st.expander("各表行数 Rows per table"):
        table(data.load(queries.publication_tables),
              {"schema_name": "模式", "table_name": "表", "table_type": "类型", "row_count": "行数"})


def trends() -> None:
    st.subheader("逾期任务趋势 Overdue trend")
    as_of = data.load(queries.as_of_day)
    since = as_of - timedelta(days=365)
    trend = data.load(queries.overdue_trend, since)
    if nothing("还没有任务状态快照。", trend):
        return
    st.line_chart(trend.rename(columns={"snapshot_date": "日期", "overdue": "逾期任务", "done": "已完成任务"}),
                  x="日期", y=["逾期任务", "已完成任务"], height=260)
    st.subheader("每日任务状态 Status by day")
    st.altair_chart(charts.status_heat_strip(data.load(queries.daily_status_counts, since)), width="stretch")


def overdue_list() -> None:
    st.subheader("逾期最久的任务 Longest overdue")
    overdue = data.load(queries.overdue_tasks)
    if nothing("截至统计截止日没有逾期任务。", overdue):
        return
    table(words(overdue.head(15), "latest_status", status),
          {"task_id": "任务编号", "doc_no": "文号", "lead_names": "牵头单位", "deadline_date": "期限",
           "days_overdue": "逾期天数", "latest_status": "状态", "last_report_date": "最近报送", "task_text": "任务内容"})
    st.caption("全部逾期任务见“部门”页；单项任务的来龙去脉见“任务”页。")


def due_soon_list() -> None:
    soon = data.load(queries.due_soon_tasks)
    if soon.empty:
        return
    with st.expander(f"临期任务清单（{len(soon)} 项）"):
        table(words(soon, "latest_status", status),
              {"task_id": "任务编号", "doc_no": "文号", "lead_names": "牵头单位", "deadline_date": "期限",
               "latest_status": "状态", "latest_percent_complete": "完成进度", "task_text": "任务内容"})


page_header("总览", "Overview")
sections(task_counts, overdue_list, due_soon_list, trends, last_publication)
