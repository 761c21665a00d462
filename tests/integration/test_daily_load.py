"""The daily load through Dagster: template → submit → inbox → raw → facts, idempotent, sensor and schedule."""
import shutil
from datetime import date

import dagster as dg
import duckdb
import openpyxl
import pytest

from dagster_project.orchestration.runner import DAILY_JOB, run_daily, run_job
from dagster_project.settings import load_settings
from dagster_project.submissions.inbox import submit
from dagster_project.submissions.template import write_template


@pytest.fixture()
def warehouse(private_warehouse):
    return private_warehouse


def _filled_template(warehouse, tmp_path, rows):
    """The 市财政局 template with ``rows`` filled in on tasks it alone leads (only a lead's report moves a status)."""
    template = tmp_path / "template.xlsx"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        write_template(con, "市财政局", template)
        sole_lead = {task_id for (task_id,) in con.execute(
            "select task_id from staging.int_task_responsibility where responsibility = 'lead' group by task_id"
            " having count(*) = 1 and max(org_id) = 'lf-finance'").fetchall()}
    book = openpyxl.load_workbook(template)
    sheet = book["任务进展"]
    headers = [cell.value for cell in sheet[1]]
    column = {name: headers.index(name) + 1 for name in ("填报日期", "状态", "完成进度", "进展说明")}
    sheet_rows = [r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value in sole_lead][:len(rows)]
    assert len(sheet_rows) == len(rows)
    task_ids = [sheet.cell(r, 1).value for r in sheet_rows]
    for row, (day, status, percent, note) in zip(sheet_rows, rows):
        sheet.cell(row, column["填报日期"]).value = day
        sheet.cell(row, column["状态"]).value = status
        sheet.cell(row, column["完成进度"]).value = percent
        sheet.cell(row, column["进展说明"]).value = note
    filled = tmp_path / "市财政局-进展.xlsx"
    book.save(filled)
    return filled, task_ids


def _count(path, sql):
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_a_filled_template_loads_once_and_reaches_the_facts(warehouse, tmp_path):
    filled, task_ids = _filled_template(
        warehouse, tmp_path, [("2016-01-04", "推进中", 30, "进展顺利"), ("2016-01-05", "已完成", 100, "=SUM(A1)")]
    )
    [result] = submit([filled], inbox_dir=load_settings().inbox_dir)
    assert result.status == "accepted"
    runs_before = _count(warehouse, "select count(*) from raw.load_runs")[0][0]

    # what `policy-wh load --from 2016-01-04 --to 2016-01-05` does: daily_load as one run, then daily_checks
    runs = run_daily(load_settings(), date(2016, 1, 4), date(2016, 1, 5), quiet=True)
    assert runs.load_run_id != runs.checks_run_id
    assert _count(warehouse, "select count(distinct suite) from raw.expectation_results where as_of_date = '2016-01-05'"
                             " and (suite like 'targets_%' or suite = 'task_deadlines')") == [(15,)]
    facts = _count(warehouse, "select task_id, status, note from marts.fct_progress_report order by report_date")
    assert facts == [(task_ids[0], "in_progress", "进展顺利"), (task_ids[1], "done", "=SUM(A1)")]
    snapshot = _count(warehouse, f"select latest_status from marts.fct_task_status_daily where task_id = '{task_ids[1]}' and snapshot_date = '2016-01-05'")
    assert snapshot == [("done",)]

    # the same content again, under another name, and a rerun of the same days: nothing loads twice
    copy = tmp_path / "resent.xlsx"
    shutil.copy(filled, copy)
    submit([copy], inbox_dir=load_settings().inbox_dir)
    run_job(load_settings(), DAILY_JOB, date(2016, 1, 4), date(2016, 1, 5), quiet=True)
    assert _count(warehouse, "select count(*) from raw.progress_reports") == [(2,)]
    assert _count(warehouse, "select count(*) from raw.submission_files") == [(1,)]
    assert _count(warehouse, "select count(*) from raw.load_runs") == [(runs_before + 2,)]


def test_the_window_the_raw_load_emits_reaches_dbt_without_reading_load_runs_back(warehouse, tmp_path):
    """A run of one partition loads a file that also reports on the day before: the raw load widens the window
    and emits it (metadata of raw/submission_files, the run's last partition), the daily models rebuild both
    days, and raw.load_runs still records the run."""
    from dagster_project.orchestration.window import RunWindow

    filled, task_ids = _filled_template(
        warehouse, tmp_path, [("2016-01-04", "推进中", 30, "前一天"), ("2016-01-05", "推进中", 40, "当天")])
    [result] = submit([filled], inbox_dir=load_settings().inbox_dir)
    assert result.status == "accepted"
    load_run = run_job(load_settings(), DAILY_JOB, date(2016, 1, 5), quiet=True)
    facts = _count(warehouse, "select report_date, note from marts.fct_progress_report order by report_date")
    assert facts == [(date(2016, 1, 4), "前一天"), (date(2016, 1, 5), "当天")]
    with dg.DagsterInstance.get() as instance:
        [record] = instance.fetch_materializations(
            dg.AssetRecordsFilter(asset_key=dg.AssetKey(["raw", "submission_files"]), asset_partitions=["2016-01-05"]),
            limit=1).records
    assert record.run_id == load_run
    assert RunWindow.from_metadata(record.asset_materialization.metadata) == RunWindow(date(2016, 1, 4), date(2016, 1, 5))
    assert _count(warehouse, f"select partition_start, partition_end, window_start, window_end from raw.load_runs"
                             f" where run_id = '{load_run}'") == [(date(2016, 1, 5), date(2016, 1, 5),
                                                                  date(2016, 1, 4), date(2016, 1, 5))]


def test_the_inbox_sensor_asks_for_one_run_over_the_days_a_new_file_touches(warehouse, tmp_path):
    from dagster_project.definitions import defs

    filled, _ = _filled_template(warehouse, tmp_path, [("2015-12-30", "推进中", 10, ""), ("2016-01-06", "推进中", 20, "")])
    submit([filled], inbox_dir=load_settings().inbox_dir)
    sensor = defs.resolve_sensor_def("inbox_sensor")
    with dg.build_sensor_context(instance=dg.DagsterInstance.ephemeral()) as context:
        result = sensor.evaluate_tick(context)
    [request] = result.run_requests
    assert request.partition_key_range == dg.PartitionKeyRange("2015-12-30", "2016-01-06")
    assert result.cursor
    with dg.build_sensor_context(instance=dg.DagsterInstance.ephemeral(), cursor=result.cursor) as context:
        assert sensor.evaluate_tick(context).run_requests == []


def test_the_daily_job_is_partitioned_by_langfang_day_and_backfills_in_one_run():
    from dagster_project.definitions import defs

    job = defs.resolve_job_def(DAILY_JOB)
    partitions = job.partitions_def
    assert partitions.timezone == "Asia/Shanghai"
    assert partitions.get_first_partition_key() == "2015-07-01"
    schedule = defs.resolve_schedule_def("daily_load_schedule")
    assert schedule.cron_schedule == "0 6 * * *" and schedule.execution_timezone == "Asia/Shanghai"
    graph = defs.resolve_asset_graph()
    # the raw load is partitioned by day and a range backfills as one run; the daily models and the published
    # copy are not partitioned (one materialization per run, not one per model and day of its range)
    assert graph.get(dg.AssetKey(["raw", "progress_reports"])).backfill_policy == dg.BackfillPolicy.single_run()
    for key in (dg.AssetKey(["marts", "fct_task_status_daily"]), dg.AssetKey("published_warehouse")):
        assert graph.get(key).partitions_def is None
