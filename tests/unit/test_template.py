"""The department template: pre-filled tasks, drop-downs, escaped text, and a filled-in copy loads."""
from __future__ import annotations

from datetime import date, datetime

import duckdb
import openpyxl
import pytest

from dagster_project.submissions.inbox import submit
from dagster_project.submissions.loader import load_files
from dagster_project.submissions.template import escape_text, write_template
from tests.unit.test_submission_validation import create_raw_tables, create_reference_tables

TODAY = date(2015, 12, 1)


@pytest.fixture()
def con(tmp_path):
    connection = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    create_reference_tables(connection)
    create_raw_tables(connection)
    yield connection
    connection.close()


def test_template_lists_the_organisations_tasks_with_drop_downs(tmp_path, con):
    info = write_template(con, "人社局", tmp_path / "t.xlsx")          # an alias works
    assert (info.org_id, info.tasks, info.indicators, info.indicator_scope) == ("org-rsj", 2, 1, "tasks")
    workbook = openpyxl.load_workbook(tmp_path / "t.xlsx")
    assert workbook.sheetnames == ["任务进展", "指标数据", "说明"]
    sheet = workbook["任务进展"]
    assert [c.value for c in sheet[1]] == ["任务编号", "任务内容", "期限", "上次状态", "填报日期", "状态", "完成进度",
                                           "进展说明", "填报单位", "本单位职责"]
    assert [sheet.cell(row, 1).value for row in (2, 3)] == ["lz-2015-054-t001", "lz-2015-054-t002"]
    assert sheet["C2"].value == "2015-12-31" and sheet["I2"].value == "廊坊市人力资源和社会保障局"
    assert sheet["J2"].value.startswith("牵头")                          # the clerk is told whose report counts
    assert sheet["B3"].value == "'=HYPERLINK(\"http://x\")建立台账"            # escaped, never a formula
    assert sheet["B3"].data_type == "s"
    lists = [dv for dv in sheet.data_validations.dataValidation if dv.type == "list"]
    assert lists and lists[0].formula1 == '"未启动,推进中,已完成,已延期,受阻"' and "F2" in str(lists[0].sqref)
    indicators = workbook["指标数据"]
    assert [c.value for c in indicators[1]] == ["指标编号", "指标名称", "地区", "统计期", "数值", "单位", "填报单位"]
    assert [c.value for c in indicators[2]][:3] == ["ind-001", "城镇新增就业人数", "全市"]
    region_list = indicators.data_validations.dataValidation[0]
    assert region_list.formula1.startswith('"全市,') and "三河市" in region_list.formula1
    notes = "\n".join(str(r[0].value or "") for r in workbook["说明"].iter_rows())
    assert "未启动、推进中、已完成、已延期、受阻" in notes and "2015Q3" in notes


def test_a_co_operating_body_is_told_its_report_does_not_move_the_status(tmp_path, con):
    write_template(con, "org-mzj", tmp_path / "m.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "m.xlsx")["任务进展"]
    roles = {sheet.cell(row, 1).value: sheet.cell(row, 10).value for row in range(2, sheet.max_row + 1)
             if sheet.cell(row, 1).value}
    assert set(roles) == {"lz-2015-054-t001", "lz-2015-059-t002"}
    assert all(role.startswith("配合") and "不改变任务状态" in role for role in roles.values())


def test_indicator_scope_falls_back_to_documents_then_all(tmp_path, con):
    assert write_template(con, "org-fzb", tmp_path / "f.xlsx").indicator_scope == "documents"
    all_of_them = write_template(con, "廊坊市统计局", tmp_path / "s.xlsx")
    assert (all_of_them.tasks, all_of_them.indicator_scope, all_of_them.indicators) == (0, "all", 3)


def test_unknown_organisation_is_an_error(tmp_path, con):
    with pytest.raises(ValueError, match="unknown_organization"):
        write_template(con, "火星局", tmp_path / "x.xlsx")


def test_filled_in_template_round_trips_into_raw(tmp_path, con):
    write_template(con, "org-rsj", tmp_path / "template.xlsx")
    workbook = openpyxl.load_workbook(tmp_path / "template.xlsx")
    sheet = workbook["任务进展"]
    sheet["E2"] = datetime(2015, 9, 30)
    sheet["F2"] = "推进中"
    sheet["G2"] = 0.85
    sheet["G2"].number_format = "0%"                                 # the clerk typed 85%
    sheet["H2"] = "=已召开专场招聘会"                                   # Excel would make this a formula
    # row 3 (lz-2015-054-t002) is left unfilled: it is skipped, not quarantined
    indicators = workbook["指标数据"]
    indicators["D2"] = "2015Q3"
    indicators["E2"] = 1.52
    workbook.save(tmp_path / "filled.xlsx")

    result, = submit([tmp_path / "filled.xlsx"], inbox_dir=tmp_path / "inbox", con=con, today=TODAY)
    assert (result.status, result.rows_total, result.rows_accepted, result.rows_blank) == ("accepted", 2, 2, 1), \
        result.reasons
    loaded = load_files(con, [result.stored_path], date(2015, 12, 2), TODAY)
    assert loaded.files[0].status == "accepted"
    assert con.execute("select task_id, report_date, status, percent_complete, note, org_id from raw.progress_reports"
                       ).fetchall() == [("lz-2015-054-t001", date(2015, 9, 30), "in_progress", 85.0,
                                         "=已召开专场招聘会", "org-rsj")]
    assert con.execute("select indicator_id, region_code, period, value, unit from raw.indicator_values").fetchall() == [
        ("ind-001", "131000", "2015Q3", 1.52, "万人")]

    again = write_template(con, "org-rsj", tmp_path / "next.xlsx")      # now with the last reported status
    assert again.tasks == 2
    assert openpyxl.load_workbook(tmp_path / "next.xlsx")["任务进展"]["D2"].value == "推进中"


def test_escape_text():
    assert [escape_text(v) for v in ("=1+1", "+1", "-1", "@x", "ok", 5)] == ["'=1+1", "'+1", "'-1", "'@x", "ok", 5]


def test_each_declared_template_sheet_reads_back_as_its_kind():
    """The headers the template writes (from the kinds' declarations) map back to the same fields and kind,
    every field of the kind is in its sheet, and the reference columns are read and ignored."""
    from dagster_project.submissions.formats import classify, map_headers
    from dagster_project.submissions.kinds import KINDS

    for name, kind in KINDS.items():
        if not kind.template:
            continue
        headers = [kind.header(c.name) for c in kind.template]
        fields, twice = map_headers(headers)
        assert not twice and classify(fields) == name
        assert set(fields) == set(kind.field_names), name
        assert {c.name for c in kind.template} - set(fields) == {f.name for f in kind.info_headers}, name
        assert all(kind.template_letter(field) == chr(ord("A") + position) for field, position in fields.items())
