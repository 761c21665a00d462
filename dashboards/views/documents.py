"""文件: how far each of the 82 documents is carried out (reports.rpt_document_progress)."""
from __future__ import annotations

import streamlit as st

from dashboards import charts, data, queries
from dashboards.formatting import number
from dashboards.layout import nothing, page_header, sections, share_column, table


def progress() -> None:
    st.subheader("各文件落实进度 Progress per document")
    documents = data.load(queries.document_progress)
    if nothing("还没有文件落实数据。", documents):
        return
    areas = ["全部"] + sorted(documents["policy_area"].dropna().unique().tolist())
    area = st.selectbox("政策领域", areas, key="area")
    shown = documents if area == "全部" else documents[documents["policy_area"] == area]
    st.caption(f"{number(len(shown))} 件文件")
    table(shown, {"doc_no": "文号", "title": "标题", "policy_area": "政策领域", "issued_on": "成文日期",
                  "task_count": "任务数", "done_count": "已完成", "overdue_count": "逾期", "unreported_count": "从未报送",
                  "done_share": "完成占比", "overdue_share": "逾期占比", "unreported_share": "未报送占比"},
          column_config={"done_share": share_column("完成占比"), "overdue_share": share_column("逾期占比"),
                         "unreported_share": share_column("未报送占比"),
                         "issued_on": st.column_config.DateColumn("成文日期", format="YYYY-MM-DD")},
          height=460)
    st.markdown("**逾期任务最多的文件 Documents with the most overdue tasks**")
    st.altair_chart(charts.document_bars(shown), width="stretch")


page_header("文件", "Documents", "按逾期占比从高到低排列；完成、逾期、从未报送均按牵头单位的报送计（截至统计截止日）。")
sections(progress)
