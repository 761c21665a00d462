"""Chinese words for the warehouse's codes, targets in words and numbers as the office writes them.

Why a module: the warehouse stores codes (``in_progress``, ``>=``, ``not_yet_due``) and the office reads
Chinese; every page must say the same thing for the same code. Formatting only — no number is computed here.
The task statuses are the submissions' own words (dagster_project/submissions/cells.py STATUSES), so a
clerk sees on the dashboard the word he typed into the template.
"""
from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

import pandas as pd

from dagster_project.submissions.validation import REASON_CODES, STATUSES

TASK_STATUS: dict[str, str] = {**STATUSES, "not_reported": "从未报送"}
# the heat strip's order: from bad to good
TASK_STATUS_ORDER = ("not_reported", "blocked", "delayed", "not_started", "in_progress", "done")
ATTAINMENT: dict[str, str] = {"met": "达成", "not_met": "未达成", "no_data": "无数据"}
DUE_STATUS: dict[str, str] = {"due": "已到期", "not_yet_due": "未到期", "standing": "常设标准"}
FILE_STATUS: dict[str, str] = {"accepted": "全部接收", "partially_accepted": "部分接收", "rejected": "拒收"}
ROLE: dict[str, str] = {"lead": "牵头", "co": "配合", "none": "其他单位"}
DEADLINE_KIND: dict[str, str] = {"date": "明确日期", "ongoing": "长期", "conditional": "附条件", "phased": "分阶段",
                                 "none": "无期限"}
SOURCE_KIND: dict[str, str] = {"body": "正文", "list": "清单", "table": "表格"}
COMPARATOR_WORDS: dict[str, str] = {">=": "不低于", ">": "高于", "<=": "不高于", "<": "低于", "=": "达到"}


def missing(value: Any) -> bool:
    """None, NaN, NaT and pandas' NA all mean: no value."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def number(value: Any, digits: int = 2) -> str:
    """65.0 → '65', 17.554 → '17.55', 3000 → '3,000'; '—' when there is none."""
    if missing(value):
        return "—"
    value = float(value)
    if math.isfinite(value) and value == round(value):
        return f"{int(round(value)):,}"
    return f"{value:,.{digits}f}".rstrip("0").rstrip(".")


def with_unit(value: Any, unit: str | None) -> str:
    """A value and its unit as printed: '65%', '30 家'."""
    text = number(value)
    if missing(unit) or not unit or text == "—":
        return text
    return f"{text}{unit}" if unit in ("%", "‰", "℃") else f"{text} {unit}"


def percent(share: Any, digits: int = 1) -> str:
    """A share 0–1 as a percentage: 0.9524 → '95.2%'."""
    if missing(share):
        return "—"
    return f"{float(share) * 100:.{digits}f}%"


def target_in_words(comparator: str, value: Any, value_high: Any = None, unit: str | None = None) -> str:
    """A target as the documents say it: '不低于 65%', '达到 30 家', '2–3 个之间', '90% 左右'."""
    if comparator == "between":
        high = value if missing(value_high) else value_high
        return f"{number(value)}–{with_unit(high, unit)}之间"
    if comparator == "approx":
        return f"{with_unit(value, unit)}左右"
    words = COMPARATOR_WORDS.get(comparator, comparator)
    return f"{words} {with_unit(value, unit)}"


def label(mapping: dict[str, str], code: Any) -> str:
    """The Chinese word for a code ('—' for none; an unknown code as it is)."""
    if missing(code):
        return "—"
    return mapping.get(str(code), str(code))


def status(code: Any) -> str:
    return label(TASK_STATUS, code)


def reason_label(code: Any) -> str:
    """The Chinese label of a quarantine reason_code (dagster_project/submissions/reasons.py)."""
    return label(REASON_CODES, code)


def day(value: Any) -> str:
    """A date as 2016-01-31 ('—' for none)."""
    if missing(value):
        return "—"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(pd.Timestamp(value).date())


def moment(value: Any) -> str:
    """A timestamp to the second: 2016-01-31 09:00:00."""
    if missing(value):
        return "—"
    return pd.Timestamp(value).strftime("%Y-%m-%d %H:%M:%S")


def relabel(frame: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """Keep ``columns`` (in that order) and give them their Chinese headings."""
    present = [c for c in columns if c in frame.columns]
    return frame[present].rename(columns=columns)
