"""The dashboard's words: targets as the documents say them, numbers as the office writes them, and a Chinese
word for every code the marts and reports use (no page shows a raw code such as not_yet_due)."""
from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import pytest

from dashboards import formatting


@pytest.mark.parametrize("comparator, value, high, unit, words", [
    (">=", 65.0, None, "%", "不低于 65%"),
    (">", 50.0, None, "%", "高于 50%"),
    ("<=", 30.0, None, "%", "不高于 30%"),
    ("<", 3.5, None, "‰", "低于 3.5‰"),
    ("=", 30.0, None, "家", "达到 30 家"),
    (">=", 17.55, None, "万亩", "不低于 17.55 万亩"),
    (">=", 3000.0, None, "张", "不低于 3,000 张"),
    ("between", 2.0, 3.0, "个", "2–3 个之间"),
    ("approx", 90.0, None, "%", "90%左右"),
    (">=", 1.0, None, None, "不低于 1"),
])
def test_a_target_reads_as_the_documents_write_it(comparator, value, high, unit, words):
    assert formatting.target_in_words(comparator, value, high, unit) == words


def test_numbers_shares_and_days():
    assert formatting.number(148809) == "148,809"
    assert formatting.number(float("nan")) == "—" and formatting.number(None) == "—"
    assert formatting.number(0.12345) == "0.12"
    assert formatting.percent(0.952381) == "95.2%" and formatting.percent(None) == "—"
    assert formatting.day(pd.Timestamp("2016-01-31")) == "2016-01-31" and formatting.day(date(2016, 1, 31)) == "2016-01-31"
    assert formatting.day(pd.NaT) == "—"


def test_every_code_in_the_published_warehouse_has_a_chinese_word(published_dashboard_warehouse):
    with duckdb.connect(str(published_dashboard_warehouse.published), read_only=True) as con:
        def values(sql: str) -> set[str]:
            return {row[0] for row in con.execute(sql).fetchall() if row[0] is not None}

        assert values("select distinct latest_status from marts.fct_task_status_daily") <= formatting.TASK_STATUS.keys()
        assert values("select distinct status from marts.fct_progress_report") <= formatting.TASK_STATUS.keys()
        assert values("select distinct attainment_status from reports.rpt_target_attainment") <= formatting.ATTAINMENT.keys()
        assert values("select distinct due_status from reports.rpt_target_attainment") <= formatting.DUE_STATUS.keys()
        assert values("select distinct comparator from marts.fct_target") <= {*formatting.COMPARATOR_WORDS, "between",
                                                                              "approx"}
        assert values("select distinct deadline_kind from marts.dim_task") <= formatting.DEADLINE_KIND.keys()
        assert values("select distinct source_kind from marts.dim_task") <= formatting.SOURCE_KIND.keys()
        assert values("select distinct status from raw.submission_files") <= formatting.FILE_STATUS.keys()
        codes = values("select distinct reason_code from raw.quarantined_rows")
        assert codes and all(formatting.reason_label(code) != code for code in codes)
