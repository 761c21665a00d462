"""The 10 TAB tables rebuilt from one-cell-per-line text (source-catalog §8.2)."""
from __future__ import annotations

import pytest

from dagster_project.extraction.context import ExtractionContext
from dagster_project.extraction.documents import find_documents
from dagster_project.extraction.tables import find_tables

# §8.2: data rows per table, headers, repeated headers and section rows excluded.
EXPECTED_ROWS = {"T1": 47, "T2": 16, "T3": 26, "T4": 14, "T5": 20, "T6": 50, "T7": 19, "T8": 26, "T9": 37, "T10": 28}


@pytest.fixture(scope="module")
def tables(source):
    ctx = ExtractionContext(source=source, documents=find_documents(source))
    return {t.table_id: t for t in find_tables(ctx)}


def test_the_ten_tables_have_the_catalogued_row_counts(tables):
    assert {tid: len(t.rows) for tid, t in tables.items()} == EXPECTED_ROWS
    assert sum(len(t.rows) for t in tables.values()) == 283


def test_tables_sit_in_their_documents_and_lines(tables):
    spans = {tid: (t.doc_id, t.line_start, t.line_end) for tid, t in tables.items()}
    assert spans["T1"] == ("lz-2015-059", 248, 591)
    assert spans["T6"] == ("lz-2015-118", 2820, 3194)
    assert spans["T7"] == ("lz-2015-118", 3201, 3299)
    assert spans["T10"] == ("lzb-2015-068", 6363, 6537)   # ends on a lone-TAB empty cell


def test_headers(tables):
    assert tables["T1"].header == ("序号", "工作任务", "牵头部门", "配合部门", "时间进度")
    assert tables["T3"].header == ("序号", "工作任务", "牵头单位", "协办单位", "时间进度")   # 「工 作 任 务」1221
    # T6's two-line header (2820–2832) merged; 「一级⏎指标」is one wrapped cell.
    assert tables["T6"].header == ("一级指标", "二级指标", "序号", "三级指标（主要内容）", "单位", "责任单位")
    assert tables["T10"].header == ("考核内容", "序号", "考核指标", "考核要点", "备注")


def test_t1_section_rows_become_sections_not_rows(tables):
    rows = tables["T1"].rows
    sections = []
    for row in rows:
        if row.section not in sections:
            sections.append(row.section)
    assert len(sections) == 9
    assert sections[0] == "（一）依法全面履行政府职能"   # 254
    assert sections[-1] == "保障措施"
    assert [row.cells[0].text for row in rows] == [str(n) for n in range(1, 48)]


def test_t1_cells_and_continuation_lines(tables):
    first = tables["T1"].rows[0]
    assert first.line == 256
    assert [c.text for c in first.cells[2:]] == ["市编委办、市法制办", "市政府各部门", "持续实施"]
    sixth = tables["T1"].rows[5]
    assert sixth.cells[2].text == "市编委办、市发改委、市财政局、市民政局、市物价局、市政府信用办"   # 293 + 294
    assert [n for n, _ in sixth.cells[2].parts] == [293, 294]
    row31 = tables["T1"].rows[30]
    assert row31.cells[2].text == "" and row31.cells[3].text == ""   # 480, 481 lone TABs


def test_t3_department_per_line_cells(tables):
    first = tables["T3"].rows[0]
    assert first.cells[3].parts == ((1229, "市财政局"), (1231, "市残联"))
    fourth = tables["T3"].rows[3]
    assert fourth.cells[4].text == "2015年出台具体政策措施"   # 1252 + 1254, wrapped across a blank line


def test_t6_vertical_text_and_merged_cells(tables):
    rows = tables["T6"].rows
    assert rows[39].cells[0].text == "政策措施" and rows[39].cells[2].text == "40"   # 3107–3113
    assert rows[0].cells[5].text == "各县(市、区)政府、廊坊开发区管委会"
    assert sum(1 for row in rows if not row.cells[5].text) == 15
    assert [row.cells[2].text for row in rows] == [str(n) for n in range(1, 51)]


def test_t8_repeated_headers_are_skipped(tables):
    rows = tables["T8"].rows
    assert [row.cells[0].text for row in rows] == [str(n) for n in range(1, 27)]
    assert rows[4].line == 3514   # row 5 right after the repeated header at 3509
    assert [n for n, _ in rows[0].cells[3].parts] == [3476, 3478, 3480, 3482, 3484, 3486, 3488, 3490, 3492]


def test_t9_keeps_both_rows_numbered_13(tables):
    rows = tables["T9"].rows
    assert [(r.cells[0].text, r.line) for r in rows if r.cells[0].text == "13"] == [("13", 4832), ("13", 4837)]


def test_t10_variable_width_last_rows(tables):
    rows = tables["T10"].rows
    assert [r.cells[1].text for r in rows if r.cells[1].text] == [str(n) for n in range(1, 14)]
    veto, results = rows[-2], rows[-1]
    assert (veto.cells[0].text, veto.cells[1].text, veto.line) == ("否决项", "12", 6527)
    assert veto.cells[3].text.startswith("发生区域性、系统性产品质量安全事件")
    assert (results.cells[0].text, results.cells[1].text) == ("工作成效（20分）", "13")   # 6532 + 6534
    assert results.cells[3].text.startswith("当年获得国家或省级政府质量奖")


def test_table_column_lookup(tables):
    t5 = tables["T5"]
    assert t5.column("负责") == 2 and t5.column("时间进度", "进度要求") == 3 and t5.column("牵头") is None
    assert t5.cell(t5.rows[0], "负责").text.startswith("市商务局牵头，")   # 2642
