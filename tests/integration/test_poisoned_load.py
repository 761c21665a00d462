"""A poisoned file is the file's problem, never the load's: it is rejected and recorded once, the others load.

Before the fix a UTF-8 CSV of 512 KB or more with a line longer than DuckDB's line limit went to the bulk
path, DuckDB's error message was cut in the middle of a character, Python raised UnicodeDecodeError, and
the whole load — every other department's file with it — failed, run after run. Files that made the
reader itself raise (csv.Error on a cell over 128 KiB, anything unforeseen) were reported ``failed``,
never recorded, and tried again on every run. Here each kind of poison sits between good files of
another department, is loaded through ``load_files`` and once through the Dagster ``daily_load`` job in
process, and a second load must leave it alone.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from dagster_project.submissions import bulk_csv, formats
from dagster_project.submissions import loader as loader_module
from dagster_project.submissions.loader import load_files
from tests.integration.test_bulk_csv import load_both_ways, messy_rows, new_warehouse, write_csv

TODAY = date(2015, 12, 1)
DAY = date(2015, 12, 2)
HEADER = "任务编号,填报日期,状态,完成进度,进展说明,填报单位\n"
MARKER = "这一行让读取程序出错"


def progress_lines(count: int, task: str = "lz-2015-054-t001", org: str = "市人社局") -> str:
    """``count`` good rows, distinct (task, day) keys."""
    return "".join(f"{task},{date.fromordinal(date(2015, 11, 30).toordinal() - i).isoformat()},推进中,{i % 101},"
                   f"第{i}行说明,{org}\n" for i in range(count))


def long_line_csv(prefix: str) -> bytes:
    """≥ 512 KB of UTF-8 progress rows (the bulk path) with one line of 2.4 MB: past DuckDB's line limit,
    its error quoting the line cut at a byte that ``prefix`` moves to the middle of a character."""
    line = f"lz-2015-054-t002,2015-10-01,推进中,5,{prefix}" + "长" * 800_000 + ",市人社局\n"
    return (HEADER + progress_lines(150) + line + progress_lines(6_000)).encode()


POISONS: dict[str, tuple[bytes, str, str]] = {
    # name: (bytes, status after the load, the reason code recorded for it)
    "a line past DuckDB's limit, on the bulk path": (long_line_csv("xy"), "rejected", "line_too_long"),
    "the same, cut one byte further": (long_line_csv("x"), "rejected", "line_too_long"),
    "an unclosed quote with 200 KB after it (csv.Error in the ragged-row reader)": (
        (HEADER + progress_lines(5) + 'lz-2015-054-t002,2015-10-01,推进中,5,"没有闭合的说明,市人社局\n'
         + progress_lines(3_000)).encode(), "rejected", "unbalanced_quote"),
    "a ragged file with a cell over 128 KiB (csv.Error: field larger than field limit)": (
        (HEADER + progress_lines(5) + "lz-2015-054-t002,2015-10-01,推进中,5," + "长" * 150_000 + ",市人社局\n"
         + "lz-2015-054-t002,2015-10-02,推进中,5,多一列,市人社局,多余\n").encode(), "partially_accepted",
        "cell_too_long"),
    # GB18030 (as Chinese Excel writes a CSV): the row-by-row reader, never the bulk path, reads it
    "a file the reader raises an unexpected exception on": (
        (HEADER + progress_lines(5) + f"lz-2015-054-t002,2015-10-01,推进中,5,{MARKER},市人社局\n").encode("gb18030"),
        "rejected", "unexpected_error"),
}


@pytest.fixture()
def reader_spy(monkeypatch):
    """formats.read_csv_bytes, raising RecursionError on the marked file; counts what it is given."""
    real = formats.read_csv_bytes
    calls: list[bytes] = []

    def reader(data: bytes):
        calls.append(data)
        if MARKER.encode("gb18030") in data:
            raise RecursionError("maximum recursion depth exceeded (injected)")
        return real(data)

    monkeypatch.setattr(formats, "read_csv_bytes", reader)
    return calls


def good_files(tmp_path: Path) -> list[Path]:
    """Another department's files: a small one and one large enough for the bulk path."""
    small = tmp_path / "法制办-进展.csv"
    small.write_text(HEADER + progress_lines(20, "lz-2015-059-t002", "市法制办"), encoding="utf-8")
    large = tmp_path / "法制办-汇总.csv"
    large.write_text(HEADER + progress_lines(9_000, "lz-2015-059-t002", "廊坊市人民政府法制办公室"), encoding="utf-8")
    assert large.stat().st_size >= bulk_csv.BULK_MIN_BYTES
    return [small, large]


@pytest.mark.parametrize("poison", list(POISONS))
def test_a_poisoned_file_is_rejected_and_recorded_once_and_the_good_files_beside_it_load(tmp_path, poison,
                                                                                         reader_spy):
    data, status, code = POISONS[poison]
    poisoned = tmp_path / "人社局-进展.csv"
    poisoned.write_bytes(data)
    small, large = good_files(tmp_path)
    warehouse = new_warehouse(tmp_path / "w.duckdb")
    with duckdb.connect(str(warehouse)) as con:
        result = load_files(con, [small, poisoned, large], DAY, TODAY)
        assert [(f.original_name, f.status) for f in result.files] == [
            (small.name, "accepted"), (poisoned.name, status), (large.name, "accepted")]
        outcome = result.files[1]
        assert code in outcome.quarantine.by_reason
        if status == "rejected":
            assert outcome.error_code == code and f"文件“{poisoned.name}”" in outcome.error
        assert con.execute("select original_name, status from raw.submission_files order by original_name").fetchall() \
            == sorted([(small.name, "accepted"), (poisoned.name, status), (large.name, "accepted")])
        assert con.execute("select count(*) from raw.progress_reports where org_id = 'org-fzb'").fetchone()[0] == 9_020
        reasons = con.execute("select reason_code, reason from raw.quarantined_rows where file_name = ?",
                              [poisoned.name]).fetchall()
        assert code in {r[0] for r in reasons} and all(f"文件“{poisoned.name}”" in r[1] for r in reasons)
        seen = len(reader_spy)
        again = load_files(con, [small, poisoned, large], DAY, TODAY)
        assert [f.status for f in again.files] == ["already_loaded"] * 3
        assert len(reader_spy) == seen, "a recorded file is not read again"
        assert con.execute("select count(*) from raw.submission_files").fetchone()[0] == 3


def test_an_exception_out_of_the_row_by_row_validator_itself_rejects_only_that_file(tmp_path, monkeypatch):
    real = loader_module.validate_file

    def validate(data, name, *args, **kwargs):
        if MARKER.encode("gb18030") in data:
            raise MemoryError("injected")
        return real(data, name, *args, **kwargs)

    monkeypatch.setattr(loader_module, "validate_file", validate)
    poisoned = tmp_path / "人社局-进展.csv"
    poisoned.write_bytes(POISONS["a file the reader raises an unexpected exception on"][0])
    small, large = good_files(tmp_path)
    with duckdb.connect(str(new_warehouse(tmp_path / "w.duckdb"))) as con:
        result = load_files(con, [poisoned, small, large], DAY, TODAY)
        assert [f.status for f in result.files] == ["rejected", "accepted", "accepted"]
        assert result.files[0].error_code == "unexpected_error" and "MemoryError" in result.files[0].error
        assert con.execute("select reason_code, raw_value from raw.quarantined_rows").fetchall()[0][0] == "unexpected_error"
        assert [f.status for f in load_files(con, [poisoned], DAY, TODAY).files] == ["already_loaded"]


def test_any_exception_on_the_bulk_path_sends_the_files_row_by_row_with_the_same_result(tmp_path, monkeypatch):
    files = [write_csv(tmp_path / f"进展-{i}.csv", messy_rows(1_000, 40 + i)) for i in range(3)]
    real = bulk_csv._settle

    def settle(con, group, *args, **kwargs):
        if any(f.file_name == "进展-1.csv" for f in group):
            raise ValueError("injected: the bulk checker trips on this file")
        return real(con, group, *args, **kwargs)

    monkeypatch.setattr(bulk_csv, "_settle", settle)
    bulk, pandas_path, calls = load_both_ways(tmp_path, files, monkeypatch)
    assert calls == [1, 1], "the group fails, then each file alone: 进展-1.csv goes row by row, the others in bulk"
    assert bulk == pandas_path


def test_control_characters_are_removed_alike_on_both_paths(tmp_path, monkeypatch):
    rows = messy_rows(1_000, 9)
    for i, row in enumerate(rows[::37]):
        row[i % 6] = row[i % 6][:2] + "\x07\x1b\x0b\x0c\x7f"[i % 5] + row[i % 6][2:]
    path = write_csv(tmp_path / "控制字符.csv", rows)
    assert bulk_csv.bulk_plan(path.read_bytes()).controls > 20
    bulk, pandas_path, calls = load_both_ways(tmp_path, [path], monkeypatch)
    assert calls == [1] and bulk == pandas_path
    text = repr(bulk["progress_reports"]) + repr(bulk["quarantined_rows"])
    assert not any(c in text for c in ("\\x07", "\\x1b", "\\x0b", "\\x0c", "\\x7f"))
    assert len(bulk["progress_reports"]) > 700


@pytest.mark.parametrize("content", [
    HEADER + progress_lines(30) + "lz-2015-054-t002,2015-10-01,推进中,5," + "长" * 40_000 + ",市人社局\n",
    HEADER + progress_lines(30) + 'lz-2015-054-t002,2015-10-01,推进中,5,"没有闭合,市人社局\n' + progress_lines(30),
    HEADER + progress_lines(30) + "lz-2015-054-t002,2015-10-01,推进中,5," + ",".join("x" * 300) + ",市人社局\n",
    HEADER + progress_lines(30) + "lz-2015-054-t002,2015-10-01,推进中,5," + "长" * 400_000 + ",市人社局\n",
])
def test_both_paths_enforce_the_same_limits(tmp_path, monkeypatch, content):
    path = tmp_path / "limits.csv"
    path.write_text(content, encoding="utf-8")
    bulk, pandas_path, _ = load_both_ways(tmp_path, [path], monkeypatch)
    assert bulk == pandas_path
    assert bulk["reason_codes"], "every case here breaks a limit"


# --- the same through the Dagster daily_load job, in process ----------------------------------------------------

def test_the_daily_load_job_rejects_the_poisoned_files_and_loads_the_good_one_in_the_same_run(private_warehouse,
                                                                                             tmp_path, reader_spy):
    from dagster_project.orchestration.runner import DAILY_JOB, run_job
    from dagster_project.settings import load_settings
    from dagster_project.submissions.inbox import submit
    from tests.integration.test_daily_load import _count, _filled_template

    warehouse = private_warehouse
    filled, task_ids = _filled_template(warehouse, tmp_path, [("2016-01-04", "推进中", 30, "进展顺利")])
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    poisons = {"人社局-长行-1.csv": long_line_csv("xy"), "人社局-长行-2.csv": long_line_csv("x"),
               "人社局-出错.csv": POISONS["a file the reader raises an unexpected exception on"][0]}
    paths = []
    for name, data in poisons.items():
        (outbox / name).write_bytes(data)
        paths.append(outbox / name)
    settings = load_settings()
    submitted = submit([paths[0], filled, *paths[1:]], inbox_dir=settings.inbox_dir)
    assert [r.status for r in submitted] == ["rejected", "accepted", "rejected", "rejected"]

    run_job(settings, DAILY_JOB, date(2016, 1, 4), date(2016, 1, 4), quiet=True)     # raises if the run failed
    assert _count(warehouse, "select task_id, status from raw.progress_reports") == [(task_ids[0], "in_progress")]
    files = dict(_count(warehouse, "select original_name, status from raw.submission_files"))
    assert files == {filled.name: "accepted", **{name: "rejected" for name in poisons}}
    codes = dict(_count(warehouse, "select file_name, reason_code from raw.quarantined_rows"))
    assert codes == {"人社局-长行-1.csv": "line_too_long", "人社局-长行-2.csv": "line_too_long",
                     "人社局-出错.csv": "unexpected_error"}

    seen = len(reader_spy)
    run_job(settings, DAILY_JOB, date(2016, 1, 4), date(2016, 1, 4), quiet=True)
    assert len(reader_spy) == seen, "the second run reads none of them again"
    assert _count(warehouse, "select count(*) from raw.submission_files") == [(4,)]
    assert _count(warehouse, "select count(*) from raw.progress_reports") == [(1,)]
