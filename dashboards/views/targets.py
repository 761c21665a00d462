"""目标: every quantitative target in words (不低于 65%), met / not met / no data on the as-of day
(reports.rpt_target_attainment), and one target's observations over time with its target line and, for a
target not yet due, the projection to its due date.

A target is chosen with the selectbox ``target``; /targets?target=<target id> opens it.
"""
from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from dashboards import charts, data, queries
from dashboards.formatting import ATTAINMENT, DUE_STATUS, day, label, missing, number, target_in_words, with_unit
from dashboards.layout import metric_row, nothing, page_header, sections, table

STATUS_FILTER = {"全部": None, "达成": "met", "未达成": "not_met", "无数据": "no_data"}


def _described(targets: pd.DataFrame) -> pd.DataFrame:
    out = targets.copy()
    out["in_words"] = [target_in_words(c, v, h, u) for c, v, h, u in
                       zip(out["comparator"], out["target_value"], out["target_value_high"], out["unit"])]
    out["status_words"] = out["attainment_status"].map(lambda code: label(ATTAINMENT, code))
    out["due_words"] = out["due_status"].map(lambda code: label(DUE_STATUS, code))
    out["observed_words"] = [with_unit(v, u) for v, u in zip(out["observed_value"], out["unit"])]
    out["projected_words"] = [with_unit(v, u) for v, u in zip(out["projected_value"], out["unit"])]
    out["projected_status_words"] = out["projected_status"].map(lambda code: label(ATTAINMENT, code))
    out["scope"] = out["target_scope"].fillna("—")
    return out


def overview() -> pd.DataFrame:
    st.subheader("目标达成情况 Attainment")
    counts = data.load(queries.target_status_counts)
    metric_row(counts, {"met": "达成 met", "not_met": "未达成 not met", "no_data": "无数据 no data"})
    targets = _described(data.load(queries.targets))
    left, middle, right = st.columns(3)
    chosen = left.selectbox("达成状态", list(STATUS_FILTER), key="status")
    areas = ["全部"] + sorted(targets["policy_area"].dropna().unique().tolist())
    area = middle.selectbox("政策领域", areas, key="area")
    text = right.text_input("搜索指标或原文", key="target_text")
    shown = targets
    if STATUS_FILTER[chosen]:
        shown = shown[shown["attainment_status"] == STATUS_FILTER[chosen]]
    if area != "全部":
        shown = shown[shown["policy_area"] == area]
    if text.strip():
        needle = text.strip()
        shown = shown[shown["indicator_name"].fillna("").str.contains(needle, regex=False)
                      | shown["verbatim"].fillna("").str.contains(needle, regex=False)
                      | shown["target_id"].str.contains(needle, regex=False)]
    st.caption(f"{number(len(shown))} 个目标")
    table(shown, {"target_id": "目标编号", "indicator_name": "指标", "scope": "适用主体", "region_name": "地区",
                  "in_words": "目标", "due_date": "期限", "due_words": "期限状态", "observed_words": "最新观测值",
                  "observed_period": "统计期", "status_words": "达成状态", "projected_words": "趋势推算值",
                  "projected_status_words": "推算结果", "doc_no": "文号"},
          column_config={"due_date": st.column_config.DateColumn("期限", format="YYYY-MM-DD")}, height=380)
    return targets


def detail(targets: pd.DataFrame) -> None:
    st.subheader("单个目标 One target")
    if nothing("没有目标。", targets):
        return
    names = dict(zip(targets["target_id"], targets["indicator_name"].fillna("")))
    ids = list(names)
    # ?target=<target id> opens that target (bind="query-params" would expect the label shown, not the id)
    wanted = st.query_params.get("target")
    target_id = st.selectbox("选择目标", ids, index=ids.index(wanted) if wanted in names else 0,
                             format_func=lambda t: f"{t} · {names[t]}", key="target")
    st.query_params["target"] = target_id
    row: dict[str, Any] = targets[targets["target_id"] == target_id].iloc[0].to_dict()
    columns = st.columns(4)
    columns[0].metric("达成状态", row["status_words"], border=True)
    columns[1].metric("目标", row["in_words"], border=True)
    columns[2].metric("最新观测值", row["observed_words"], border=True,
                      help=f"统计期 {row['observed_period']}" if not missing(row["observed_period"]) else None)
    columns[3].metric("期限", day(row["due_date"]) if not missing(row["due_date"]) else "常设", border=True,
                      help=row["due_words"])
    st.markdown(
        f"- 指标：**{row['indicator_name'] or '—'}**（{row['indicator_id']}）\n"
        f"- 适用主体：{row['scope']}　地区：{row['region_name'] or row['region_code']}\n"
        f"- 目标：{row['in_words']}　差距：{with_unit(row['gap_to_target'], row['unit'])}\n"
        f"- 原文：“{row['verbatim']}”（{row['doc_no']}，原文第 {row['source_line']} 行）\n"
        + (f"- 按趋势推算到期日：{row['projected_words']}（{row['projected_status_words']}）\n"
           if not missing(row["projected_value"]) else ""))
    observations = data.load(queries.target_observations, target_id)
    if nothing("这个目标的指标在其地区还没有观测值。", observations):
        return
    st.markdown("**观测值与目标线 Observations and target**")
    st.altair_chart(charts.target_chart(observations, row), width="stretch")
    table(observations, {"period": "统计期", "period_end": "统计期末", "observed_value": "观测值", "unit": "单位",
                         "reported_by": "填报单位", "submission_file": "来源文件"},
          column_config={"period_end": st.column_config.DateColumn("统计期末", format="YYYY-MM-DD")})


page_header("目标", "Targets")
sections(lambda: detail(overview()))
