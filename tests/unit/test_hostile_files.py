"""Hostile submissions: every input bounded, nothing read that the clerk cannot see, nothing lost without a word.

Each test here failed against the code before the fix (see the report of the change): a zip bomb, a
sheet claiming a billionth row, a CSV whose quote swallows the rows after it, a stray BEL, a hidden
stale sheet, a password-protected workbook, a two-row merged header. New names are reached through the
module (``formats.MAX_ROWS``), so on the old code each test fails for its own reason.
"""
from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib
from datetime import date

import duckdb
import openpyxl
import pytest

from dagster_project.submissions import bulk_csv, formats, validation
from dagster_project.submissions.formats import FileRejected, read_submission
from dagster_project.submissions.validation import REASON_CODES, validate_file
from tests.unit.test_submission_formats import xlsx_bytes
from tests.unit.test_submission_validation import create_reference_tables

TODAY = date(2015, 12, 1)
HEADER = "任务编号,填报日期,状态,完成进度,进展说明,填报单位\n"
GOOD_ROW = "lz-2015-054-t001,2015-09-{day:02d},推进中,5,说明,市人社局\n"
SHEET_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


@pytest.fixture(scope="module")
def reference():
    from dagster_project.submissions.reference import load_reference

    with duckdb.connect() as con:
        create_reference_tables(con)
        return load_reference(con)


def good_rows(n: int, first: int = 1) -> str:
    return "".join(GOOD_ROW.format(day=first + i) for i in range(n))


def rejected_code(data: bytes) -> str:
    with pytest.raises(FileRejected) as error:
        read_submission(data)
    assert error.value.message                      # a Chinese sentence for the sender
    return error.value.code


# --- zip archives written by hand: a bomb (and one whose directory lies) -------------------------------------

def _zip(members: list[tuple[str, bytes, int, int, int, int]]) -> bytes:
    """(name, stored bytes, crc, size declared in the directory, method, true size) → a zip file."""
    out = io.BytesIO()
    central = []
    for name, payload, crc, declared, method, _ in members:
        offset = out.tell()
        encoded = name.encode()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, len(payload), declared,
                              len(encoded), 0) + encoded)
        out.write(payload)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0x21, crc, len(payload),
                                   declared, len(encoded), 0, 0, 0, 0, 0, offset) + encoded)
    start = out.tell()
    for record in central:
        out.write(record)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), out.tell() - start, start, 0))
    return out.getvalue()


def bomb_xlsx(unpacked: int, *, declared: int | None = None, padding: int = 0) -> bytes:
    """A real workbook whose 任务进展 sheet unpacks to ``unpacked`` bytes of highly compressible XML (one
    deflate block, repeated: built in about a second without ever holding the XML). ``declared``: the size
    the zip directory claims for that sheet (a lie); ``padding``: random bytes stored beside it."""
    base = zipfile.ZipFile(io.BytesIO(xlsx_bytes({"任务进展": [list(HEADER.strip().split(","))]})))
    members = []
    for info in base.infolist():
        raw = base.read(info.filename)
        if info.filename == "xl/worksheets/sheet1.xml":
            continue
        packer = zlib.compressobj(6, zlib.DEFLATED, -15)
        members.append((info.filename, packer.compress(raw) + packer.flush(), zlib.crc32(raw), len(raw), 8, len(raw)))
    head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet {SHEET_NS}><sheetData>'.encode()
    tail = b"</sheetData></worksheet>"
    chunk = b'<row r="2"><c r="A2" t="inlineStr"><is><t>lz-2015-054-t001</t></is></c></row>' * 13_000
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    block = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)   # the same bytes for every repeat
    repeats = max(1, -(-(unpacked - len(head) - len(tail)) // len(chunk)))
    end = packer.compress(tail) + packer.flush()
    crc = zlib.crc32(head)
    for _ in range(repeats):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + repeats * len(chunk) + len(tail)
    members.append(("xl/worksheets/sheet1.xml", start + block * repeats + end, crc,
                    size if declared is None else declared, 8, size))
    if padding:
        noise = random.Random(1).randbytes(padding)
        members.append(("xl/media/padding.bin", noise, zlib.crc32(noise), len(noise), 0, len(noise)))
    return _zip(members)


GIB = 1024 ** 3


@pytest.fixture(scope="module")
def zip_bomb() -> bytes:
    return bomb_xlsx(int(1.1 * GIB), padding=768 * 1024)


def test_a_zip_bomb_is_rejected_from_its_directory_before_anything_is_parsed(zip_bomb, monkeypatch):
    assert 4_000_000 < len(zip_bomb) < 6_000_000
    assert sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(zip_bomb)).infolist()) > 1.1 * GIB
    monkeypatch.setattr(openpyxl.reader.excel.ExcelReader, "read",
                        lambda self: pytest.fail("the bomb was handed to the parser"))
    assert rejected_code(zip_bomb) == "unpacked_too_large"


def test_a_zip_bomb_whose_directory_lies_is_never_unpacked_past_what_it_declares():
    liar = bomb_xlsx(int(1.1 * GIB), declared=200_000)
    assert sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(liar)).infolist()) < 1_000_000
    assert rejected_code(liar) == "unreadable_file"        # cut at the declared size: the CRC (or the XML) breaks


def test_the_unpacked_size_is_counted_again_while_the_sheets_are_read(monkeypatch):
    rows = [HEADER.strip().split(",")] + [["lz-2015-054-t001", "2015-09-30", "推进中", i, "说明" * 20, "市人社局"]
                                          for i in range(3_000)]
    data = xlsx_bytes({"任务进展": rows})
    monkeypatch.setattr(formats, "_check_unpacked", lambda data: None)     # a directory that passes
    monkeypatch.setattr(formats, "MAX_UNPACKED_BYTES", 100_000)
    with pytest.raises(FileRejected) as error:
        read_submission(data)
    assert error.value.code == "unpacked_too_large"


# --- rows, columns and cells of an .xlsx, counted while reading -----------------------------------------------

def xlsx_with_sheet(sheet_xml: str) -> bytes:
    """A workbook from the template's shape whose first sheet's XML is ``sheet_xml`` (rows only)."""
    base = zipfile.ZipFile(io.BytesIO(xlsx_bytes({"任务进展": [["x"]]})))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in base.infolist():
            payload = base.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                payload = f'<?xml version="1.0" encoding="UTF-8"?><worksheet {SHEET_NS}><sheetData>{sheet_xml}' \
                          f'</sheetData></worksheet>'.encode()
            archive.writestr(info.filename, payload)
    return out.getvalue()


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


HEADER_XML = '<row r="1">' + "".join(inline(f"{c}1", h) for c, h in zip("ABCDEF", HEADER.strip().split(","))) + "</row>"


def test_a_sheet_claiming_row_two_billion_stops_at_the_row_limit():
    data = xlsx_with_sheet(HEADER_XML + '<row r="2000000000">' + inline("A2000000000", "lz-2015-054-t001") + "</row>")
    assert rejected_code(data) == "too_many_rows"


def test_a_filled_cell_past_the_column_limit_rejects_the_sheet():
    data = xlsx_with_sheet(HEADER_XML + '<row r="2">' + inline("A2", "lz-2015-054-t001") + inline("IW2", "x") + "</row>")
    assert rejected_code(data) == "too_many_columns"


def test_rows_padded_to_column_xfd_by_empty_formatted_cells_stop_at_the_cell_limit(monkeypatch):
    monkeypatch.setattr(formats, "MAX_CELLS", 100_000)      # the same count, reached after a few rows
    rows = "".join(f'<row r="{n}">{inline(f"A{n}", "lz-2015-054-t001")}<c r="XFD{n}" s="0"/></row>'
                   for n in range(2, 40))
    assert rejected_code(xlsx_with_sheet(HEADER_XML + rows)) == "too_many_cells"


def test_empty_formatted_cells_at_the_end_of_a_row_are_not_columns():
    rows = '<row r="2">' + "".join(inline(f"{c}2", v) for c, v in zip(
        "ABCDEF", ["lz-2015-054-t001", "2015-09-30", "推进中", "5", "说明", "市人社局"])) + '<c r="IZ2" s="0"/></row>'
    sheet = read_submission(xlsx_with_sheet(HEADER_XML + rows)).sheets[0]
    assert len(sheet.headers) == 6 and sheet.column("status").tolist() == ["推进中"]


# --- limits of a CSV, the same on the row-by-row path and the bulk path -------------------------------------

EXCEL_ROWS = 1_048_576          # formats.MAX_ROWS


def hostile_csv(case: str) -> tuple[bytes, str]:
    wide = ",".join(["x"] * 300)
    return {
        "too many rows": ((HEADER + GOOD_ROW.format(day=1) * EXCEL_ROWS).encode(), "too_many_rows"),
        "too many columns": ((HEADER + good_rows(3) + f"lz-2015-054-t001,2015-09-30,推进中,5,{wide},市人社局\n").encode(),
                             "too_many_columns"),
        "too many cells": ((HEADER + "lz-2015-054-t001,2015-09-30,推进中,5," + ",".join(["x"] * 240) + "\n"
                            + "a\n" * 70_000).encode(), "too_many_cells"),
        "a line too long": ((HEADER + good_rows(3) + "lz-2015-054-t001,2015-09-30,推进中,5," + "长" * 400_000
                             + ",市人社局\n" + good_rows(3, 10)).encode(), "line_too_long"),
        "an unclosed quote": ((HEADER + good_rows(1) + 'lz-2015-054-t001,2015-09-29,推进中,5,"说明没有闭合,市人社局\n'
                               + good_rows(5, 2)).encode(), "unbalanced_quote"),
    }[case]


@pytest.mark.parametrize("case", ["too many rows", "too many columns", "too many cells", "a line too long",
                                  "an unclosed quote"])
def test_each_csv_limit_rejects_with_its_own_code_on_both_paths(case, reference):
    data, code = hostile_csv(case)
    assert len(data) <= formats.MAX_FILE_BYTES
    assert rejected_code(data) == code
    outcome = validate_file(data, "进展.csv", reference, TODAY)
    assert (outcome.status, outcome.error_code) == ("rejected", code) and "进展.csv" in outcome.error
    assert bulk_csv.bulk_plan(data) is None, "the bulk path must leave it to the row-by-row path, which rejects it"
    assert code in REASON_CODES and code in validation.FILE_CODES
    assert formats.MAX_ROWS == EXCEL_ROWS


def test_the_limits_are_module_constants_in_one_place_each_with_its_reason_code():
    assert set(formats.LIMITS) == {"MAX_FILE_BYTES", "MAX_UNPACKED_BYTES", "MAX_ROWS", "MAX_COLUMNS", "MAX_CELLS",
                                   "MAX_LINE_BYTES", "MAX_CELL_CHARS"}
    for name, (value, code) in formats.LIMITS.items():
        assert getattr(formats, name) == value and code in REASON_CODES, name
    assert len({code for _, code in formats.LIMITS.values()}) == len(formats.LIMITS)


EXCEL_CELL_CHARS = 32_767       # formats.MAX_CELL_CHARS


def test_a_cell_longer_than_excel_allows_quarantines_its_row_not_the_file(reference):
    long_note = "长" * (EXCEL_CELL_CHARS + 1)
    text = HEADER + good_rows(2) + f"lz-2015-054-t002,2015-09-30,推进中,5,{long_note},市人社局\n" + good_rows(2, 5)
    cells = [["lz-2015-054-t001", f"2015-09-0{d}", "推进中", "5", "说明", "市人社局"] for d in (1, 2)] + [
        ["lz-2015-054-t002", "2015-09-30", "推进中", "5", long_note, "市人社局"]]
    # openpyxl cuts a cell at Excel's limit when it writes one: the workbook is written by hand, as a hostile one is
    sheet_xml = HEADER_XML + "".join(f'<row r="{n}">' + "".join(inline(f"{c}{n}", v) for c, v in zip("ABCDEF", row))
                                     + "</row>" for n, row in enumerate(cells, start=2))
    for name, data in (("进展.csv", text.encode()), ("进展.xlsx", xlsx_with_sheet(sheet_xml))):
        outcome = validate_file(data, name, reference, TODAY)
        assert outcome.status == "partially_accepted", name
        [problem] = outcome.problems
        assert (problem.reason_code, problem.column_name, problem.row_number) == ("cell_too_long", "note", 4), name
        assert f"{EXCEL_CELL_CHARS + 1}" in problem.reason and name in problem.reason
    assert bulk_csv.bulk_plan(text.encode()) is None
    assert formats.MAX_CELL_CHARS == EXCEL_CELL_CHARS


# --- quotes that swallow the rows after them ------------------------------------------------------------------

@pytest.mark.parametrize("bad_row, later, row", [
    ('lz-2015-054-t002,2015-09-30,推进中,5,"说明没有闭合,市人社局\n', "", 4),
    # the next quoted cell closes it, in the middle of that cell
    ('lz-2015-054-t002,2015-09-30,推进中,5,"说明没有闭合,市人社局\n',
     'lz-2015-054-t001,2015-10-03,推进中,5,"含逗号,的说明",市人社局\n', 4),
    # a quote at the end of a later cell closes it exactly: the cell now holds whole rows
    ('lz-2015-054-t002,2015-09-30,推进中,5,"说明没有闭合,市人社局\n', 'lz-2015-054-t001,2015-10-03,推进中,5,尺寸12",市人社局\n', 4),
])
def test_a_quote_that_swallows_the_following_rows_rejects_the_file_naming_its_row(bad_row, later, row, reference):
    data = (HEADER + good_rows(2) + bad_row + good_rows(4, 10) + later + good_rows(2, 20)).encode()
    with pytest.raises(FileRejected) as error:
        read_submission(data)
    assert error.value.code == "unbalanced_quote"
    assert f"第{row}行" in error.value.message and "引号" in error.value.message
    outcome = validate_file(data, "进展.csv", reference, TODAY)
    assert outcome.error_code == "unbalanced_quote" and outcome.rows_accepted == 0
    assert bulk_csv.bulk_plan(data) is None


def test_the_message_names_the_row_and_the_text_line_when_a_quoted_cell_spans_lines_before_it():
    data = (HEADER + 'lz-2015-054-t001,2015-09-01,推进中,5,"两行\n说明",市人社局\n' + good_rows(1, 2)
            + 'lz-2015-054-t002,2015-09-30,推进中,5,"没有闭合,市人社局\n' + good_rows(3, 3)).encode()
    with pytest.raises(FileRejected) as error:
        read_submission(data)
    assert "第4行（用记事本打开是第5行）" in error.value.message


def test_quotes_as_excel_writes_them_and_stray_quotes_inside_a_cell_still_read():
    text = (HEADER + 'lz-2015-054-t001,2015-09-01,推进中,5,"两行\n说明,含逗号",市人社局\n'
            + 'lz-2015-054-t001,2015-09-02,推进中,5,"他说""好""",市人社局\n'
            + 'lz-2015-054-t001,2015-09-03,推进中,5,他说"好"了,市人社局\n'
            + 'lz-2015-054-t001,2015-09-04,推进中,5,"ab"cd,市人社局\n')
    for data, newline in ((text.encode(), "\n"), (text.encode("gb18030"), "\n"),
                          (text.replace("\n", "\r\n").encode("utf-8-sig"), "\r\n")):
        sheet = read_submission(data).sheets[0]
        assert sheet.column("note").tolist() == [f"两行{newline}说明,含逗号", '他说"好"', '他说"好"了', "abcd"]
        assert sheet.row_numbers.tolist() == [2, 3, 4, 5]


# --- hidden sheets ---------------------------------------------------------------------------------------------

def workbook_with_hidden_sheet(state: str) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "任务进展"
    sheet.append(HEADER.strip().split(","))
    sheet.append(["lz-2015-054-t001", "2015-09-30", "推进中", 50, "本月", "市人社局"])
    stale = book.create_sheet("任务进展(上月)")
    stale.append(HEADER.strip().split(","))
    stale.append(["lz-2015-054-t002", "2015-08-31", "推进中", 10, "上月", "市人社局"])
    stale.sheet_state = state
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_a_hidden_sheet_is_ignored_and_the_clerk_is_told(state, reference):
    data = workbook_with_hidden_sheet(state)
    submission = read_submission(data)
    assert [s.name for s in submission.sheets] == ["任务进展"]
    assert len(submission.notes) == 1 and "“任务进展(上月)”" in submission.notes[0] and "隐藏" in submission.notes[0]
    outcome = validate_file(data, "人社局.xlsx", reference, TODAY)
    assert (outcome.status, outcome.rows_total) == ("accepted", 1)
    assert outcome.notes and outcome.notes[0].startswith("文件“人社局.xlsx”：") and "隐藏" in outcome.notes[0]


def test_a_workbook_whose_only_data_sheet_is_hidden_is_rejected_saying_so():
    book = openpyxl.Workbook()
    book.active.append(["说明"])
    hidden = book.create_sheet("任务进展")
    hidden.append(HEADER.strip().split(","))
    hidden.append(["lz-2015-054-t001", "2015-09-30", "推进中", 50, "", "市人社局"])
    hidden.sheet_state = "hidden"
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(FileRejected) as error:
        read_submission(buffer.getvalue())
    assert error.value.code == "missing_columns" and "隐藏" in error.value.message


# --- a password-protected workbook, a two-row header ------------------------------------------------------------

def cfb_with_streams(*names: str) -> bytes:
    """An OLE2 compound file (what Office writes) with a directory naming ``names`` (as Excel's encryption does)."""
    header = formats._OLE2_MAGIC + b"\x00" * 16 + struct.pack("<HHH", 0x3E, 3, 0xFFFE) + struct.pack("<H", 9)
    header = header.ljust(512, b"\x00")
    entries = b""
    for name in ("Root Entry", *names):
        encoded = (name + "\x00").encode("utf-16-le")
        entries += (encoded.ljust(64, b"\x00") + struct.pack("<HBB", len(encoded), 2, 1)).ljust(128, b"\x00")
    return header + entries.ljust(512 * 4, b"\x00")


def test_a_password_protected_xlsx_is_named_encrypted_not_old_xls():
    assert rejected_code(cfb_with_streams("EncryptionInfo", "EncryptedPackage")) == "encrypted_file"
    with pytest.raises(FileRejected) as error:
        read_submission(cfb_with_streams("EncryptionInfo", "EncryptedPackage"))
    assert "密码" in error.value.message and ".xls" not in error.value.message
    assert rejected_code(cfb_with_streams("Workbook")) == "wrong_file_type"          # an old .xls stays one


def test_a_two_row_merged_header_is_recognised():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "任务进展"
    sheet.append(["任务编号", "任务内容", "本次填报", None, None, None, "填报单位"])
    sheet.append([None, None, "填报日期", "状态", "完成进度", "进展说明", None])
    for cells in ("A1:A2", "B1:B2", "C1:F1", "G1:G2"):
        sheet.merge_cells(cells)
    sheet.append(["lz-2015-054-t001", "任务一", "2015-09-30", "推进中", 50, "", "市人社局"])
    buffer = io.BytesIO()
    book.save(buffer)
    [read] = read_submission(buffer.getvalue()).sheets
    assert (read.header_row, read.row_numbers.tolist()) == (2, [3])
    assert read.column("status").tolist() == ["推进中"] and read.column("task_id").tolist() == ["lz-2015-054-t001"]


def test_a_two_row_header_whose_first_row_names_one_column_is_recognised_in_a_csv_too():
    text = ("任务编号,本次填报,,,,\n"
            ",填报日期,状态,完成进度,进展说明,填报单位\n"
            "lz-2015-054-t001,2015-09-30,推进中,50,,市人社局\n")
    [sheet] = read_submission(text.encode()).sheets
    assert (sheet.header_row, sheet.column("task_id").tolist(), sheet.column("status").tolist()) == (
        2, ["lz-2015-054-t001"], ["推进中"])
    upper_complete = ("任务编号,填报日期,状态,填报单位,\n,,,,完成进度\nlz-2015-054-t001,2015-09-30,推进中,市人社局,50\n")
    [sheet] = read_submission(upper_complete.encode()).sheets
    assert sheet.column("percent_complete").tolist() == ["50"] and sheet.header_row == 2
    assert bulk_csv.bulk_plan(upper_complete.encode()) is None     # the bulk path would read row 2 as data


def test_a_data_row_below_the_header_is_never_taken_for_a_second_header_row():
    text = HEADER + "lz-2015-054-t001,2015-09-30,推进中,50,状态,市人社局\n"
    [sheet] = read_submission(text.encode()).sheets
    assert sheet.header_row == 1 and sheet.column("note").tolist() == ["状态"]


# --- control characters ----------------------------------------------------------------------------------------

def test_a_stray_control_character_is_removed_wherever_it_is_never_rejecting_the_file(reference):
    filler = "".join(f"lz-2015-054-t001,2015-{m:02d}-{d:02d},推进中,5,{'说明' * 20},市人社局\n"
                     for m in (7, 8, 9) for d in range(1, 29))   # 84 distinct rows, shown 11 times
    text = (HEADER + "lz-2015-054-t002,2015-10-01,推进中\x0b,5,说明\x07,市人社局\n" + filler * 11
            + "lz-2015-059-t001,2015-10-02,推进中,5,\x1b[31m红字\x1b[0m,市统计局\n")
    assert len(text) > 70_000
    data = text.encode()
    assert data.index(b"\x1b") > 65536
    for encoded in (data, text.encode("gb18030"), text.encode("utf-16")):
        submission = read_submission(encoded)
        sheet = submission.sheets[0]
        cells = [c for column in sheet.frame.columns for c in sheet.frame[column]]
        assert not any(formats._CONTROL.search(c) for c in cells)
        assert sheet.column("note").tolist()[0] == "说明" and sheet.column("note").tolist()[-1] == "[31m红字[0m"
        assert sheet.column("status").tolist()[0] == "推进中"
        assert len(submission.notes) == 1 and "4 个" in submission.notes[0]
    outcome = validate_file(data, "进展.csv", reference, TODAY)
    assert outcome.status in ("accepted", "partially_accepted") and outcome.rows_accepted >= 84
    assert outcome.notes and "控制字符" in outcome.notes[0]
    plan = bulk_csv.bulk_plan(data)
    assert plan is not None and plan.controls == 4                    # the bulk path takes it and removes them too


def test_text_that_is_mostly_control_characters_is_still_not_a_csv():
    assert rejected_code(HEADER.encode() + bytes(range(1, 9)) * 4_000) == "unreadable_file"


def test_policy_wh_submit_tells_the_clerk_about_the_hidden_sheet(tmp_path, capsys):
    """The note reaches the clerk's screen, not only the validation result."""
    from dagster_project.cli import main

    path = tmp_path / "人社局.xlsx"
    path.write_bytes(workbook_with_hidden_sheet("hidden"))
    main(["submit", str(path)])
    printed = capsys.readouterr().out
    assert "注意：" in printed and "任务进展(上月)" in printed and "隐藏" in printed
