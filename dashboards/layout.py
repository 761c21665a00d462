"""What every page shares: its heading, the line saying which publication it reads, tables with Chinese
headings.

Why: the office should always see which publication and which as-of day a page answers for, in the same
words on every page, and a page should stay a short list of sections.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable

import pandas as pd
import streamlit as st

from . import data, queries
from .formatting import day, number, relabel


def page_header(chinese: str, english: str, intro: str | None = None) -> None:
    """The page title (Chinese, then short English) and the publication it reads."""
    st.title(f"{chinese} {english}")
    snapshot = data.snapshot()
    as_of = data.load(queries.as_of_day)
    published = data.load(queries.publication)
    when = published["published_at_local"].strftime("%Y-%m-%d %H:%M") if published else "—"
    st.caption(f"统计截止日 {day(as_of)} · 数据发布于 {when}（北京时间） · 只读 {snapshot.path}")
    if intro:
        st.markdown(intro)


def metric_row(counts: dict[str, int], labels: dict[str, str]) -> None:
    """One bordered metric per label, side by side: a count for each key of ``labels`` (in its order)."""
    for column, (key, label) in zip(st.columns(len(labels)), labels.items()):
        column.metric(label, number(counts.get(key)), border=True)


def sections(*parts: Callable[[], None]) -> None:
    """Run a page's sections in order (a new section is one more function in the list)."""
    for part in parts:
        part()


def table(frame: pd.DataFrame, columns: dict[str, str], *, column_config: dict[str, Any] | None = None,
          height: int | str = "auto", key: str | None = None) -> None:
    """A DataFrame with only ``columns``, headed in Chinese, without the index."""
    shown = relabel(frame, columns)
    config = {columns.get(name, name): value for name, value in (column_config or {}).items()}
    for name in shown.columns:
        values = shown[name]
        if pd.api.types.is_datetime64_any_dtype(values):
            present = values.dropna()
            if (present == present.dt.normalize()).all():       # a day, not a moment: no 00:00:00
                # as ISO text (which sorts as the days do): the grid writes a missing date as "None"
                shown[name] = values.dt.strftime("%Y-%m-%d").where(values.notna(), "")
                config.pop(name, None)
        elif values.dtype == object or isinstance(values.dtype, pd.StringDtype):
            shown[name] = values.where(values.notna(), "")      # an empty cell, not the word None
    if isinstance(height, int) and 38 + 35 * len(shown) < height:
        height = "auto"                                         # a short table takes only its rows' height
    st.dataframe(shown, hide_index=True, column_config=config, height=height, key=key)


def share_column(label: str) -> Any:
    """A 0–1 share drawn as a progress bar with a percentage."""
    return st.column_config.ProgressColumn(label, min_value=0.0, max_value=1.0, format="percent")


def words(frame: pd.DataFrame, column: str, mapping: Callable[[Any], str]) -> pd.DataFrame:
    """``frame`` with ``column`` replaced by its Chinese words (a copy)."""
    out = frame.copy()
    if column in out.columns:
        out[column] = out[column].map(mapping)
    return out


def nothing(message: str, rows: Iterable[Any] | pd.DataFrame) -> bool:
    """Say ``message`` and return True when there are no rows."""
    empty = rows.empty if isinstance(rows, pd.DataFrame) else not list(rows)
    if empty:
        st.info(message)
    return empty
