"""数据质量: the last loads (raw.load_runs), the files accepted / partly accepted / rejected and every
quarantined row with its Chinese reason — the same report as `policy-wh load` prints
(dagster_project/warehouse_summary.py submission_report).
"""
from __future__ import annotations

import streamlit as st

from dashboards import data, queries
from dashboards.formatting import FILE_STATUS, label, moment, reason_label
from dashboards.layout import metric_row, nothing, page_header, sections, table


def files() -> None:
    st.subheader("报送文件 Submitted files")
    counts = data.load(queries.file_status_counts)
    metric_row(counts, {"accepted": "全部接收 accepted", "partially_accepted": "部分接收 partly accepted",
                        "rejected": "拒收 rejected"})
    every = data.load(queries.submission_files)
    flagged = every[every["status"].isin(["partially_accepted", "rejected"])]
    st.markdown(f"**未全部接收的文件 Files not fully accepted**（{len(flagged)} 个）")
    if not nothing("所有文件都已全部接收。", flagged):
        for row in flagged.itertuples():
            with st.container(border=True):
                st.markdown(f"**{row.original_name}** · {label(FILE_STATUS, row.status)} · 收到 {moment(row.received_at)}"
                            f" · 接收 {row.rows_accepted} 行，隔离 {row.rows_quarantined} 行")
                reasons = list(row.reasons) or ([row.error] if row.error else [])
                for reason in reasons:
                    st.markdown(f"- {reason}")
                if row.problems > len(reasons):
                    st.caption(f"另有 {row.problems - len(reasons)} 个问题，见下方隔离行。")
    with st.expander(f"全部文件（{len(every)} 个）"):
        shown = every.assign(status=every["status"].map(lambda code: label(FILE_STATUS, code)))
        table(shown, {"received_at": "收到时间", "original_name": "文件", "status": "结果", "rows_total": "行数",
                      "rows_accepted": "接收", "rows_quarantined": "隔离", "progress_rows": "进展行",
                      "indicator_rows": "指标行", "air_quality_rows": "空气质量行"}, height=400)


def loads() -> None:
    st.subheader("最近的装载 Last loads")
    runs = data.load(queries.load_runs)
    if nothing("还没有装载记录。", runs):
        return
    table(runs, {"loaded_at": "装载时间", "run_id": "运行号", "partition_start": "起始分区", "partition_end": "结束分区",
                 "files_applied": "装载文件", "files_skipped": "跳过（已装载）", "rows_accepted": "接收行",
                 "rows_quarantined": "隔离行"})


def quarantine() -> None:
    st.subheader("隔离行及原因 Quarantined rows")
    by_reason = data.load(queries.quarantine_by_reason)
    if nothing("没有被隔离的行。", by_reason):
        return
    table(by_reason.assign(meaning=by_reason["reason_code"].map(reason_label)),
          {"meaning": "问题", "reason_code": "原因代码", "problems": "问题数", "files": "文件数"})
    rows = data.load(queries.quarantined_rows)
    table(rows.assign(meaning=rows["reason_code"].map(reason_label)),
          {"received_at": "收到时间", "file_name": "文件", "reported_by": "填报单位", "sheet_name": "工作表",
           "row_number": "行号", "column_name": "列", "raw_value": "原值", "meaning": "问题", "reason": "原因"},
          height=360)


page_header("数据质量", "Data quality")
sections(files, loads, quarantine)
