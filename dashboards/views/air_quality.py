"""空气质量: the quarterly air-quality ranking and the money it moves (reports.rpt_air_quality_award, rules of
〔2015〕126号 and 144号, docs/air_quality.md) and each unit's index over time (marts.fct_air_quality_quarterly).
"""
from __future__ import annotations

import streamlit as st

from dashboards import charts, data, queries
from dashboards.layout import nothing, page_header, sections, table

AWARD_COLUMNS = {"final_rank": "综合排名", "region_name": "考核单位", "composite_index": "综合指数",
                 "yoy_decline_rate": "同比下降率", "index_points": "指数得分", "decline_points": "下降率得分",
                 "total_points": "总分", "reward_wan_yuan": "奖励（万元）", "penalty_wan_yuan": "处罚（万元）",
                 "reason": "说明"}


def ranking() -> None:
    st.subheader("季度排名与奖惩 Quarterly ranking and money")
    quarters = data.load(queries.air_quality_quarters)
    if nothing("还没有空气质量读数（市环保局每季度报送）。", quarters):
        return
    quarter = st.selectbox("季度", quarters, key="quarter", bind="query-params")
    award = data.load(queries.air_quality_award, quarter)
    rules = ", ".join(sorted(award["rule_doc_no"].dropna().unique()))
    st.caption(f"{quarter} 施行 {rules}；金额为精确小数（万元）。某组缺本季度或上年同期指数时该组不评价，说明栏写明原因。")
    st.markdown("**奖惩金额 Rewards and penalties**")
    st.altair_chart(charts.money_bars(award), width="stretch")
    config = {"yoy_decline_rate": st.column_config.NumberColumn("同比下降率", format="percent"),
              "composite_index": st.column_config.NumberColumn("综合指数", format="%.4f")}
    for group, members in award.groupby("group_name", sort=True):
        st.markdown(f"**{group}**")
        table(members, AWARD_COLUMNS, column_config=config)
        with st.expander(f"{group}各单位说明"):
            for row in members.itertuples():
                st.markdown(f"- **{row.region_name}**：{row.reason}")


def trend() -> None:
    st.subheader("综合指数走势 Composite index by quarter")
    quarterly = data.load(queries.air_quality_quarterly)
    if nothing("还没有季度综合指数。", quarterly):
        return
    st.altair_chart(charts.air_quality_trend(quarterly), width="stretch")


page_header("空气质量", "Air quality")
sections(ranking, trend)
