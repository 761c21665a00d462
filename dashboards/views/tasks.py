"""任务: find a task by id or text and see its sentence in the document (with its source line), its lead and
co-operating bodies, its deadline and overdue record, and every progress report as a timeline.

The search box ``q`` is bound to the URL: /tasks?q=lz-2015-054-t002 opens that task.
"""
from __future__ import annotations

import streamlit as st

from dashboards import charts, data, queries
from dashboards.formatting import (DEADLINE_KIND, ROLE, SOURCE_KIND, day, label, missing, number, status)
from dashboards.layout import nothing, page_header, sections, table, words


def find() -> str | None:
    st.subheader("查找任务 Find a task")
    text = st.text_input("按任务编号、文号或任务内容搜索", key="q", bind="query-params",
                         placeholder="例如 lz-2015-054-t002、廊政〔2015〕54号、随军家属")
    if not text.strip():
        st.info("输入任务编号或任务内容中的几个字。")
        return None
    found = data.load(queries.search_tasks, text.strip())
    if nothing(f"没有找到包含“{text.strip()}”的任务。", found):
        return None
    labels = {row.task_id: f"{row.task_id} · {row.doc_no} {row.task_ref or ''} · {str(row.task_text)[:40]}"
              for row in found.itertuples()}
    st.caption(f"找到 {len(found)} 项" + ("（只列前 50 项）" if len(found) >= 50 else ""))
    return st.selectbox("任务", list(labels), format_func=labels.get, key="task")


def show(task_id: str) -> None:
    task = data.load(queries.task, task_id)
    if task is None:
        st.error(f"没有任务 {task_id}。")
        return
    st.header(f"{task['doc_no']} {task['task_ref'] or ''}".strip())
    columns = st.columns(4)
    columns[0].metric("状态", status(task["latest_status"]) if not missing(task["latest_status"]) else "—", border=True)
    columns[1].metric("完成进度", f"{number(task['latest_percent_complete'])}%"
                      if not missing(task["latest_percent_complete"]) else "—", border=True)
    columns[2].metric("期限", day(task["deadline_date"]) if not missing(task["deadline_date"])
                      else (task["deadline_text"] or "无"), border=True)
    columns[3].metric("逾期天数", number(task["days_overdue"]) if task["is_overdue"] else "未逾期", border=True)
    st.markdown("**文件原文 The sentence in the document**")
    st.markdown(f"> {task['task_text']}")
    st.caption(f"{task['doc_no']}《{task['doc_title']}》（成文日期 {day(task['issued_on'])}） · 原文第 {task['source_line']} 行 · "
               f"{label(SOURCE_KIND, task['source_kind'])} · 政策领域 {task['policy_area']} · 任务编号 {task['task_id']}"
               + (f" · 与附件表任务 {task['duplicate_of_task_id']} 重复" if task["is_duplicate"] else ""))
    organizations(task_id)
    deadline(task)
    reports(task_id)


def organizations(task_id: str) -> None:
    st.markdown("**牵头与配合单位 Lead and co-operating bodies**")
    bodies = data.load(queries.task_organizations, task_id)
    if nothing("文件没有列出承办单位。", bodies):
        return
    shown = words(bodies, "assignment_role", lambda code: label(ROLE, code))
    shown["short_name"] = [name if not missing(name) else ("（泛指）" if generic else "—")
                           for name, generic in zip(shown["short_name"], shown["is_generic"])]
    table(shown, {"assignment_role": "职责", "name_as_printed": "原文写法", "short_name": "单位",
                  "org_name": "全称", "source_line": "原文行号"})


def deadline(task: dict) -> None:
    st.markdown("**期限与逾期记录 Deadline history**")
    st.markdown(f"期限原文：{task['deadline_text'] or '（无）'} · 类型：{label(DEADLINE_KIND, task['deadline_kind'])}"
                f" · 期限：{day(task['deadline_date'])}")
    history = data.load(queries.task_deadline_history, task["task_id"])
    if not history.empty:
        table(history, {"deadline_date": "期限", "from_day": "自", "to_day": "至", "first_overdue_day": "首次逾期日",
                        "max_days_overdue": "最多逾期天数"},
              column_config={name: st.column_config.DateColumn(label_, format="YYYY-MM-DD") for name, label_ in
                             (("deadline_date", "期限"), ("from_day", "自"), ("to_day", "至"),
                              ("first_overdue_day", "首次逾期日"))})
    days = data.load(queries.task_days, task["task_id"])
    if not days.empty:
        st.markdown("**每日状态 Status by day**")
        st.altair_chart(charts.task_status_strip(days), width="stretch")


def reports(task_id: str) -> None:
    reports = data.load(queries.task_reports, task_id)
    st.markdown(f"**进展报送时间线 Progress reports**（{len(reports)} 次）")
    if nothing("还没有报送。", reports):
        return
    st.altair_chart(charts.report_timeline(reports), width="stretch")
    for row in reports.iloc[::-1].itertuples():
        who = row.short_name if not missing(row.short_name) else row.reported_by
        st.markdown(f"- **{day(row.report_date)}** {who}（{label(ROLE, row.assignment_role)}）"
                    f"：{status(row.status)}"
                    + (f" {number(row.percent_complete)}%" if not missing(row.percent_complete) else "")
                    + (f" — {row.note}" if not missing(row.note) and row.note else ""))
    st.caption("只有牵头单位的报送改变任务状态；配合单位的报送仅作记录。")


def page() -> None:
    task_id = find()
    if task_id:
        show(task_id)


page_header("任务", "Tasks")
sections(page)
