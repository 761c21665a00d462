"""部门: the departments ranked month by month (reports.rpt_department_scorecard), their reporting discipline,
and one department's own page — its tasks, its overdue tasks and the quarantined rows it has to fix.

A department is chosen with the selectbox ``org`` (bound to the URL: /departments?org=市财政局 opens it).
"""
from __future__ import annotations

import streamlit as st

from dashboards import charts, data, queries
from dashboards.formatting import ROLE, day, label, number, percent, reason_label, status
from dashboards.layout import nothing, page_header, sections, share_column, table, words

SCORECARD_COLUMNS = {"rank": "排名", "short_name": "单位", "tasks_led": "牵头任务", "tasks_done": "已完成",
                     "tasks_done_on_time": "按期完成", "tasks_overdue": "逾期", "reporting_rate": "当月报送率"}


def ranking() -> None:
    st.subheader("月度排名与记分卡 Monthly ranking")
    months = data.load(queries.scorecard_months)
    if nothing("记分卡还没有数据。", months):
        return
    labels = dict(zip(months["month_start"].dt.date, months["month_label_zh"]))
    month = st.selectbox("月份", list(labels), format_func=labels.get, key="month")
    month_card = data.load(queries.scorecard, month)
    ranked = month_card.assign(rank=range(1, len(month_card) + 1))
    st.caption(f"{labels[month]}：按逾期任务数从多到少排列，相同时报送率低者在前；月份统计到月末或统计截止日。")
    table(ranked, SCORECARD_COLUMNS, column_config={"reporting_rate": share_column("当月报送率")}, height=420)
    left, right = st.columns(2)
    with left:
        st.markdown("**各部门逾期任务 Overdue by department**")
        overdue = month_card[month_card["tasks_overdue"] > 0]
        if not nothing("本月没有逾期任务。", overdue):
            st.altair_chart(charts.department_bars(overdue, "tasks_overdue", "逾期任务"), width="stretch")
    with right:
        st.markdown("**报送纪律（当月报送率，最低在前） Reporting discipline**")
        named = month_card[month_card["org_id"].notna()]
        st.altair_chart(charts.reporting_rate_bars(named), width="stretch")


def department() -> None:
    st.subheader("部门详情 Department")
    departments = data.load(queries.departments)
    if nothing("没有具名牵头单位。", departments):
        return
    ids = dict(zip(departments["short_name"], departments["org_id"]))
    name = st.selectbox("选择部门", list(ids), key="org", bind="query-params")
    org_id = ids[name]
    history = data.load(queries.department_history, org_id)
    if not history.empty:
        latest = history.iloc[-1]
        columns = st.columns(5)
        columns[0].metric("牵头任务", number(latest["tasks_led"]), border=True)
        columns[1].metric("已完成", number(latest["tasks_done"]), border=True)
        columns[2].metric("按期完成", number(latest["tasks_done_on_time"]), border=True)
        columns[3].metric("逾期", number(latest["tasks_overdue"]), border=True)
        columns[4].metric("当月报送率", percent(latest["reporting_rate"]), border=True)
        st.caption(f"{name} · {latest['month_label_zh']}（记分卡最新月份）")
        st.markdown("**月度走势 By month**")
        st.altair_chart(charts.department_trend(history), width="stretch")
    department_overdue(org_id, name)
    department_tasks(org_id, name)
    department_quarantine(org_id, name)


def department_overdue(org_id: str, name: str) -> None:
    st.markdown(f"**{name}牵头的逾期任务 Overdue tasks it leads**")
    overdue = data.load(queries.overdue_tasks, org_id)
    if nothing("没有逾期任务。", overdue):
        return
    table(words(overdue, "latest_status", status),
          {"task_id": "任务编号", "doc_no": "文号", "task_ref": "原文编号", "deadline_date": "期限",
           "days_overdue": "逾期天数", "latest_status": "状态", "latest_percent_complete": "完成进度",
           "leads_reported": "已报送牵头单位", "last_report_date": "最近报送", "last_report_note": "最近进展",
           "task_text": "任务内容"})


def department_tasks(org_id: str, name: str) -> None:
    tasks = data.load(queries.department_tasks, org_id)
    st.markdown(f"**{name}的任务 Its tasks**（{len(tasks)} 项）")
    if nothing("没有任务。", tasks):
        return
    shown = words(words(tasks, "latest_status", status), "assignment_role", lambda code: label(ROLE, code))
    shown["is_overdue"] = shown["is_overdue"].map(lambda v: "逾期" if v is True else "")
    table(shown, {"task_id": "任务编号", "doc_no": "文号", "task_ref": "原文编号", "assignment_role": "职责",
                  "deadline_text": "期限原文", "deadline_date": "期限", "latest_status": "状态",
                  "latest_percent_complete": "完成进度", "last_report_date": "最近报送", "is_overdue": "逾期",
                  "days_overdue": "逾期天数", "task_text": "任务内容"}, height=360)


def department_quarantine(org_id: str, name: str) -> None:
    st.markdown(f"**{name}待整改的报送行 Quarantined rows to fix**")
    rows = data.load(queries.department_quarantine, org_id)
    if nothing("没有被隔离的报送行。", rows):
        return
    shown = rows.assign(reason_label=rows["reason_code"].map(reason_label),
                        received_at=rows["received_at"].map(day))
    table(shown, {"original_name": "文件", "received_at": "收到日期", "sheet_name": "工作表", "row_number": "行号",
                  "column_name": "列", "raw_value": "原值", "reason_label": "问题", "reason": "原因（请据此修改后重新报送）"})


page_header("部门", "Departments")
sections(ranking, department)
