"""raw.expectation_results: a rerun of the same as-of date and suite replaces its rows."""
from datetime import date, datetime

import duckdb

from dagster_project.checks.results import ResultRow, write_results


def _row(run_id, as_of, suite="targets_health", key="g1", status="met"):
    return ResultRow(run_id=run_id, evaluated_at=datetime(2016, 1, 1, 8), as_of_date=as_of, suite=suite,
                     expectation=key, expectation_type="expect_column_values_to_be_between", target_id=key,
                     indicator_id="i1", org_id=None, region_code="131000", success=status == "met", status=status,
                     severity="error", observed_value=1.0, expected="≥ 1", gap=0.0, projected_value=None,
                     projected_status=None, element_count=1, unexpected_count=0, details=None)


def test_a_rerun_of_the_same_date_replaces_and_other_dates_stay():
    con = duckdb.connect()
    write_results(con, [_row("a", date(2016, 1, 1)), _row("a", date(2016, 1, 1), key="g2")])
    write_results(con, [_row("a", date(2016, 1, 2))])
    write_results(con, [_row("b", date(2016, 1, 1), status="not_met"), _row("b", date(2016, 1, 1), key="g2")])
    rows = con.execute("select as_of_date, expectation, run_id, status from raw.expectation_results order by 1, 2").fetchall()
    assert rows == [(date(2016, 1, 1), "g1", "b", "not_met"), (date(2016, 1, 1), "g2", "b", "met"),
                    (date(2016, 1, 2), "g1", "a", "met")]


def test_another_suite_of_the_same_date_is_not_touched():
    con = duckdb.connect()
    write_results(con, [_row("a", date(2016, 1, 1)), _row("a", date(2016, 1, 1), suite="task_deadlines", key="org")])
    write_results(con, [_row("b", date(2016, 1, 1))])
    assert con.execute("select suite, run_id from raw.expectation_results order by 1").fetchall() == [
        ("targets_health", "b"), ("task_deadlines", "a")]
