"""Daily incremental loads of the progress facts (and the monthly scorecard) give exactly what a full refresh gives."""
import json
import shutil
from datetime import datetime

import duckdb
import pytest

from dagster_project.dbt_runner import run_dbt
from dagster_project.settings import load_settings

DAILY_MODELS = ["fct_progress_report", "fct_indicator_observation", "fct_task_status_daily", "rpt_department_scorecard"]
FACT_QUERIES = {
    "fct_progress_report": "select task_id, org_id, report_date, status, percent_complete, note, file_sha256, superseded_versions from marts.fct_progress_report order by all",
    "fct_task_status_daily": "select * exclude (snapshot_date_key) from marts.fct_task_status_daily order by all",
    "rpt_department_scorecard": "select * from reports.rpt_department_scorecard order by all",
}


@pytest.fixture()
def warehouse_copy(built_warehouse, tmp_path, monkeypatch):
    path = tmp_path / "warehouse.duckdb"
    shutil.copy(built_warehouse, path)
    monkeypatch.setenv("POLICY_WH_DB", str(path))
    return path


def _append_reports(path, partition_day, rows, file_sha256):
    with duckdb.connect(str(path)) as con:
        for number, (task_id, org_id, report_date, status, percent) in enumerate(rows, start=2):
            con.execute(
                "insert into raw.progress_reports values (?, ?, '任务进展', ?, ?, ?, ?, ?, '', '测试单位', ?, ?, ?)",
                [file_sha256, f"{file_sha256}.csv", number, task_id, report_date, status, percent, org_id,
                 partition_day, datetime.fromisoformat(partition_day + " 09:00:00")],
            )


def _build(days=None, full_refresh=False):
    args = ["build", "--select", *DAILY_MODELS, "--quiet"]
    if days:
        args += ["--vars", json.dumps({"min_date": days[0], "max_date": days[-1]})]
    if full_refresh:
        args.append("--full-refresh")
    run_dbt(load_settings(), args)


def _facts(path):
    with duckdb.connect(str(path), read_only=True) as con:
        return {name: con.execute(sql).fetchall() for name, sql in FACT_QUERIES.items()}


def test_daily_loads_equal_a_full_refresh(warehouse_copy):
    with duckdb.connect(str(warehouse_copy), read_only=True) as con:
        assignments = con.execute(
            "select task_id, org_id from raw.task_assignments where role = 'lead' and org_id <> '' order by task_id limit 3"
        ).fetchall()
    assert len(assignments) == 3
    (t1, o1), (t2, o2), (t3, o3) = assignments

    # each load passes the window of report dates it loaded, as the daily job does
    _append_reports(warehouse_copy, "2016-01-04", [(t1, o1, "2016-01-04", "in_progress", 30), (t2, o2, "2016-01-04", "not_started", 0)], "day1")
    _build(["2016-01-04"])
    _append_reports(warehouse_copy, "2016-01-05", [(t1, o1, "2016-01-04", "done", 100), (t3, o3, "2016-01-05", "blocked", 10)], "day2")
    _build(["2016-01-04", "2016-01-05"])
    _append_reports(warehouse_copy, "2016-01-06", [(t2, o2, "2016-01-02", "in_progress", 5)], "late")
    _build(["2016-01-02"])
    # a later day: the snapshot carries each task's stored state of 2016-01-05 into the days it rebuilds
    _append_reports(warehouse_copy, "2016-01-08", [(t3, o3, "2016-01-08", "in_progress", 40)], "day4")
    _build(["2016-01-08"])
    # into a new month: January is re-measured at its end (the scorecard rebuilds the last month it stored)
    _append_reports(warehouse_copy, "2016-02-03", [(t2, o2, "2016-02-03", "done", 100)], "day5")
    _build(["2016-02-03"])
    incremental = _facts(warehouse_copy)

    _build(full_refresh=True)
    full = _facts(warehouse_copy)

    assert incremental == full
    reports = {(r[0], str(r[2])): r for r in full["fct_progress_report"]}
    assert reports[(t1, "2016-01-04")][3] == "done" and reports[(t1, "2016-01-04")][7] == 1  # the correction won
    assert len(full["fct_progress_report"]) == 6
    status = {(r[0], str(r[1])): r for r in full["fct_task_status_daily"]}
    # the fourth run's days carry the reports from before its window (2016-01-06 and 07 have none of their own)
    assert status[(t1, "2016-01-07")][4] is not None and status[(t3, "2016-01-08")][2] == "in_progress"
    months = {(r[1], str(r[3])) for r in full["rpt_department_scorecard"]}
    assert {(o2, "2016-01-01"), (o2, "2016-02-01")} <= months


def test_the_scorecard_re_measures_the_last_month_when_the_days_move_into_a_new_month(warehouse_copy):
    """November is first measured on the 5th; after a load in December it must be measured on the 30th, when
    the task due on 2015-11-20 has become overdue — although the December run's window starts in December."""
    with duckdb.connect(str(warehouse_copy), read_only=True) as con:
        (task, org), = con.execute(
            "select a.task_id, a.org_id from raw.task_assignments a join raw.tasks t using (task_id) "
            "where a.role = 'lead' and a.org_id <> '' and t.deadline_date = date '2015-11-20' "
            "order by a.task_id limit 1").fetchall()
    _append_reports(warehouse_copy, "2015-11-05", [(task, org, "2015-11-05", "in_progress", 20)], "nov")
    _build(["2015-11-05"])
    _append_reports(warehouse_copy, "2015-12-02", [(task, org, "2015-12-02", "in_progress", 40)], "dec")
    _build(["2015-12-02"])
    incremental = _facts(warehouse_copy)["rpt_department_scorecard"]
    _build(full_refresh=True)
    full = _facts(warehouse_copy)["rpt_department_scorecard"]
    assert incremental == full
    november = next(r for r in full if r[1] == org and str(r[3]) == "2015-11-01")
    assert november[8] >= 1, november           # tasks_overdue as of 2015-11-30
