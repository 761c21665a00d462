"""Row-level rules: for every class of bad input, the good rows pass and the bad row is quarantined
with the right reason_code and a Chinese sentence naming the file, row and column.

Also home of the small reference fixture (seed-shaped tables in DuckDB) that the other submission
tests import, so the fixture has one definition.
"""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import duckdb

from dagster_project.raw_layer import ensure_raw_tables
import pytest

from dagster_project.submissions.reference import load_reference, lookup_key
from dagster_project.submissions.validation import (
    REASON_CODES,
    parse_date,
    parse_number,
    parse_period,
    parse_status,
    validate_file,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2015, 12, 1)

REFERENCE_SQL = """
create schema if not exists raw;
create table raw.tasks (task_id varchar, doc_id varchar, task_ref varchar, task_text varchar, deadline_date date);
insert into raw.tasks values
  ('lz-2015-054-t001', 'lz-2015-054', '1', '做好随军家属就业安置工作', '2015-12-31'),
  ('lz-2015-054-t002', 'lz-2015-054', '2', '=HYPERLINK("http://x")建立台账', '2016-06-30'),
  ('lz-2015-059-t001', 'lz-2015-059', '1', '深入推进依法行政', null),
  ('lz-2015-059-t002', 'lz-2015-059', '2', '健全依法决策机制', '2015-10-31');
create table raw.task_assignments (task_id varchar, org_id varchar, role varchar, name_as_printed varchar, generic boolean);
insert into raw.task_assignments values
  ('lz-2015-054-t001', 'org-rsj', 'lead', '市人社局', false),
  ('lz-2015-054-t001', 'org-mzj', 'co', '市民政局', false),
  ('lz-2015-054-t002', 'org-rsj', 'lead', '市人社局', false),
  ('lz-2015-059-t001', null, 'lead', '有关部门', true),
  ('lz-2015-059-t002', 'org-fzb', 'lead', '市法制办', false),
  ('lz-2015-059-t002', 'org-mzj', 'co', '市民政局', false);
create table raw.organizations (org_id varchar, name varchar, short_name varchar, kind varchar, level varchar,
  parent_org_id varchar, valid_from date, valid_to date);
insert into raw.organizations values
  ('org-rsj', '廊坊市人力资源和社会保障局', '市人社局', 'bureau', 'municipal', null, null, null),
  ('org-mzj', '廊坊市民政局', '市民政局', 'bureau', 'municipal', null, null, null),
  ('org-fzb', '廊坊市人民政府法制办公室', '市法制办', 'office', 'municipal', null, null, null),
  ('org-tjj', '廊坊市统计局', '市统计局', 'bureau', 'municipal', null, null, null),
  ('org-fgw', '廊坊市发展和改革委员会', '市发改委', 'commission', 'municipal', null, null, null);
create table raw.organization_aliases (alias varchar, org_id varchar);
insert into raw.organization_aliases values
  ('人社局', 'org-rsj'), ('人力社保局', 'org-rsj'), ('统计局', 'org-tjj'), ('发改委', 'org-fgw'),
  ('市局', 'org-rsj'), ('市局', 'org-mzj');
create table raw.indicators (indicator_id varchar, name varchar, unit varchar, direction varchar, description varchar);
insert into raw.indicators values
  ('ind-001', '城镇新增就业人数', '万人', 'up', ''),
  ('ind-002', '细颗粒物(PM2.5)浓度下降', '%', 'up', ''),
  ('ind-003', '法治政府建设考核得分', '分', 'up', '');
create table raw.regions (region_code varchar, name varchar, short_name varchar, kind varchar, aq_group varchar);
insert into raw.regions values
  ('131000', '廊坊市', '廊坊', 'city', ''),
  ('131002', '安次区', '安次', 'district', '市区组'),
  ('131082', '三河市', '三河', 'county_level_city', '北片组'),
  ('131028', '大厂回族自治县', '大厂', 'autonomous_county', '北片组');
create table raw.targets (target_id varchar, doc_id varchar, task_id varchar, indicator_id varchar);
insert into raw.targets values ('tg-1', 'lz-2015-054', 'lz-2015-054-t001', 'ind-001'),
  ('tg-2', 'lz-2015-059', null, 'ind-003');
"""


def create_reference_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Seed-shaped reference tables (the columns of `policy-wh extract`'s seeds that submissions use)."""
    con.execute(REFERENCE_SQL)


def create_raw_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Every raw table, from its declaration (dagster_project/raw_layer.py), as the loader and dbt get them."""
    ensure_raw_tables(con)


@pytest.fixture(scope="module")
def reference():
    with duckdb.connect() as con:
        create_reference_tables(con)
        return load_reference(con)


PROGRESS_HEADER = "任务编号,填报日期,状态,完成进度,进展说明,填报单位"
GOOD_PROGRESS = [
    "lz-2015-054-t001,2015-09-30,推进中,85%,按计划推进,市人社局",
    "lz-2015-054-t002,2015-10-15,已完成,100,台账已建立,人力社保局",
]
INDICATOR_HEADER = "指标编号,地区,统计期,数值,单位,填报单位"
GOOD_INDICATORS = [
    "ind-001,全市,2015Q3,1.52,万人,市统计局",
    "ind-002,三河,2015-09,3.5,％,统计局",
]


def run(reference, header: str, good: list[str], bad: list[str], name: str = "进展.csv", encoding: str = "utf-8"):
    text = "\n".join([header, *good, *bad]) + "\n"
    return validate_file(text.encode(encoding), name, reference, TODAY)


def assert_quarantined(result, reason_code: str, row_number: int, column: str | None, good_rows: int = 2):
    assert result.rows_accepted == good_rows, [p.reason for p in result.problems]
    assert result.status == "partially_accepted"
    codes = {(p.row_number, p.column_name, p.reason_code) for p in result.problems}
    assert (row_number, column, reason_code) in codes, codes
    problem = next(p for p in result.problems if p.reason_code == reason_code)
    assert problem.reason.startswith(f"文件“{result.file_name}”第{row_number}行"), problem.reason
    assert reason_code in REASON_CODES
    return problem


# --- progress rows --------------------------------------------------------------------------------------

def test_good_progress_rows_all_load(reference):
    result = run(reference, PROGRESS_HEADER, GOOD_PROGRESS, [])
    assert result.status == "accepted" and result.rows_accepted == 2 and not result.problems
    good = result.good_rows("progress")
    assert good["org_id"].tolist() == ["org-rsj", "org-rsj"]
    assert good["status"].tolist() == ["in_progress", "done"]
    assert good["percent_complete"].tolist() == [85.0, 100.0]
    assert good["row_number"].tolist() == [2, 3]


def test_unknown_task(reference):
    result = run(reference, PROGRESS_HEADER, GOOD_PROGRESS, ["lz-2015-999-t001,2015-09-30,推进中,50,,市人社局"])
    problem = assert_quarantined(result, "unknown_task", 4, "task_id")
    assert problem.raw_value == "lz-2015-999-t001"
    assert problem.reason == ("文件“进展.csv”第4行“任务编号”列：任务编号 lz-2015-999-t001 不存在，请核对模板中的任务编号。")
    assert '"任务编号": "lz-2015-999-t001"' in problem.raw_row


def test_task_ids_match_whatever_the_case_and_width(reference):
    result = run(reference, PROGRESS_HEADER, ["ＬＺ-2015-054-T001 ,2015-09-30,推进中,50,,市人社局"], [])
    assert result.rows_accepted == 1
    assert result.good_rows("progress")["task_id"].tolist() == ["lz-2015-054-t001"]


def test_organisation_not_assigned_to_the_task(reference):
    result = run(reference, PROGRESS_HEADER, GOOD_PROGRESS, ["lz-2015-054-t002,2015-09-30,推进中,50,,市民政局"])
    problem = assert_quarantined(result, "organization_not_assigned", 4, "reported_by")
    assert "lz-2015-054-t002" in problem.reason


def test_unknown_and_ambiguous_organisation(reference):
    result = run(reference, PROGRESS_HEADER, GOOD_PROGRESS, [
        "lz-2015-054-t001,2015-09-30,推进中,50,,火星局",
        "lz-2015-059-t002,2015-09-30,推进中,50,,市局",       # 市局 = 人社局 or 民政局; only 民政局 is assigned
        "lz-2015-054-t001,2015-10-30,推进中,50,,市局",       # both assigned: ambiguous
    ], )
    assert result.rows_accepted == 3
    assert {(p.row_number, p.reason_code) for p in result.problems} == {
        (4, "unknown_organization"), (6, "ambiguous_organization")}
    assert result.good_rows("progress")["org_id"].tolist()[-1] == "org-mzj"


def test_generic_only_assignment_accepts_any_known_organisation(reference):
    result = run(reference, PROGRESS_HEADER, ["lz-2015-059-t001,2015-09-30,推进中,,,发改委"], [])
    assert result.status == "accepted"


@pytest.mark.parametrize("status", ["进行中吧", "finished", "1"])
def test_status_not_in_the_list(reference, status):
    result = run(reference, PROGRESS_HEADER, GOOD_PROGRESS, [f"lz-2015-054-t001,2015-10-30,{status},50,,市人社局"])
    problem = assert_quarantined(result, "invalid_status", 4, "status")
    assert "未启动、推进中、已完成、已延期、受阻" in problem.reason


def test_status_accepts_chinese_and_english(reference):
    rows = [f"lz-2015-054-t001,2015-09-{d:02d},{s},,,市人社局" for d, s in enumerate(
        ["未启动", "not_started", "In Progress", "done", "已延期", "delayed", "受阻", "BLOCKED"], start=1)]
    result = run(reference, PROGRESS_HEADER, rows, [])
    assert result.status == "accepted"
    assert result.good_rows("progress")["status"].tolist() == [
        "not_started", "not_started", "in_progress", "done", "delayed", "delayed", "blocked", "blocked"]


@pytest.mark.parametrize("percent, code", [("101", "percent_out_of_range"), ("-5", "percent_out_of_range"),
                                           ("120%", "percent_out_of_range"), ("八十", "invalid_percent"),
                                           ("85 percent", "invalid_percent"), ("=A1*100", "formula_not_allowed")])
def test_bad_percent(reference, percent, code):
    result = run(reference, PROGRESS_HEADER, GOOD_PROGRESS, [f"lz-2015-054-t001,2015-10-30,推进中,{percent},,市人社局"])
    problem = assert_quarantined(result, code, 4, "percent_complete")
    assert problem.raw_value == percent


@pytest.mark.parametrize("text, value", [("85%", 85.0), ("８５％", 85.0), ("85.5", 85.5), ("0", 0.0), ("100", 100.0)])
def test_percent_forms(reference, text, value):
    result = run(reference, PROGRESS_HEADER, [f"lz-2015-054-t001,2015-09-30,推进中,{text},,市人社局"], [])
    assert result.good_rows("progress")["percent_complete"].tolist() == [value]


@pytest.mark.parametrize("text, code", [("2015-02-30", "invalid_date"), ("30/9/2015", "invalid_date"),
                                        ("昨天", "invalid_date"), ("2015-12-02", "future_date"),
                                        ("2016年1月1日", "future_date")])
def test_bad_report_date(reference, text, code):
    result = run(reference, PROGRESS_HEADER, GOOD_PROGRESS, [f"lz-2015-054-t001,{text},推进中,50,,市人社局"])
    assert_quarantined(result, code, 4, "report_date")


def test_date_forms_and_today_is_not_future(reference):
    rows = [f"lz-2015-054-t001,{d},推进中,,,市人社局" for d in
            ("2015/9/1", "2015.9.2", "2015年9月3日", "20150904", "2015-09-05 00:00:00", "2015-12-01")]
    result = run(reference, PROGRESS_HEADER, rows, [])
    assert result.status == "accepted"
    assert [d.day for d in result.good_rows("progress")["report_date"]] == [1, 2, 3, 4, 5, 1]


def test_missing_required_value(reference):
    result = run(reference, PROGRESS_HEADER, GOOD_PROGRESS, [",2015-10-30,推进中,50,,市人社局",
                                                             "lz-2015-054-t001,2015-10-30,推进中,50,,"])
    assert {(p.row_number, p.column_name, p.reason_code) for p in result.problems} == {
        (4, "task_id", "missing_value"), (5, "reported_by", "missing_value")}
    assert result.rows_accepted == 2


def test_exact_duplicate_row_loads_once(reference):
    result = run(reference, PROGRESS_HEADER, GOOD_PROGRESS, [GOOD_PROGRESS[0]])
    problem = assert_quarantined(result, "duplicate_row", 4, None)
    assert "第2行" in problem.reason


def test_conflicting_rows_are_all_quarantined(reference):
    result = run(reference, PROGRESS_HEADER, GOOD_PROGRESS, ["lz-2015-054-t001,2015-09-30,推进中,60,改了,市人社局"])
    assert result.rows_accepted == 1
    assert {(p.row_number, p.reason_code) for p in result.problems} == {(2, "conflicting_rows"), (4, "conflicting_rows")}


def test_a_row_with_several_problems_lists_them_all_and_counts_once(reference):
    result = run(reference, PROGRESS_HEADER, GOOD_PROGRESS, ["lz-2015-999-t001,2099-01-01,好,200,,火星局"])
    assert result.rows_quarantined == 1
    assert {p.reason_code for p in result.problems} == {
        "unknown_task", "future_date", "invalid_status", "percent_out_of_range", "unknown_organization"}


def test_formula_like_text_is_kept_verbatim_as_a_note(reference):
    result = run(reference, PROGRESS_HEADER, ['lz-2015-054-t001,2015-09-30,推进中,50,"=cmd|\' /C calc\'!A0",市人社局',
                                              "lz-2015-054-t002,2015-09-30,推进中,50,@SUM(1+1),市人社局",
                                              "lz-2015-059-t001,2015-09-30,推进中,50,-2+3,发改委",
                                              "lz-2015-059-t002,2015-09-30,推进中,50,+1,市法制办"], [])
    assert result.status == "accepted"
    assert result.good_rows("progress")["note"].tolist() == ["=cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3", "+1"]


def test_english_headers(reference):
    header = "Task ID,report_date,Status,percent_complete,Note,Reported By"
    result = run(reference, header, GOOD_PROGRESS, ["lz-2015-999-t001,2015-09-30,done,1,,市人社局"])
    problem = assert_quarantined(result, "unknown_task", 4, "task_id")
    assert "“Task ID”列" in problem.reason


def test_all_rows_bad_rejects_the_file_but_keeps_the_problems(reference):
    result = run(reference, PROGRESS_HEADER, [], ["lz-2015-999-t001,2015-09-30,推进中,50,,市人社局"])
    assert result.status == "rejected" and result.rows_quarantined == 1
    assert result.error_code == "no_valid_rows" and "全部 1 行" in result.error


# --- indicator rows -------------------------------------------------------------------------------------

def test_good_indicator_rows(reference):
    result = run(reference, INDICATOR_HEADER, GOOD_INDICATORS + ["ind-003,安次区,2015,95,,市法制办",
                                                                 "ind-002,131028,2015H1,12%,,统计局"], [])
    assert result.status == "accepted", [p.reason for p in result.problems]
    good = result.good_rows("indicators")
    assert good["region_code"].tolist() == ["131000", "131082", "131002", "131028"]
    assert [(s.date().isoformat(), e.date().isoformat()) for s, e in zip(good["period_start"], good["period_end"])] == [
        ("2015-07-01", "2015-09-30"), ("2015-09-01", "2015-09-30"), ("2015-01-01", "2015-12-31"),
        ("2015-01-01", "2015-06-30")]
    assert good["unit"].tolist() == ["万人", "%", "分", "%"]
    assert good["value"].tolist() == [1.52, 3.5, 95.0, 12.0]


@pytest.mark.parametrize("row, code, column", [
    ("ind-999,全市,2015,1,万人,统计局", "unknown_indicator", "indicator_id"),
    ("ind-001,火星,2015,1,万人,统计局", "unknown_region", "region"),
    ("ind-001,全市,2015-13,1,万人,统计局", "invalid_period", "period"),
    ("ind-001,全市,2015Q5,1,万人,统计局", "invalid_period", "period"),
    ("ind-001,全市,2016Q1,1,万人,统计局", "future_date", "period"),
    ("ind-001,全市,2015,一万,万人,统计局", "non_numeric_value", "value"),
    ("ind-001,全市,2015,1.5万,万人,统计局", "non_numeric_value", "value"),
    ("ind-001,全市,2015,=B2*2,万人,统计局", "formula_not_allowed", "value"),
    ("ind-001,全市,2015,15000,人,统计局", "unit_mismatch", "unit"),
    ("ind-001,全市,2015,15,%,统计局", "unit_mismatch", "unit"),
    ("ind-001,全市,2015,15,万人,不存在局", "unknown_organization", "reported_by"),
    ("ind-001,全市,2015,,万人,统计局", "missing_value", "value"),
])
def test_bad_indicator_rows(reference, row, code, column):
    result = run(reference, INDICATOR_HEADER, GOOD_INDICATORS, [row], name="指标.csv")
    assert_quarantined(result, code, 4, column)


def test_unit_mismatch_message(reference):
    result = run(reference, INDICATOR_HEADER, GOOD_INDICATORS, ["ind-001,全市,2015,15000,人,统计局"], name="指标.csv")
    assert result.problems[0].reason == (
        "文件“指标.csv”第4行“单位”列：单位“人”与指标 ind-001 的单位“万人”不一致，请换算成“万人”后填写。")


def test_indicator_duplicates(reference):
    result = run(reference, INDICATOR_HEADER, GOOD_INDICATORS, [GOOD_INDICATORS[1]], name="指标.csv")
    assert_quarantined(result, "duplicate_row", 4, None)


def test_negative_and_thousands_values(reference):
    result = run(reference, INDICATOR_HEADER, ['ind-002,全市,2015-09-30,-3.5,%,统计局', 'ind-001,全市,2015,"1,234.5",万人,统计局'], [])
    assert result.good_rows("indicators")["value"].tolist() == [-3.5, 1234.5]


# --- parsers --------------------------------------------------------------------------------------------

def test_parsers():
    assert parse_date("2015-9-30") == date(2015, 9, 30)
    assert parse_date("2015-09-30T08:00") == date(2015, 9, 30)
    assert parse_date("2015-09-30 later") is None
    assert parse_period("2015年第三季度") == (date(2015, 7, 1), date(2015, 9, 30))
    assert parse_period("2015-q4") == (date(2015, 10, 1), date(2015, 12, 31))
    assert parse_period("2016-02") == (date(2016, 2, 1), date(2016, 2, 29))
    assert parse_period("2015年") == (date(2015, 1, 1), date(2015, 12, 31))
    assert parse_period("Q3") is None
    assert parse_status("  已完成 ") == "done"
    assert parse_number("1,234") == (1234.0, False)
    assert parse_number("12%") == (12.0, True)
    assert parse_number("1e3")[0] == 1000.0
    assert parse_number("abc") == (None, False)
    assert lookup_key(" ＬＺ-2015 ") == "lz-2015"
