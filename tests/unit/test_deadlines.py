"""Deadline phrases of the source (source-catalog §4.4), one test per form, on the printed text."""
from datetime import date

import pytest

from dagster_project.extraction.deadlines import DEADLINE_KINDS, Deadline, find_deadline, parse_deadline


# --- whole cells of the tables' 时间进度 / 进度要求 columns ---------------------------------------------
@pytest.mark.parametrize(
    ("line", "cell", "expected", "kind"),
    [
        (2550, "2016年6月底前出台具体措施", date(2016, 6, 30), "date"),          # 月底前 → month end
        (2530, "2016年6月底完成", date(2016, 6, 30), "date"),
        (2555, "2016年1月底前完成", date(2016, 1, 31), "date"),
        (680, "2016年9月底前出台具体措施", date(2016, 9, 30), "date"),
        (670, "2017年5月前出台具体措施", date(2017, 4, 30), "date"),            # 前 without 底: before May
        (685, "2016年9月前出台具体措施", date(2016, 8, 31), "date"),
        (539, "2015年年底前完成，持续实施", date(2015, 12, 31), "date"),         # 年年底前
        (2525, "2015年底前取得阶段性成果", date(2015, 12, 31), "date"),          # 年底前
        (325, "2016年6月底前完成，持续实施", date(2016, 6, 30), "date"),         # a date wins over 持续实施
        (1303, "2016年完成", date(2016, 12, 31), "date"),                      # year + verb → year end
        (1329, "2016年实施", date(2016, 12, 31), "date"),
        (1252, "2015年出台", date(2015, 12, 31), "date"),
        (2495, "2015年完成", date(2015, 12, 31), "date"),
        (2560, "2015年完成年度任务", date(2015, 12, 31), "date"),
        (2643, "2015年启动", date(2015, 12, 31), "date"),
        (2728, "2015年", date(2015, 12, 31), "date"),
        (3219, "2015年8月启动，持续实施", date(2015, 8, 31), "date"),
        (4885, "2015年建立", date(2015, 12, 31), "date"),
        (4890, "2016年成立", date(2016, 12, 31), "date"),
        (4774, "2015-2017年实施", date(2017, 12, 31), "phased"),              # ASCII hyphen range
    ],
)
def test_dated_cells(source, line, cell, expected, kind):
    assert cell in source.line(line).replace("\t", "")
    parsed = parse_deadline(cell, 2015)
    assert (parsed.date, parsed.kind, parsed.text) == (expected, kind, cell)


@pytest.mark.parametrize(
    ("line", "cell", "kind"),
    [
        (261, "持续实施", "ongoing"),
        (1232, "持续落实", "ongoing"),
        (1246, "落实并实施", "ongoing"),
        (277, "根据国务院和省政府改革进度及时跟进", "conditional"),
        (289, "根据改革试点进度推进", "conditional"),
        (304, "根据省政府进展情况及时修订，持续实施", "conditional"),
        (3209, "适时启动", "conditional"),
    ],
)
def test_undated_cells(source, line, cell, kind):
    assert source.line(line).strip() == cell
    assert parse_deadline(cell, 2015) == Deadline(cell, None, kind)


def test_an_empty_cell_is_kind_none(source):
    # An empty cell is a lone TAB (line 480); 廊政〔2015〕118号 附件2 rows 11 and 15 have such deadline cells.
    assert parse_deadline(source.line(480), 2015) == Deadline("", None, "none")
    assert parse_deadline("", 2015).kind == "none"


def test_kinds_are_the_documented_ones():
    assert DEADLINE_KINDS == ("date", "ongoing", "conditional", "phased", "none")


# --- phrases inside a measure's running text --------------------------------------------------------
@pytest.mark.parametrize(
    ("line", "phrase", "expected"),
    [
        (25, "于8月底前", date(2015, 8, 31)),                 # month without a year: the document's year
        (239, None, None),                                   # 每年…12月底前 is recurring (see below)
        (5212, "8月底前", date(2015, 8, 31)),
        (907, "于2015年10月底前", date(2015, 10, 31)),
        (3454, "2015年12月底前", date(2015, 12, 31)),
        (9198, "2015年12月31日前", date(2015, 12, 31)),      # a day: that day itself
        (9200, "2016年1月31日前", date(2016, 1, 31)),
        (9201, "2016年2月底前", date(2016, 2, 29)),          # leap year
        (184, "2015年年底前", date(2015, 12, 31)),
        (1009, "2017年底前", date(2017, 12, 31)),
        (1019, "2018年底前", date(2018, 12, 31)),
        (5602, "年底前", date(2015, 12, 31)),                # 年底前 → the document's year end
        (5214, "今年年底", date(2015, 12, 31)),
        (5440, "年内", date(2015, 12, 31)),
        (614, "到2016年底", date(2016, 12, 31)),
        (770, "到2017年", date(2017, 12, 31)),               # 到YYYY年 → year end
        (609, "到2020年", date(2020, 12, 31)),
        (4495, "到2025年", date(2025, 12, 31)),
        (2575, "到2017年", date(2017, 12, 31)),
        (6574, "在“十二五”末", date(2015, 12, 31)),          # the 12th five-year plan ends in 2015
        (5844, "20l5年底前", date(2015, 12, 31)),            # the 20l5 typo (§9.6)
        (7264, "2015年10月13日前", date(2015, 10, 13)),
    ],
)
def test_dated_phrases_in_running_text(source, line, phrase, expected):
    found = find_deadline(source.line(line), 2015)
    if phrase is None:
        assert found is not None and found.kind == "ongoing"
        return
    assert found == Deadline(phrase, expected, "date")
    assert phrase in source.line(line)


def test_thirteenth_five_year_plan_ends_in_2020(source):
    text = source.line(2575)
    assert "到“十三五”末" in text
    assert parse_deadline("到“十三五”末", 2015) == Deadline("到“十三五”末", date(2020, 12, 31), "date")


@pytest.mark.parametrize(
    ("line", "phrase", "expected"),
    [
        (5002, "2016年1月至2016年4月", date(2016, 4, 30)),        # （2016年1月至2016年4月）
        (5157, "8月11日—11月20日", date(2015, 11, 20)),           # U+2014 between two dates
        (7278, "2015年10月20日—2016年3月", date(2016, 3, 31)),
    ],
)
def test_phased_parentheses_take_their_last_date(source, line, phrase, expected):
    assert find_deadline(source.line(line), 2015) == Deadline(phrase, expected, "phased")


@pytest.mark.parametrize(
    ("line", "phrase"),
    [
        (18, "在6个月内"),
        (8947, "须在会议结束后7个工作日内"),
        (975, "5年内"),
        (2373, "力争用3年时间"),
        (3946, "三年内"),
        (4645, "用3至5年时间"),
    ],
)
def test_relative_limits_are_conditional(source, line, phrase):
    assert find_deadline(source.line(line), 2015) == Deadline(phrase, None, "conditional")


def test_a_limit_counted_from_this_decision_is_anchored_to_its_signature_date(source):
    # 廊政〔2015〕122号 (signed 2015-12-31), line 3707: 本决定下发后10日内 → 2016-01-10.
    text = source.line(3707)
    assert find_deadline(text, 2015) == Deadline("本决定下发后10日内", None, "conditional")
    assert find_deadline(text, 2015, date(2015, 12, 31)) == Deadline("本决定下发后10日内", date(2016, 1, 10), "date")


def test_recurring_dates_are_ongoing(source):
    assert find_deadline(source.line(6337), 2015) == Deadline("每年12月31日前", None, "ongoing")
    assert find_deadline(source.line(239), 2015) == Deadline("每年要在12月底前", None, "ongoing")
    assert parse_deadline("（2016年3月以后）", 2015).kind == "ongoing"        # line 7282


def test_a_month_already_past_at_signature_is_next_year(source):
    # 廊政办〔2015〕68号 signed 2015-12-30, line 6345: 于3月底前报市政府 → March 2016.
    assert find_deadline(source.line(6345), 2015, date(2015, 12, 30)).date == date(2016, 3, 31)


def test_effective_dates_and_base_years_are_not_deadlines(source):
    assert find_deadline(source.line(153), 2015) is None      # 自印发之日起施行
    assert find_deadline(source.line(1587), 2015) is None     # 自2015年11月1日起施行，有效期5年
    assert find_deadline("平均收入比2010年翻一番以上", 2015) is None


@pytest.mark.parametrize(
    ("line", "expected", "why"),
    [
        (6137, Deadline("在两年内", None, "conditional"), "上一年结转资金到下一年9月底仍未支出的 is a rule's condition"),
        (243, None, "12月份全省“法治月”活动: a month named, no deadline"),
        (9085, None, "根据《中华人民共和国义务教育法》的要求: a basis, not a timing"),
    ],
)
def test_months_and_bases_that_are_not_deadlines(source, line, expected, why):
    assert find_deadline(source.line(line), 2015) == expected, why


def test_a_past_year_is_not_a_deadline(source):
    # 6008: 在2014年和2015年将农村地区新增的人均5元…全部用于乡村医生 (history, in a document of December 2015)
    assert find_deadline(source.line(6008), 2015) is None


def test_a_month_with_a_completion_verb_is_a_deadline(source):
    # 5216: 11月底完成“近零排放”改造工作
    assert find_deadline(source.line(5216), 2015) == Deadline("11月底", date(2015, 11, 30), "date")
