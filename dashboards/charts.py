"""The dashboard's charts, as Altair (vega-lite) specifications.

Why Altair: Streamlit ships vega-lite in its own frontend bundle, so these charts render on an intranet with
no internet (no CDN script, no map tiles, no web fonts). Each function turns a DataFrame of
dashboards/queries.py into a chart; it draws the numbers it is given and computes none.
"""
from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from .formatting import TASK_STATUS, TASK_STATUS_ORDER, missing, status

# one colour per task status, the same on every chart (bad → good)
STATUS_COLOURS = {"not_reported": "#c7c7c7", "blocked": "#d62728", "delayed": "#ff7f0e", "not_started": "#8c8c8c",
                  "in_progress": "#1f77b4", "done": "#2ca02c"}
_STATUS_WORDS = [TASK_STATUS[code] for code in TASK_STATUS_ORDER]
_STATUS_SCALE = alt.Scale(domain=_STATUS_WORDS, range=[STATUS_COLOURS[code] for code in TASK_STATUS_ORDER])
# dates as the office writes them (vega's default would say "Thu 28" or "Jul 05")
DAY_AXIS = alt.Axis(format="%Y-%m-%d", labelAngle=0)
MONTH_AXIS = alt.Axis(format="%Y-%m", labelAngle=0)


# names and document numbers on a bar chart's axis in full (vega-lite cuts labels at 180 px with "…")
NAME_AXIS = alt.Axis(labelLimit=320)


def _with_status_words(frame: pd.DataFrame, column: str = "latest_status") -> pd.DataFrame:
    out = frame.copy()
    out["状态"] = out[column].map(status)
    return out


def status_heat_strip(daily: pd.DataFrame) -> alt.Chart:
    """Days × status: how many tasks were in each status on each day (marts.fct_task_status_daily)."""
    data = _with_status_words(daily)
    return alt.Chart(data).mark_rect().encode(
        x=alt.X("yearmonthdate(snapshot_date):T", title="日期", axis=DAY_AXIS),
        y=alt.Y("状态:N", sort=_STATUS_WORDS, title=None),
        color=alt.Color("tasks:Q", title="任务数", scale=alt.Scale(scheme="blues")),
        tooltip=[alt.Tooltip("snapshot_date:T", title="日期"), alt.Tooltip("状态:N"),
                 alt.Tooltip("tasks:Q", title="任务数")],
    ).properties(height=200)


def task_status_strip(days: pd.DataFrame) -> alt.Chart:
    """One task's days coloured by its status (the tooltip gives the day's percent and days overdue)."""
    data = _with_status_words(days)
    data["行"] = "任务状态"
    return alt.Chart(data).mark_rect().encode(
        x=alt.X("yearmonthdate(snapshot_date):T", title="日期", axis=DAY_AXIS),
        y=alt.Y("行:N", title=None),
        color=alt.Color("状态:N", scale=_STATUS_SCALE, title="状态", legend=alt.Legend(orient="bottom", columns=6)),
        tooltip=[alt.Tooltip("snapshot_date:T", title="日期"), alt.Tooltip("状态:N"),
                 alt.Tooltip("latest_percent_complete:Q", title="完成进度"),
                 alt.Tooltip("days_overdue:Q", title="逾期天数")],
    ).properties(height=60)


def department_bars(scorecard: pd.DataFrame, value: str, title: str, limit: int = 30) -> alt.Chart:
    """One bar per department for one scorecard column, largest first (the first ``limit``)."""
    data = scorecard.nlargest(limit, value) if len(scorecard) > limit else scorecard
    return alt.Chart(data).mark_bar().encode(
        x=alt.X(f"{value}:Q", title=title),
        y=alt.Y("short_name:N", sort="-x", title=None, axis=NAME_AXIS),
        tooltip=[alt.Tooltip("short_name:N", title="单位"), alt.Tooltip(f"{value}:Q", title=title)],
    ).properties(height=alt.Step(22))           # one band per department, tall enough for its name


def reporting_rate_bars(scorecard: pd.DataFrame, limit: int = 30) -> alt.Chart:
    """Reporting rate per department, lowest first (reporting discipline)."""
    data = scorecard.nsmallest(limit, "reporting_rate") if len(scorecard) > limit else scorecard
    return alt.Chart(data).mark_bar(color="#ff7f0e").encode(
        x=alt.X("reporting_rate:Q", title="当月报送率", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        y=alt.Y("short_name:N", sort="x", title=None, axis=NAME_AXIS),
        tooltip=[alt.Tooltip("short_name:N", title="单位"),
                 alt.Tooltip("reporting_rate:Q", title="当月报送率", format=".1%")],
    ).properties(height=alt.Step(22))           # one band per department, tall enough for its name


def department_trend(history: pd.DataFrame) -> alt.Chart:
    """A department's led, done and overdue tasks by month."""
    data = history.rename(columns={"tasks_led": "牵头任务", "tasks_done": "已完成", "tasks_overdue": "逾期"})
    long = data.melt(id_vars=["month_start"], value_vars=["牵头任务", "已完成", "逾期"], var_name="指标",
                     value_name="任务数")
    return alt.Chart(long).mark_line(point=True).encode(
        x=alt.X("yearmonth(month_start):T", title="月份", axis=MONTH_AXIS),
        y=alt.Y("任务数:Q"),
        color=alt.Color("指标:N", title=None),
        tooltip=[alt.Tooltip("yearmonth(month_start):T", title="月份"), "指标:N", "任务数:Q"],
    ).properties(height=260)


def document_bars(progress: pd.DataFrame, limit: int = 25) -> alt.Chart:
    """Done, overdue and never-reported tasks of the documents with the most overdue tasks (stacked)."""
    top = progress.sort_values(["overdue_count", "task_count"], ascending=False).head(limit)
    long = top.melt(id_vars=["doc_no"], value_vars=["done_count", "overdue_count", "unreported_count"],
                    var_name="kind", value_name="tasks")
    long["类别"] = long["kind"].map({"done_count": "已完成", "overdue_count": "逾期", "unreported_count": "从未报送"})
    return alt.Chart(long).mark_bar().encode(
        x=alt.X("tasks:Q", title="任务数"),
        y=alt.Y("doc_no:N", sort=list(top["doc_no"]), title=None, axis=NAME_AXIS),
        color=alt.Color("类别:N", scale=alt.Scale(domain=["逾期", "从未报送", "已完成"],
                                                  range=["#d62728", "#c7c7c7", "#2ca02c"])),
        tooltip=[alt.Tooltip("doc_no:N", title="文号"), "类别:N", alt.Tooltip("tasks:Q", title="任务数")],
    ).properties(height=alt.Step(22))           # one band per document, tall enough for its number


def target_chart(observations: pd.DataFrame, target: dict[str, Any]) -> alt.LayerChart:
    """A target's observations over time, the target line (both bounds of a range) and, for a not-yet-due
    target, the projection to its due date (reports.rpt_target_attainment.projected_value) as a dashed line
    from the last observation."""
    unit = target.get("unit") or ""
    colour = alt.Color("series:N", title=None, scale=alt.Scale(domain=["观测值", "目标值", "趋势推算"],
                                                              range=["#1f77b4", "#d62728", "#9467bd"]))
    obs = observations.assign(series="观测值")
    layers: list[alt.Chart] = [
        alt.Chart(obs).mark_line(point=True).encode(
            x=alt.X("period_end:T", title="统计期末", axis=DAY_AXIS),
            y=alt.Y("observed_value:Q", title=f"数值（{unit}）" if unit else "数值", scale=alt.Scale(zero=False)),
            color=colour,
            tooltip=[alt.Tooltip("period:N", title="统计期"), alt.Tooltip("observed_value:Q", title="观测值")],
        )
    ]
    bounds = [target.get("target_value")]
    if target.get("comparator") == "between" and not missing(target.get("target_value_high")):
        bounds.append(target.get("target_value_high"))
    rules = pd.DataFrame({"value": [b for b in bounds if not missing(b)], "series": "目标值"})
    if len(rules):
        layers.append(alt.Chart(rules).mark_rule(strokeDash=[2, 2], size=2).encode(
            y="value:Q", color=colour,
            tooltip=[alt.Tooltip("value:Q", title="目标值")]))
    projected, due = target.get("projected_value"), target.get("due_date")
    if not missing(projected) and not missing(due) and len(observations):
        last = observations.iloc[-1]
        line = pd.DataFrame({"period_end": [last["period_end"], pd.Timestamp(due)],
                             "observed_value": [last["observed_value"], projected], "series": "趋势推算"})
        layers.append(alt.Chart(line).mark_line(strokeDash=[6, 4], point=True).encode(
            x="period_end:T", y="observed_value:Q", color=colour,
            tooltip=[alt.Tooltip("period_end:T", title="日期"), alt.Tooltip("observed_value:Q", title="数值")]))
    return alt.layer(*layers).properties(height=300)


def report_timeline(reports: pd.DataFrame) -> alt.Chart:
    """Every progress report of a task: day × percent complete, coloured by the status reported."""
    data = _with_status_words(reports, "status")
    data["角色"] = data["assignment_role"].map({"lead": "牵头", "co": "配合"}).fillna("其他单位")
    base = alt.Chart(data).encode(
        x=alt.X("report_date:T", title="填报日期", axis=DAY_AXIS),
        y=alt.Y("percent_complete:Q", title="完成进度（%）", scale=alt.Scale(domain=[0, 100])),
    )
    lines = base.mark_line(color="#bbbbbb").encode(detail="reported_by:N")
    points = base.mark_point(filled=True, size=90).encode(
        color=alt.Color("状态:N", scale=_STATUS_SCALE),
        shape=alt.Shape("角色:N"),
        tooltip=[alt.Tooltip("report_date:T", title="填报日期"), alt.Tooltip("reported_by:N", title="填报单位"),
                 "角色:N", "状态:N", alt.Tooltip("percent_complete:Q", title="完成进度"),
                 alt.Tooltip("note:N", title="进展说明")],
    )
    return alt.layer(lines, points).properties(height=260)


def money_bars(award: pd.DataFrame) -> alt.Chart:
    """Reward (up) and penalty (down) in 万元 per unit of one quarter."""
    long = pd.concat([
        pd.DataFrame({"region_name": award["region_name"], "类别": "奖励", "万元": award["reward_wan_yuan"].astype(float)}),
        pd.DataFrame({"region_name": award["region_name"], "类别": "处罚",
                      "万元": -award["penalty_wan_yuan"].astype(float)}),
    ]).dropna()
    return alt.Chart(long).mark_bar().encode(
        x=alt.X("region_name:N", title=None, sort=list(award["region_name"]), axis=alt.Axis(labelAngle=-30)),
        y=alt.Y("万元:Q", title="万元（处罚为负）"),
        color=alt.Color("类别:N", scale=alt.Scale(domain=["奖励", "处罚"], range=["#2ca02c", "#d62728"])),
        tooltip=[alt.Tooltip("region_name:N", title="考核单位"), "类别:N", alt.Tooltip("万元:Q")],
    ).properties(height=280)


def air_quality_trend(quarterly: pd.DataFrame) -> alt.Chart:
    """Each unit's quarterly composite index (lower is cleaner)."""
    return alt.Chart(quarterly.dropna(subset=["composite_index"])).mark_line(point=True).encode(
        x=alt.X("quarter_end_date:T", title="季度末", axis=DAY_AXIS),
        y=alt.Y("composite_index:Q", title="综合指数（越低越好）", scale=alt.Scale(zero=False)),
        color=alt.Color("region_name:N", title="考核单位"),
        tooltip=[alt.Tooltip("quarter:N", title="季度"), alt.Tooltip("region_name:N", title="考核单位"),
                 alt.Tooltip("composite_index:Q", title="综合指数", format=".4f")],
    ).properties(height=300)
