"""Reading submitted files: encodings, headers, xlsx cells as the clerk sees them, file-level rejections."""
from __future__ import annotations

import io
import zipfile
from datetime import datetime

import openpyxl
import pytest

from dagster_project.submissions.formats import (
    INDICATORS,
    PROGRESS,
    FileRejected,
    cell_text,
    classify,
    map_headers,
    read_submission,
)

CSV_TEXT = "任务编号,填报日期,状态,完成进度,进展说明,填报单位\nlz-2015-054-t001,2015-09-30,推进中,85%,按计划推进，已完成招聘会,廊坊市人力资源和社会保障局\n"


def xlsx_bytes(sheets: dict[str, list[list[object]]], formats: dict[tuple[str, str], str] | None = None) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    for (title, ref), number_format in (formats or {}).items():
        workbook[title][ref].number_format = number_format
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("encoding, expected", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030"), ("gb18030", "gb18030"), ("utf-16", "utf-16"),
])
def test_csv_encodings_are_detected(encoding, expected):
    submission = read_submission(CSV_TEXT.encode(encoding))
    assert submission.file_type == "csv" and submission.encoding == expected
    sheet = submission.sheets[0]
    assert sheet.kind == PROGRESS and sheet.name == "任务进展"
    assert sheet.column("note").tolist() == ["按计划推进，已完成招聘会"]
    assert sheet.column("reported_by").tolist() == ["廊坊市人力资源和社会保障局"]
    assert sheet.headers[0] == "任务编号"            # the BOM is not part of the first header


def test_gbk_bytes_are_not_mistaken_for_utf8():
    data = CSV_TEXT.encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert read_submission(data).sheets[0].column("status").tolist() == ["推进中"]


def test_undecodable_csv_is_rejected():
    with pytest.raises(FileRejected) as error:
        read_submission(b"\xff\xff\xff\xfe\x81\x30" * 3)
    assert error.value.code in ("unknown_encoding", "unreadable_file")


def test_english_headers_and_variants_map_to_fields():
    fields, twice = map_headers(["Task ID", "report-date", "STATUS", "完成进度（%）", " 进展说明* ", "reported_by", "任务内容"])
    assert fields == {"task_id": 0, "report_date": 1, "status": 2, "percent_complete": 3, "note": 4, "reported_by": 5}
    assert not twice
    assert classify(fields) == PROGRESS
    indicator_fields, _ = map_headers(["indicator_id", "Region", "Period", "Value", "Unit", "Reported By"])
    assert classify(indicator_fields) == INDICATORS


def test_csv_kind_is_told_by_headers():
    text = "指标编号,地区,统计期,数值,单位,填报单位\nind-001,全市,2015Q3,1.5,万人,市统计局\n"
    sheet = read_submission(text.encode()).sheets[0]
    assert sheet.kind == INDICATORS and sheet.name == "指标数据"


def test_missing_required_columns_rejects_the_file():
    with pytest.raises(FileRejected) as error:
        read_submission("任务编号,状态,完成进度\nlz-2015-054-t001,推进中,50\n".encode())
    assert error.value.code == "missing_columns"
    assert "“填报日期”" in error.value.message and "“填报单位”" in error.value.message


def test_unrecognised_headers_reject_a_csv():
    with pytest.raises(FileRejected) as error:
        read_submission("a,b,c\n1,2,3\n".encode())
    assert error.value.code == "missing_columns"


def test_duplicate_column_rejects_the_file():
    with pytest.raises(FileRejected) as error:
        read_submission("任务编号,填报日期,状态,状态,填报单位\nx,2015-09-30,推进中,done,y\n".encode())
    assert error.value.code == "duplicate_column"


@pytest.mark.parametrize("data, code", [
    (b"", "empty_file"),
    ("任务编号,填报日期,状态,完成进度,进展说明,填报单位\n\n,,,,,\n".encode(), "empty_file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "wrong_file_type"),
    (b"%PDF-1.4\n...", "wrong_file_type"),
    (b"PK\x03\x04garbage-not-a-zip", "unreadable_file"),
    (b"MZ\x90\x00\x03\x00\x00\x00", "wrong_file_type"),
])
def test_file_level_rejections(data, code):
    with pytest.raises(FileRejected) as error:
        read_submission(data)
    assert error.value.code == code
    assert error.value.message          # a Chinese sentence for the sender


def test_a_docx_is_the_wrong_type():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(FileRejected) as error:
        read_submission(buffer.getvalue())
    assert error.value.code == "wrong_file_type"


def test_row_numbers_are_what_excel_shows_with_blank_lines_and_a_title_row():
    text = ("廊坊市任务进展报送表,,,,,\n"
            "任务编号,填报日期,状态,完成进度,进展说明,填报单位\n"
            "lz-1,2015-09-30,推进中,1,,a\n"
            "\n"
            ",,,,,\n"
            'lz-2,2015-09-30,推进中,2,"两行\n说明",a\n'
            "lz-3,2015-09-30,推进中,3,,a,extra cell\n")
    sheet = read_submission(text.encode()).sheets[0]
    assert sheet.header_row == 2
    assert sheet.column("task_id").tolist() == ["lz-1", "lz-2", "lz-3"]
    assert sheet.row_numbers.tolist() == [3, 6, 7]
    assert sheet.column("note").tolist() == ["", "两行\n说明", ""]


def test_unfilled_template_rows_are_skipped_not_quarantined():
    text = ("任务编号,任务内容,填报日期,状态,完成进度,进展说明,填报单位\n"
            "lz-1,任务一,,,,,市人社局\n"
            "lz-2,任务二,2015-09-30,推进中,,,市人社局\n")
    sheet = read_submission(text.encode()).sheets[0]
    assert len(sheet) == 1 and sheet.rows_blank == 1 and sheet.row_numbers.tolist() == [3]


def test_tab_separated_text():
    text = CSV_TEXT.replace(",", "\t").replace("按计划推进\t已完成招聘会", "按计划推进，已完成招聘会")
    assert read_submission(text.encode("utf-16")).sheets[0].column("percent_complete").tolist() == ["85%"]


# --- xlsx ----------------------------------------------------------------------------------------------

def test_xlsx_cells_read_as_the_clerk_sees_them():
    rows = [
        ["任务编号", "填报日期", "状态", "完成进度", "进展说明", "填报单位"],
        ["lz-2015-054-t001", datetime(2015, 9, 30), "推进中", 0.85, "=HYPERLINK(\"http://evil\",\"点我\")", "市人社局"],
        ["lz-2015-054-t002", "2015/10/1", "已完成", 100, "+86 123", "市人社局"],
        [None, None, None, None, None, None],
        ["lz-2015-054-t003", datetime(2015, 10, 2, 9, 30), "受阻", 12.5, "@A1", "市人社局"],
    ]
    data = xlsx_bytes({"说明": [["请按模板填写"]], "任务进展": rows}, {("任务进展", "D2"): "0%"})
    submission = read_submission(data)
    assert submission.file_type == "xlsx" and len(submission.sheets) == 1      # 说明 is not a data sheet
    sheet = submission.sheets[0]
    assert sheet.column("report_date").tolist() == ["2015-09-30", "2015/10/1", "2015-10-02 09:30:00"]
    assert sheet.column("percent_complete").tolist() == ["85%", "100", "12.5"]
    assert sheet.column("note").tolist() == ['=HYPERLINK("http://evil","点我")', "+86 123", "@A1"]   # never evaluated
    assert sheet.row_numbers.tolist() == [2, 3, 5]


def test_xlsx_month_typed_into_a_date_cell_stays_a_month():
    rows = [["指标编号", "地区", "统计期", "数值", "单位", "填报单位"], ["ind-001", "全市", datetime(2015, 9, 1), 1.5, "万人", "x"],
            ["ind-001", "全市", 2015, 3, "万人", "x"]]
    sheet = read_submission(xlsx_bytes({"指标数据": rows}, {("指标数据", "C2"): "mmm-yy"})).sheets[0]
    assert sheet.column("period").tolist() == ["2015-09", "2015"]


def test_xlsx_sheet_found_by_headers_when_renamed_and_missing_columns_named():
    good = xlsx_bytes({"Sheet1": [["task_id", "report_date", "status", "reported_by"], ["a", "2015-09-30", "done", "b"]]})
    assert read_submission(good).sheets[0].kind == PROGRESS
    bad = xlsx_bytes({"任务进展": [["任务编号", "状态"], ["a", "done"]]})
    with pytest.raises(FileRejected) as error:
        read_submission(bad)
    assert error.value.code == "missing_columns" and "工作表“任务进展”" in error.value.message


def test_xlsx_without_data_sheets_is_rejected():
    with pytest.raises(FileRejected) as error:
        read_submission(xlsx_bytes({"Sheet1": [["姓名", "电话"], ["张三", "123"]]}))
    assert error.value.code == "missing_columns"


def test_cell_text():
    assert cell_text(12.0) == "12"
    assert cell_text(0.1 + 0.2) == "0.3"
    assert cell_text(0.855, "0.0%") == "85.5%"
    assert cell_text(True) == "TRUE"
    assert cell_text("  x ") == "x"
    assert cell_text(None) == ""


def test_cells_are_stripped_and_whitespace_only_rows_are_blank():
    text = ("任务编号,填报日期,状态,完成进度,进展说明,填报单位\n"
            ' lz-1 ,2015-09-30," 推进中",1,\u3000说明\u3000,a\n'
            "  ,  ,\u3000,  ,  ,  \n")
    sheet = read_submission(text.encode()).sheets[0]
    assert len(sheet) == 1 and sheet.rows_blank == 0
    assert (sheet.column("task_id").tolist(), sheet.column("status").tolist(), sheet.column("note").tolist()) == (
        ["lz-1"], ["推进中"], ["说明"])
