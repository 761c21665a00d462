"""The 空气质量 sheet: read, validated row by row, quarantined with Chinese reasons, loaded into
raw.air_quality_readings in the file's transaction, and reported as quarters touched."""
from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import duckdb
import openpyxl
import pytest

from dagster_project.submissions.formats import AIR_QUALITY, classify, map_headers, read_submission
from dagster_project.submissions.kinds.air_quality import AIR_QUALITY_KIND
from dagster_project.submissions.loader import load_files
from dagster_project.submissions.raw_tables import SUBMISSION_TABLES
from dagster_project.submissions.reference import load_reference
from dagster_project.submissions.validation import REASON_CODES, parse_index, parse_quarter, validate_file
from tests.unit.test_submission_validation import create_raw_tables, create_reference_tables

TODAY = date(2016, 4, 15)
STATIONS_SQL = """
create table raw.air_quality_stations (station_id varchar, name varchar, kind varchar, region_code varchar, line varchar);
insert into raw.air_quality_stations values
  ('aq-131002-n1', '药材公司', 'national', '131002', '7147'),
  ('aq-131003-n1', '北华航天学院', 'national', '131003', '7147'),
  ('aq-131003-n2', '环境监测监理中心', 'national', '131003', '7147'),
  ('aq-131082-p1', '三河市省控站', 'provincial', '131082', '7149');
insert into raw.regions values ('131003', '广阳区', '广阳', 'district', '市区组');
insert into raw.organizations values
  ('lf-environment', '廊坊市环境保护局', '市环保局', 'government_department', 'municipal', null, null, null);
"""
HEADER = "监测站,季度,综合指数,填报单位"
GOOD = ["药材公司,2016Q1,8.52,市环保局", "三河市省控站,2015Q4,10.1234,市环保局"]


def _setup(con: duckdb.DuckDBPyConnection) -> None:
    create_reference_tables(con)
    con.execute(STATIONS_SQL)


@pytest.fixture(scope="module")
def reference():
    with duckdb.connect() as con:
        _setup(con)
        return load_reference(con)


def run(reference, bad: list[str], good: list[str] = GOOD, header: str = HEADER, name: str = "空气质量.csv"):
    text = "\n".join([header, *good, *bad]) + "\n"
    return validate_file(text.encode("utf-8"), name, reference, TODAY)


def quarantined(result, code: str, row: int, column: str | None):
    assert result.rows_accepted == 2 and result.status == "partially_accepted", [p.reason for p in result.problems]
    problem = next(p for p in result.problems if p.reason_code == code)
    assert (problem.row_number, problem.column_name) == (row, column)
    assert problem.reason.startswith(f"文件“{result.file_name}”第{row}行"), problem.reason
    assert code in REASON_CODES
    return problem


def test_headers_classify_as_air_quality():
    fields, twice = map_headers(["监测站", "季度", "综合指数", "填报单位"])
    assert classify(fields) == AIR_QUALITY and not twice
    fields, _ = map_headers(["station", "quarter", "composite_index", "reported_by"])
    assert classify(fields) == AIR_QUALITY
    fields, _ = map_headers(["监测点", "统计季度", "空气质量综合指数", "报送单位"])
    assert set(fields) == {"station", "quarter", "composite_index", "reported_by"}


def test_good_rows_are_exact_decimals(reference):
    result = run(reference, [])
    assert result.status == "accepted" and not result.problems
    good = result.good_rows(AIR_QUALITY)
    assert good["station_id"].tolist() == ["aq-131002-n1", "aq-131082-p1"]
    assert good["quarter"].tolist() == ["2016Q1", "2015Q4"]
    assert good["composite_index"].tolist() == ["8.52", "10.1234"]          # text of a Decimal, never a float
    assert [d.date() for d in good["quarter_end"]] == [date(2016, 3, 31), date(2015, 12, 31)]


@pytest.mark.parametrize("written, station", [("药材公司监测点", "aq-131002-n1"), ("aq-131003-n2", "aq-131003-n2"),
                                              ("三河", "aq-131082-p1"), ("安次区", "aq-131002-n1"),
                                              ("三河市省控监测站", "aq-131082-p1")])
def test_station_names_ids_and_single_station_units(reference, written, station):
    result = run(reference, [], good=[f"{written},2016Q1,8.5,市环保局"])
    assert result.good_rows(AIR_QUALITY)["station_id"].tolist() == [station], [p.reason for p in result.problems]


def test_unknown_station_and_a_unit_with_two_stations(reference):
    result = run(reference, ["广阳区,2016Q1,8.5,市环保局"])
    problem = quarantined(result, "unknown_station", 4, "station")
    assert "监测站“广阳区”不在监测站名录中" in problem.reason


@pytest.mark.parametrize("text, parsed", [("2016Q1", ("2016Q1", date(2016, 3, 31))), ("2015q4", ("2015Q4", date(2015, 12, 31))),
                                          ("2015年第三季度", ("2015Q3", date(2015, 9, 30))), ("２０１６Ｑ１", ("2016Q1", date(2016, 3, 31))),
                                          ("2016-03", None), ("2016Q5", None), ("2016", None)])
def test_parse_quarter(text, parsed):
    assert parse_quarter(text) == parsed


@pytest.mark.parametrize("quarter, code", [("2016-03", "invalid_quarter"), ("2016Q2", "quarter_not_ended"),
                                           ("=A1", "formula_not_allowed")])
def test_bad_quarters(reference, quarter, code):
    problem = quarantined(run(reference, [f"药材公司,{quarter},8.5,市环保局"]), code, 4, "quarter")
    if code == "quarter_not_ended":
        assert "季度 2016Q2 尚未结束（今天是 2016-04-15）" in problem.reason


@pytest.mark.parametrize("value, code", [("0", "index_out_of_range"), ("-3", "index_out_of_range"),
                                         ("1000", "index_out_of_range"), ("8.12345", "too_many_decimals"),
                                         ("八点五", "non_numeric_value"), ("8.5%", "non_numeric_value"), ("", "missing_value")])
def test_bad_indices(reference, value, code):
    problem = quarantined(run(reference, [f"北华航天学院,2016Q1,{value},市环保局"]), code, 4, "composite_index")
    assert "综合指数" in problem.reason or code == "missing_value"


def test_parse_index_is_decimal():
    assert parse_index("0.1") == ("ok", Decimal("0.1"))
    assert parse_index("1,008.5") == ("range", Decimal("1008.5"))
    assert parse_index("８.５") == ("ok", Decimal("8.5"))


def test_conflicting_values_for_one_station_and_quarter_in_one_file(reference):
    result = run(reference, ["药材公司,2016Q1,8.6,市环保局"], good=GOOD)
    assert result.rows_accepted == 1
    assert {(p.row_number, p.reason_code) for p in result.problems} == {(2, "conflicting_rows"), (4, "conflicting_rows")}
    assert "监测站和季度相同但内容不同" in result.problems[0].reason


def test_an_xlsx_sheet_named_air_quality_with_a_numeric_cell(reference):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "空气质量"
    sheet.append(["监测站", "季度", "综合指数", "填报单位"])
    sheet.append(["药材公司", "2016Q1", 8.52, "市环保局"])
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    assert read_submission(data).sheets[0].kind == AIR_QUALITY
    result = validate_file(data, "市环保局.xlsx", reference, TODAY)
    assert result.good_rows(AIR_QUALITY)["composite_index"].tolist() == ["8.52"]


def test_the_loader_writes_decimals_and_reports_the_quarters(tmp_path):
    path = tmp_path / "空气质量.csv"
    path.write_text("\n".join([HEADER, *GOOD, "广阳区,2016Q1,8.5,市环保局"]) + "\n", encoding="utf-8")
    with duckdb.connect() as con:
        _setup(con)
        create_raw_tables(con)
        result = load_files(con, [path], partition_date=TODAY, today=TODAY)
        rows = con.execute("select station_id, quarter, composite_index, typeof(composite_index), org_id, row_number "
                           "from raw.air_quality_readings order by row_number").fetchall()
        quarantine = con.execute("select reason_code, row_number from raw.quarantined_rows").fetchall()
    assert rows == [("aq-131002-n1", "2016Q1", Decimal("8.5200"), "DECIMAL(18,4)", "lf-environment", 2),
                    ("aq-131082-p1", "2015Q4", Decimal("10.1234"), "DECIMAL(18,4)", "lf-environment", 3)]
    assert quarantine == [("unknown_station", 4)]
    assert result.quarters == {"2016Q1": date(2016, 3, 31), "2015Q4": date(2015, 12, 31)}
    assert result.data_days == {date(2016, 3, 31), date(2015, 12, 31)}
    assert result.summary()["quarters"] == ["2015Q4", "2016Q1"]


def test_the_loader_creates_a_raw_table_the_warehouse_lacks(tmp_path):
    """A warehouse built before air quality was a kind has no raw.air_quality_readings: the loader, which owns
    the raw DDL, creates it (with its comments) and loads the file, instead of failing the load."""
    path = tmp_path / "空气质量.csv"
    path.write_text("\n".join([HEADER, *GOOD]) + "\n", encoding="utf-8")
    with duckdb.connect() as con:
        _setup(con)
        con.execute("create schema if not exists raw")
        for table in SUBMISSION_TABLES:
            if table.name != "air_quality_readings":
                con.execute(table.create_sql())
        result = load_files(con, [path], partition_date=TODAY, today=TODAY)
        assert result.summary()["quarters"] == ["2015Q4", "2016Q1"]
        assert con.execute("select count(*) from raw.air_quality_readings").fetchone()[0] == 2
        comment = con.execute("select comment from duckdb_columns() where schema_name = 'raw' "
                              "and table_name = 'air_quality_readings' and column_name = 'quarter'").fetchone()[0]
        assert comment == AIR_QUALITY_KIND.table.column("quarter").description
