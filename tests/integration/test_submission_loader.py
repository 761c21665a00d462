"""The loader on a temporary DuckDB file: append-only, one transaction per file, exactly once."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from datetime import date, datetime
from pathlib import Path

import duckdb
import openpyxl
import pytest

from dagster_project.submissions import loader as loader_module
from dagster_project.submissions.inbox import inbox_files, submit
from dagster_project.submissions.loader import load_files
from tests.unit.test_submission_validation import create_raw_tables, create_reference_tables

REPO_ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2015, 12, 1)
DAY = date(2015, 12, 2)
HEADER = "任务编号,填报日期,状态,完成进度,进展说明,填报单位\n"
FIRST = HEADER + ("lz-2015-054-t001,2015-09-30,推进中,85%,按计划推进,市人社局\n"
                  "lz-2015-054-t002,2015-10-15,已完成,100,,市人社局\n"
                  "lz-2015-999-t001,2015-09-30,推进中,50,,市人社局\n")
CORRECTION = HEADER + "lz-2015-054-t001,2015-09-30,推进中,60,上次填错了,市人社局\n"


@pytest.fixture()
def warehouse(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(path)) as con:
        create_reference_tables(con)
        create_raw_tables(con)
    return path


def counts(con) -> dict[str, int]:
    return {t: con.execute(f"select count(*) from raw.{t}").fetchone()[0]
            for t in ("submission_files", "progress_reports", "indicator_values", "quarantined_rows")}


def stored(tmp_path, name: str, content: bytes) -> Path:
    source = tmp_path / "outbox" / name
    source.parent.mkdir(exist_ok=True)
    source.write_bytes(content)
    result, = submit([source], inbox_dir=tmp_path / "inbox", reference=_reference(), today=TODAY)
    return result.stored_path


def _reference():
    from dagster_project.submissions.reference import load_reference

    with duckdb.connect() as con:
        create_reference_tables(con)
        return load_reference(con)


def test_a_partly_bad_file_loads_its_good_rows_and_quarantines_the_rest(tmp_path, warehouse):
    path = stored(tmp_path, "人社局9月进展.csv", FIRST.encode("gbk"))
    with duckdb.connect(str(warehouse)) as con:
        result = load_files(con, [path], DAY, TODAY)
        assert [f.status for f in result.files] == ["partially_accepted"]
        assert result.report_dates == {date(2015, 9, 30), date(2015, 10, 15)}
        assert result.partition_dates == {DAY} and result.min_report_date == date(2015, 9, 30)
        rows = con.execute("select task_id, report_date, status, percent_complete, note, reported_by, org_id, row_number, "
                           "file_name, sheet_name, partition_date from raw.progress_reports order by row_number").fetchall()
        assert rows == [
            ("lz-2015-054-t001", date(2015, 9, 30), "in_progress", 85.0, "按计划推进", "市人社局", "org-rsj", 2,
             "人社局9月进展.csv", "任务进展", DAY),
            ("lz-2015-054-t002", date(2015, 10, 15), "done", 100.0, None, "市人社局", "org-rsj", 3,
             "人社局9月进展.csv", "任务进展", DAY),
        ]
        quarantined = con.execute("select row_number, column_name, raw_value, reason_code, reason, raw_row "
                                  "from raw.quarantined_rows").fetchall()
        assert len(quarantined) == 1
        row_number, column, raw_value, code, reason, raw_row = quarantined[0]
        assert (row_number, column, raw_value, code) == (4, "task_id", "lz-2015-999-t001", "unknown_task")
        assert reason.startswith("文件“人社局9月进展.csv”第4行“任务编号”列") and "lz-2015-999-t001" in raw_row
        files = con.execute("select original_name, reported_by, status, error, rows_total, rows_accepted, "
                            "rows_quarantined, partition_date, file_sha256 from raw.submission_files").fetchall()
        assert files == [("人社局9月进展.csv", "市人社局", "partially_accepted", None, 3, 2, 1, DAY,
                          path.name.split(".")[0])]


def test_a_resent_file_is_a_no_op(tmp_path, warehouse):
    path = stored(tmp_path, "a.csv", FIRST.encode())
    copy = tmp_path / "elsewhere.csv"                 # same bytes, another path and name
    copy.write_bytes(FIRST.encode())
    with duckdb.connect(str(warehouse)) as con:
        first = load_files(con, [path, copy], DAY, TODAY)
        assert [f.status for f in first.files] == ["partially_accepted", "already_loaded"]
        before = counts(con)
        again = load_files(con, [path], date(2015, 12, 3), TODAY)
        assert [f.status for f in again.files] == ["already_loaded"]
        assert not again.report_dates and not again.partition_dates
        assert counts(con) == before == {"submission_files": 1, "progress_reports": 2, "indicator_values": 0,
                                         "quarantined_rows": 1}


def test_a_correction_is_appended_and_raw_keeps_both(tmp_path, warehouse):
    first = stored(tmp_path, "a.csv", FIRST.encode())
    second = stored(tmp_path, "a-更正.csv", CORRECTION.encode())
    with duckdb.connect(str(warehouse)) as con:
        load_files(con, [first], DAY, TODAY)
        load_files(con, [second], date(2015, 12, 3), TODAY, loaded_at=datetime(2015, 12, 3, 9))
        rows = con.execute("select percent_complete, note, partition_date from raw.progress_reports "
                           "where task_id = 'lz-2015-054-t001' order by partition_date").fetchall()
        assert rows == [(85.0, "按计划推进", DAY), (60.0, "上次填错了", date(2015, 12, 3))]


def test_a_rejected_file_is_recorded_with_its_reason(tmp_path, warehouse):
    path = stored(tmp_path, "进展.csv", "任务编号,状态\nlz-2015-054-t001,推进中\n".encode())
    with duckdb.connect(str(warehouse)) as con:
        result = load_files(con, [path], DAY, TODAY)
        assert result.files[0].status == "rejected" and path.exists()          # kept in the inbox
        status, error, total = con.execute("select status, error, rows_total from raw.submission_files").fetchone()
        assert status == "rejected" and "缺少必填列" in error and "“填报日期”" in error and total == 0
        assert con.execute("select reason_code, row_number from raw.quarantined_rows").fetchall() == [
            ("missing_columns", None)]
        assert counts(con)["progress_reports"] == 0
        assert load_files(con, [path], DAY, TODAY).files[0].status == "already_loaded"


def test_an_xlsx_with_both_sheets_loads_in_one_go(tmp_path, warehouse):
    workbook = openpyxl.Workbook()
    progress = workbook.active
    progress.title = "任务进展"
    progress.append(["任务编号", "填报日期", "状态", "完成进度", "进展说明", "填报单位"])
    progress.append(["lz-2015-054-t001", datetime(2015, 9, 30), "推进中", 0.5, "=1+1", "市人社局"])
    progress["D2"].number_format = "0%"
    indicators = workbook.create_sheet("指标数据")
    indicators.append(["指标编号", "地区", "统计期", "数值", "单位", "填报单位"])
    indicators.append(["ind-001", "三河市", "2015Q3", 1.2, "万人", "市统计局"])
    indicators.append(["ind-002", "全市", "2015-09", "abc", "%", "市统计局"])
    path = tmp_path / "both.xlsx"
    workbook.save(path)
    with duckdb.connect(str(warehouse)) as con:
        result = load_files(con, [path], DAY, TODAY)
        assert result.files[0].status == "partially_accepted"
        assert result.periods == {(date(2015, 7, 1), date(2015, 9, 30))}
        assert con.execute("select percent_complete, note from raw.progress_reports").fetchall() == [(50.0, "=1+1")]
        assert con.execute("select indicator_id, region_code, period, period_start, period_end, value, unit "
                           "from raw.indicator_values").fetchall() == [
            ("ind-001", "131082", "2015Q3", date(2015, 7, 1), date(2015, 9, 30), 1.2, "万人")]
        assert con.execute("select sheet_name, row_number, reason_code from raw.quarantined_rows").fetchall() == [
            ("指标数据", 3, "non_numeric_value")]


def test_a_failure_between_statements_applies_nothing_and_a_rerun_applies_once(tmp_path, warehouse, monkeypatch):
    path = stored(tmp_path, "a.csv", FIRST.encode())
    real = loader_module._insert_frame

    def failing(con, table, *args, **kwargs):
        real(con, table, *args, **kwargs)
        if table == "quarantined_rows":           # progress rows and quarantine written, submission row not yet
            raise RuntimeError("injected failure")

    with duckdb.connect(str(warehouse)) as con:
        monkeypatch.setattr(loader_module, "_insert_frame", failing)
        with pytest.raises(RuntimeError, match="injected"):
            load_files(con, [path], DAY, TODAY)
        assert counts(con) == {"submission_files": 0, "progress_reports": 0, "indicator_values": 0,
                               "quarantined_rows": 0}
        monkeypatch.setattr(loader_module, "_insert_frame", real)
        load_files(con, [path], DAY, TODAY)
        load_files(con, [path], DAY, TODAY)
        assert counts(con) == {"submission_files": 1, "progress_reports": 2, "indicator_values": 0,
                               "quarantined_rows": 1}


def big_csv(rows: int) -> bytes:
    lines = [HEADER]
    tasks = ("lz-2015-054-t001", "lz-2015-054-t002")
    for i in range(rows):
        day = date.fromordinal(date(2015, 11, 30).toordinal() - i // 2)     # distinct (task, day) keys
        lines.append(f"{tasks[i % 2]},{day.isoformat()},推进中,{i % 101},第{i}行说明,市人社局\n")
    return "".join(lines).encode()


CHILD = textwrap.dedent("""
    import sys, time
    from datetime import date
    import duckdb
    from dagster_project.submissions import loader
    real = loader._insert_frame
    def slow(con, table, *args, **kwargs):
        real(con, table, *args, **kwargs)
        if table == "progress_reports":
            print("inserted", flush=True)      # the parent kills us now, mid-transaction
            time.sleep(60)
    if sys.argv[2] == "pause":
        loader._insert_frame = slow
    con = duckdb.connect(sys.argv[1])
    loader.load_files(con, [sys.argv[3]], date(2015, 12, 2), date(2015, 12, 1))
    print("done", flush=True)
""")


def _child(warehouse: Path, mode: str, path: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.Popen([sys.executable, "-c", CHILD, str(warehouse), mode, str(path)], stdout=subprocess.PIPE,
                            text=True, env=env, cwd=REPO_ROOT)


@pytest.mark.parametrize("mode", ["pause", "timer"])
def test_sigkill_mid_load_leaves_all_or_nothing_and_a_rerun_applies_once(tmp_path, warehouse, mode):
    rows = 60_000
    path = tmp_path / "big.csv"
    path.write_bytes(big_csv(rows))
    child = _child(warehouse, mode, path)
    try:
        if mode == "pause":
            assert child.stdout.readline().strip() == "inserted"
        else:
            import time
            time.sleep(2.0)                   # somewhere in reading, validating, inserting or committing
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(timeout=60)
    with duckdb.connect(str(warehouse)) as con:
        after_kill = counts(con)
        assert after_kill in ({"submission_files": 0, "progress_reports": 0, "indicator_values": 0,
                               "quarantined_rows": 0},
                              {"submission_files": 1, "progress_reports": rows, "indicator_values": 0,
                               "quarantined_rows": 0}), after_kill
        if mode == "pause":
            assert after_kill["submission_files"] == 0
        load_files(con, [path], DAY, TODAY)
        load_files(con, [path], DAY, TODAY)
        assert counts(con) == {"submission_files": 1, "progress_reports": rows, "indicator_values": 0,
                               "quarantined_rows": 0}


def test_inbox_to_raw_end_to_end(tmp_path, warehouse):
    stored(tmp_path, "one.csv", FIRST.encode())
    stored(tmp_path, "two.csv", CORRECTION.encode("gb18030"))
    stored(tmp_path, "three.pdf", b"%PDF-1.7 nothing")
    with duckdb.connect(str(warehouse)) as con:
        result = load_files(con, inbox_files(tmp_path / "inbox"), DAY, TODAY)
        assert sorted(f.status for f in result.files) == ["accepted", "partially_accepted", "rejected"]
        assert result.summary()["files_applied"] == 3
        assert counts(con) == {"submission_files": 3, "progress_reports": 3, "indicator_values": 0,
                               "quarantined_rows": 2}


def test_a_vanished_file_is_reported_failed_and_the_others_load(tmp_path, warehouse):
    path = stored(tmp_path, "a.csv", FIRST.encode())
    with duckdb.connect(str(warehouse)) as con:
        result = load_files(con, [tmp_path / "inbox" / ("0" * 64 + ".csv"), path], DAY, TODAY)
        assert [f.status for f in result.files] == ["failed", "partially_accepted"]
        assert counts(con)["submission_files"] == 1
