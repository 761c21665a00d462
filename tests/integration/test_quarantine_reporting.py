"""The quarantine is visible: reasons and reason_code counts in the Dagster metadata, the step log,
`policy-wh load` and the demo summary; each partition of a ranged run carries its own day's numbers, the
run total only the last; accepted rows are counted by kind (progress, indicators, air quality) everywhere.

One `policy-wh load --from 2016-01-04 --to 2016-01-05` (daily_load, then daily_checks) on a private copy of
the built warehouse is shared by the tests of this module: a progress CSV with good and bad rows on both
days, an indicator CSV (one good row on 2016-01-05), an air-quality CSV for 2015Q4 (its data day
2015-12-31 lies outside the run's partitions) and a file that is rejected for its columns.
"""
from __future__ import annotations

import contextlib
import io
import logging
import shutil
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb
import openpyxl
import pytest

from dagster_project.submissions.template import write_template

FIRST, LAST = date(2016, 1, 4), date(2016, 1, 5)
UNKNOWN_TASK = "lz-2015-999-t999"
ENV = ("POLICY_WH_DB", "POLICY_WH_PUBLISHED", "POLICY_WH_INBOX", "POLICY_WH_DATA", "DAGSTER_HOME")


def _environment(patch: pytest.MonkeyPatch, root: Path, warehouse: Path | None = None) -> dict[str, Path]:
    paths = {"POLICY_WH_DB": warehouse or root / "warehouse.duckdb",
             "POLICY_WH_PUBLISHED": root / "published" / "warehouse.duckdb", "POLICY_WH_INBOX": root / "inbox",
             "POLICY_WH_DATA": root / "data", "DAGSTER_HOME": root / "dagster_home"}
    for name, path in paths.items():
        patch.setenv(name, str(path))
    (root / "dagster_home").mkdir(parents=True, exist_ok=True)
    return paths


def _task_rows(warehouse: Path, tmp: Path) -> tuple[list[str], str]:
    """Four task ids 市财政局 is assigned to, and the name the template pre-fills as 填报单位."""
    template = tmp / "template.xlsx"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        write_template(con, "市财政局", template)
    sheet = openpyxl.load_workbook(template)["任务进展"]
    headers = [cell.value for cell in sheet[1]]
    reporter = sheet.cell(2, headers.index("填报单位") + 1).value
    return [sheet.cell(r, 1).value for r in range(2, 6)], reporter


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def loaded(request, tmp_path_factory):
    """The shared load: files submitted, `policy-wh load --from … --to …` run, its stdout kept."""
    root = tmp_path_factory.mktemp("quarantine_reporting")
    patch = pytest.MonkeyPatch()
    # point everything at tmp BEFORE the session's built warehouse may be built (its load publishes)
    _environment(patch, root / "session")
    built = request.getfixturevalue("built_warehouse")
    warehouse = root / "warehouse.duckdb"
    shutil.copy(built, warehouse)
    paths = _environment(patch, root, warehouse)
    try:
        from dagster_project.cli import main
        from dagster_project.settings import load_settings
        from dagster_project.submissions.inbox import submit

        tasks, reporter = _task_rows(warehouse, root)
        with duckdb.connect(str(warehouse), read_only=True) as con:
            station = con.execute("select name from raw.air_quality_stations order by station_id limit 1").fetchone()[0]
            indicator, unit = con.execute("select indicator_id, unit from raw.indicators where unit <> '' "
                                          "order by indicator_id limit 1").fetchone()
        outbox = root / "outbox"
        outbox.mkdir()
        progress = _write(outbox / "市财政局-1月进展.csv", [
            "任务编号,填报日期,状态,完成进度,进展说明,填报单位",
            f"{tasks[0]},2016-01-04,推进中,30,按计划推进,{reporter}",      # row 2: good, 01-04
            f"{tasks[1]},2016-01-04,推进中,120,,{reporter}",               # row 3: percent_out_of_range, 01-04
            f"{tasks[2]},2016-01-05,已完成,100,,{reporter}",               # row 4: good, 01-05
            f"{UNKNOWN_TASK},2016-01-05,推进中,10,,{reporter}",            # row 5: unknown_task, 01-05
            f"{tasks[3]},2016-01-05,进行到一半,50,,{reporter}",            # row 6: invalid_status, 01-05
            f"{tasks[3]},2016-13-45,推进中,50,,{reporter}",                # row 7: invalid_date → the file's latest day
        ])
        indicators = _write(outbox / "市财政局-指标.csv", [
            "指标编号,地区,统计期,数值,单位,填报单位", f"{indicator},全市,2016-01-05,12,{unit},{reporter}"])
        air = _write(outbox / "市环保局-空气质量-2015Q4.csv", [
            "监测站,季度,综合指数,填报单位", f"{station},2015Q4,8.52,市环保局"])
        broken = _write(outbox / "缺列.csv", ["任务编号,填报日期,完成进度,填报单位", f"{tasks[0]},2016-01-04,10,{reporter}"])
        results = submit([progress, indicators, air, broken], inbox_dir=paths["POLICY_WH_INBOX"])
        assert [r.status for r in results] == ["partially_accepted", "accepted", "accepted", "rejected"], \
            [r.reasons for r in results]
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = main(["load", "--from", FIRST.isoformat(), "--to", LAST.isoformat()])
        assert code == 0, out.getvalue()
        with dg.DagsterInstance.get() as instance:
            [run] = instance.get_runs(filters=dg.RunsFilter(job_name="daily_load"))
            records = instance.get_records_for_run(run.run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION).records
            materializations = [r.event_log_entry.dagster_event.event_specific_data.materialization for r in records]
            logs = [entry for entry in instance.all_logs(run.run_id) if entry.dagster_event is None]
        yield {"stdout": out.getvalue(), "run_id": run.run_id, "materializations": materializations, "logs": logs,
               "warehouse": warehouse, "settings": load_settings()}
    finally:
        patch.undo()


def _metadata(loaded, table: str, day: date) -> dict:
    [event] = [m for m in loaded["materializations"]
               if m.asset_key == dg.AssetKey(["raw", table]) and m.partition == day.isoformat()]
    return event.metadata


def _records(value) -> list[dict]:
    assert isinstance(value, dg.TableMetadataValue), value
    return [record.data for record in value.records]


def test_the_raw_quarantine_materialization_lists_the_chinese_reasons_and_counts_by_reason_code(loaded):
    last = _metadata(loaded, "quarantined_rows", LAST)
    reasons = _records(last["run_total_quarantine"])
    texts = [r["reason"] for r in reasons]
    assert any(f"任务编号 {UNKNOWN_TASK} 不存在" in text for text in texts), texts
    assert any("完成进度 120 超出范围" in text for text in texts), texts
    assert any(r["file"] == "缺列.csv" and r["status"] == "rejected" and "缺少" in r["reason"] for r in reasons), reasons
    by_code = {r["reason_code"]: (r["problems"], r["files"]) for r in _records(last["run_total_problems_by_reason_code"])}
    assert by_code == {"percent_out_of_range": (1, 1), "unknown_task": (1, 1), "invalid_status": (1, 1),
                       "invalid_date": (1, 1), "missing_columns": (1, 1)}
    assert {r["reason_code"]: r["meaning"] for r in _records(last["run_total_problems_by_reason_code"])}[
        "unknown_task"] == "任务编号不存在"


def test_each_partition_carries_its_own_days_numbers_and_the_run_total_only_the_last(loaded):
    first, last = (_metadata(loaded, "quarantined_rows", day) for day in (FIRST, LAST))
    own = ("day_files", "day_progress_rows", "day_indicator_rows", "day_air_quality_rows", "day_rows_quarantined")
    # 01-04: rows 2 (good) and 3 (percent); 01-05: row 4 (good), 5, 6 and 7 (its date is bad: the file's
    # latest accepted day, 01-05), plus the indicator row. The rejected file counts on the day it was received
    # (today) and the 2015Q4 reading on 2015-12-31: both outside the run's partitions, in the run total only
    assert {k: first[k].value for k in own} == {"day_files": 1, "day_progress_rows": 1, "day_indicator_rows": 0,
                                                "day_air_quality_rows": 0, "day_rows_quarantined": 1}
    assert {k: last[k].value for k in own} == {"day_files": 2, "day_progress_rows": 1, "day_indicator_rows": 1,
                                               "day_air_quality_rows": 0, "day_rows_quarantined": 3}
    day_texts = [r["reason"] for r in _records(first["day_quarantine"])]
    assert len(day_texts) == 1 and "完成进度 120" in day_texts[0]
    assert not any(key.startswith("run_total") for key in first)
    assert last["run_total_progress_rows"].value == 2
    assert last["run_total_indicator_rows"].value == 1
    assert last["run_total_air_quality_rows"].value == 1           # 2015Q4: outside the run's partitions
    assert last["run_total_rows_accepted"].value == 4
    assert last["run_total_rows_quarantined"].value == 4
    assert last["run_total_files_loaded"].value == 4
    outside = last["run_total_outside_partitions"].value
    assert "1 accepted row(s) (0 progress rows, 0 indicator rows, 1 air-quality rows)" in outside, outside
    assert "1 problem(s) of 2 file(s)" in outside, outside
    # the same day numbers on every raw asset of the partition
    assert {k: _metadata(loaded, "progress_reports", FIRST)[k].value for k in own} == {k: first[k].value for k in own}


def test_the_day_numbers_equal_that_days_rows_in_raw(loaded):
    with duckdb.connect(str(loaded["warehouse"]), read_only=True) as con:
        for day in (FIRST, LAST):
            progress = con.execute("select count(*) from raw.progress_reports where report_date = ?", [day]).fetchone()[0]
            indicators = con.execute("select count(*) from raw.indicator_values where period_end = ?", [day]).fetchone()[0]
            metadata = _metadata(loaded, "progress_reports", day)
            assert (metadata["day_progress_rows"].value, metadata["day_indicator_rows"].value) == (progress, indicators)


def test_a_ranged_run_still_records_one_materialization_per_asset_and_partition(loaded):
    raw = [m for m in loaded["materializations"] if m.asset_key.path[0] == "raw"]
    assert len(raw) == 5 * 2
    assert sorted({(m.asset_key.path[1], m.partition) for m in raw}) == sorted(
        (name, day.isoformat()) for name in ("submission_files", "progress_reports", "indicator_values",
                                             "air_quality_readings", "quarantined_rows") for day in (FIRST, LAST))


def _load_warning(loaded) -> str:
    """The raw load's one warning in the run's event log (what the UI shows for the step)."""
    [message] = [e.user_message for e in loaded["logs"]
                 if e.step_key == "raw_submissions" and e.level == logging.WARNING]
    return message


def test_the_step_log_names_every_reason(loaded):
    message = _load_warning(loaded)
    assert f"任务编号 {UNKNOWN_TASK} 不存在" in message, message
    assert "状态“进行到一半”无法识别" in message
    assert "缺列.csv: rejected" in message
    assert "unknown_task 1" in message
    assert "partially_accepted —  (" not in message


def test_policy_wh_load_prints_the_reasons_and_the_rows_by_kind(loaded):
    out = loaded["stdout"]
    assert f"任务编号 {UNKNOWN_TASK} 不存在" in out, out
    assert "状态“进行到一半”无法识别" in out
    assert "市财政局-1月进展.csv: partly accepted — 2 row(s) accepted, 4 quarantined" in out
    assert "缺列.csv: rejected" in out and "缺少" in out
    assert "rows accepted: 4 = 2 progress rows" in out and "1 indicator rows" in out and "1 air-quality rows" in out
    assert "files: 4 loaded — 2 accepted, 1 partly accepted, 1 rejected" in out


def test_the_cli_report_is_the_step_logs_report(loaded):
    from dagster_project.warehouse_summary import run_report

    lines = run_report(loaded["warehouse"], loaded["run_id"]).lines()
    assert _load_warning(loaded).splitlines()[1:] == lines


def test_the_demo_summary_lists_the_quarantine_with_its_reasons(loaded):
    from dagster_project.demo import DemoSummary, submissions_lines, summarise

    summary = summarise(loaded["settings"], DemoSummary())
    assert summary.rows_by_kind == {"progress": 2, "indicators": 1, "air_quality": 1}
    assert summary.rows_loaded == 4 and summary.rows_quarantined == 4
    text = "\n".join(submissions_lines(summary))
    assert f"任务编号 {UNKNOWN_TASK} 不存在" in text
    assert "invalid_status 1 (状态无法识别)" in text
    assert "缺列.csv: rejected" in text


# --- the loader's report on a small warehouse (no Dagster) ---------------------------------------------------

SMALL_TODAY, SMALL_DAY = date(2015, 12, 1), date(2015, 12, 2)
SMALL_HEADER = "任务编号,填报日期,状态,完成进度,进展说明,填报单位"


@pytest.fixture()
def small(tmp_path, monkeypatch):
    """A warehouse with the reference and raw tables only, one partly accepted file with 7 bad rows and a
    rejected file loaded into it; (connection, LoadResult)."""
    from dagster_project.submissions.inbox import submit
    from dagster_project.submissions.loader import load_files
    from dagster_project.submissions.reference import load_reference
    from tests.unit.test_submission_validation import create_raw_tables, create_reference_tables

    _environment(monkeypatch, tmp_path)
    with duckdb.connect() as memory:
        create_reference_tables(memory)
        reference = load_reference(memory)
    lines = [SMALL_HEADER, "lz-2015-054-t001,2015-09-30,推进中,85%,按计划推进,市人社局"]
    lines += [f"lz-2015-999-t00{n},2015-10-0{n},推进中,50,,市人社局" for n in range(1, 8)]
    partly = _write(tmp_path / "人社局进展.csv", lines)
    broken = _write(tmp_path / "无状态.csv", ["任务编号,填报日期,填报单位", "lz-2015-054-t001,2015-09-30,市人社局"])
    stored = [r.stored_path for r in submit([partly, broken], inbox_dir=tmp_path / "inbox", reference=reference,
                                            today=SMALL_TODAY)]
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    create_reference_tables(con)
    create_raw_tables(con)
    result = load_files(con, stored, SMALL_DAY, SMALL_TODAY)
    yield con, result
    con.close()


def test_a_partly_accepted_files_outcome_carries_its_reasons_and_counts(small):
    _, result = small
    partly, broken = result.files
    assert partly.status == "partially_accepted" and partly.error is None      # the cause of the empty reason
    assert partly.quarantine.by_reason == {"unknown_task": 7} and partly.quarantine.rows == 7
    assert "任务编号 lz-2015-999-t001 不存在" in partly.quarantine.reasons[0]
    assert len(partly.quarantine.reasons) == 5
    # each bad row on its own 填报日期
    assert sorted(partly.quarantine_by_day) == [date(2015, 10, n) for n in range(1, 8)]
    assert broken.status == "rejected" and broken.quarantine.by_reason == {"missing_columns": 1}
    assert result.summary()["problems_by_reason"] == {"missing_columns": 1, "unknown_task": 7}
    assert result.summary()["rows_progress"] == 1


def test_the_report_shows_the_first_five_reasons_and_how_many_more(small):
    from dagster_project.submissions.loader import report_lines

    _, result = small
    text = "\n".join(report_lines(result.files))
    assert "人社局进展.csv: partly accepted — 1 row(s) accepted, 7 quarantined; unknown_task 7" in text
    assert all(f"任务编号 lz-2015-999-t00{n} 不存在" in text for n in range(1, 6))
    assert "lz-2015-999-t006" not in text and "… 2 more" in text
    assert "无状态.csv: rejected" in text and "缺少必填列" in text
    assert "problems by reason_code: unknown_task 7 (任务编号不存在), missing_columns 1 (缺少必填列)" in text


def test_the_warehouse_report_says_what_the_load_said(small):
    from dagster_project.demo import DemoSummary, submissions_lines
    from dagster_project.submissions.loader import report_lines
    from dagster_project.warehouse_summary import submission_report

    con, result = small
    report = submission_report(con)
    assert report.lines() == report_lines(result.files)
    text = "\n".join(submissions_lines(DemoSummary(submissions=report)))
    assert "任务编号 lz-2015-999-t001 不存在" in text and "… 2 more" in text
