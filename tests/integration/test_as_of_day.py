"""One as-of day for the reports, the checks and the demo summary: the last data day loaded.

The bug this pins: the checks ran as of the load's last partition (2016-12-31) while the reports took the
latest report date (2016-12-30), so rpt_target_attainment joined no verdict and every check column was NULL.
"""
from datetime import date

import duckdb

from dagster_project.checks.frames import default_as_of
from dagster_project.demo import submit_demo_files
from dagster_project.orchestration.runner import run_daily
from dagster_project.settings import load_settings

# the shared warehouse fixture has loaded the partition 2016-01-01 already; this load goes beyond it
FIRST, LAST_SUBMITTED = date(2015, 12, 1), date(2016, 2, 29)
# loaded up to two days after the last submission: nobody reported on those days, they still count
LAST_LOADED = date(2016, 3, 2)


def test_reports_checks_and_summary_share_the_last_day_loaded(private_warehouse):
    settings = load_settings()
    assert submit_demo_files(settings, settings.data_dir / "demo_submissions", FIRST, LAST_SUBMITTED) > 50
    run_daily(settings, FIRST, LAST_LOADED, quiet=True)

    with duckdb.connect(str(private_warehouse), read_only=True) as con:
        last_report = con.execute("select max(report_date) from marts.fct_progress_report").fetchone()[0]
        assert last_report < LAST_LOADED
        assert default_as_of(con) == LAST_LOADED
        assert con.execute("select max(snapshot_date) from marts.fct_task_status_daily").fetchone()[0] == LAST_LOADED
        assert con.execute("select distinct as_of_date from reports.rpt_target_attainment").fetchall() == [(LAST_LOADED,)]
        # the policy-target suites of the load's daily_checks run (the submission suites run by partition)
        assert con.execute("select max(as_of_date) from raw.expectation_results where suite like 'targets%'"
                           ).fetchone()[0] == LAST_LOADED
        overdue_days = con.execute("select distinct as_of_date from reports.rpt_overdue_tasks").fetchall()
        assert overdue_days in ([], [(LAST_LOADED,)])

        targets, unchecked = con.execute(
            "select count(*), count(*) filter (where check_status is null or check_severity is null)"
            " from reports.rpt_target_attainment").fetchone()
        assert targets > 200 and unchecked == 0

        # every not-yet-due target with at least three observations up to the as-of day has a projection
        projectable = con.execute("""
            select attainment.target_id, attainment.projected_value, attainment.projected_status
            from reports.rpt_target_attainment as attainment
            where attainment.due_status = 'not_yet_due'
              and (select count(*) from marts.fct_indicator_observation as o
                   where o.indicator_id = attainment.indicator_id and o.region_code = attainment.region_code
                     and o.period_end <= attainment.as_of_date) >= 3
        """).fetchall()
    assert projectable, "the demo months should give some targets three observations"
    assert [row for row in projectable if row[1] is None or row[2] is None] == []
