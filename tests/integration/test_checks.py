"""The GX checks on a real warehouse: met / not met / no data, agreement with rpt_target_attainment, reruns
replace, and in the daily job a bad raw row fails the blocking check and stops the day's dbt models."""
from datetime import date, datetime

import dagster as dg
import duckdb
import pytest

from dagster_project.checks.runner import run_policy_checks, run_submission_checks
from dagster_project.dbt_runner import run_dbt
from dagster_project.settings import load_settings
from dagster_project.submissions.raw_tables import ensure_submission_tables
from dagster_project.warehouse import Warehouse


@pytest.fixture()
def warehouse(private_warehouse, tmp_path, monkeypatch):
    monkeypatch.setenv("POLICY_WH_DATA", str(tmp_path / "data"))
    (tmp_path / "dagster_home").mkdir()
    return private_warehouse


def _observe(con, indicator_id, region_code, value, period_end):
    con.execute(
        "insert into marts.fct_indicator_observation (observation_key, indicator_id, region_code, period, period_start,"
        " period_end, observed_value, loaded_at) values (?, ?, ?, ?, ?, ?, ?, ?)",
        [f"test-{indicator_id}-{region_code}-{period_end}", indicator_id, region_code, str(period_end.year),
         date(period_end.year, 1, 1), period_end, value, datetime(2016, 1, 1, 9)])


def test_met_missed_and_no_data_agree_with_the_report_and_a_rerun_replaces(warehouse):
    with duckdb.connect(str(warehouse)) as con:
        pairs = con.execute(
            "select target_id, indicator_id, evaluated_region_code, target_value from marts.fct_target"
            " where comparator = '>=' and (indicator_id, evaluated_region_code) in ("
            "   select indicator_id, evaluated_region_code from marts.fct_target group by all having count(*) = 1)"
            " order by target_id limit 2").fetchall()
        (met_id, met_indicator, met_region, met_value), (miss_id, miss_indicator, miss_region, miss_value) = pairs
        _observe(con, met_indicator, met_region, met_value, date(2015, 12, 31))          # exactly the target
        _observe(con, miss_indicator, miss_region, miss_value - 1, date(2015, 12, 31))   # one short
    # attainment is dbt's (marts.fct_target_observation): rebuild it on these observations
    run_dbt(load_settings(), ["run", "--select", "fct_target_observation"])

    settings = load_settings()
    run = run_policy_checks(settings, Warehouse(database=str(warehouse)))
    by_target = {row.target_id: row for row in run.rows if row.target_id}
    assert by_target[met_id].status == "met" and by_target[met_id].success and by_target[met_id].gap == 0
    missed = by_target[miss_id]
    assert (missed.status, missed.success, missed.observed_value, missed.gap) == ("not_met", False, miss_value - 1, 1)
    no_data = [row for row in by_target.values() if row.status == "no_data"]
    assert no_data and not any(row.success for row in no_data)
    assert run.docs_index.exists()

    with duckdb.connect(str(warehouse), read_only=True) as con:
        disagreements = con.execute(
            "select target_id, attainment_status, check_status from reports.rpt_target_attainment"
            " where check_status is distinct from attainment_status").fetchall()
        # the policy suites' rows (the daily load's submission suites store theirs under the same as-of day)
        first = con.execute("select count(*) from raw.expectation_results where as_of_date = ?"
                            " and suite not like 'submission%'", [run.as_of]).fetchone()[0]
    assert disagreements == []
    assert first == len(run.rows) == len(by_target) + sum(len(s.rows) for s in run.suites if s.kind == "deadlines")

    again = run_policy_checks(settings, Warehouse(database=str(warehouse)), run.as_of)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute("select count(*), count(distinct run_id), max(run_id) from raw.expectation_results"
                           " where as_of_date = ? and suite not like 'submission%'", [run.as_of]).fetchone()
        history = con.execute("select count(*) from reports.rpt_check_history where as_of_date = ?"
                              " and suite not like 'submission%'", [run.as_of]).fetchone()[0]
    assert rows == (first, 1, again.run_id)
    assert history == first


def _air_quality_row(sha, row_number, station_id, quarter, composite_index, day):
    return [sha, f"{sha}.xlsx", "空气质量", row_number, station_id, quarter, composite_index, "固安县人民政府",
            "gov-gu-an", day, datetime(day.year, day.month, day.day, 9)]


def test_an_air_quality_partition_is_validated_by_its_own_submission_suite(warehouse):
    """Rows that bypassed the loader (written straight into raw.air_quality_readings) are still judged by the
    air-quality suite: good rows pass, an unknown station, a malformed quarter or an index outside (0, 1000) fail."""
    day = date(2016, 1, 3)
    insert = "insert into raw.air_quality_readings values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    with duckdb.connect(str(warehouse)) as con:
        ensure_submission_tables(con)
        con.executemany(insert, [_air_quality_row("good", 2, "aq-131022-p1", "2015Q4", 5.123, day),
                                 _air_quality_row("good", 3, "aq-131003-n1", "2015Q4", 999.9999, day)])
    settings = load_settings()
    good = run_submission_checks(settings, Warehouse(database=str(warehouse)), day, day)
    suite = good.suite("submission_air_quality_readings")
    assert suite.kind == "submission" and suite.passed, [r.expectation for r in suite.rows if not r.success]
    assert {r.element_count for r in suite.rows if r.element_count is not None} == {2}
    assert {s.name for s in good.suites} >= {"submission_progress_reports", "submission_indicator_values"}

    with duckdb.connect(str(warehouse)) as con:
        con.executemany(insert, [_air_quality_row("bad", 2, "aq-nowhere", "2015Q4", 50.0, day),
                                 _air_quality_row("bad", 3, "aq-131022-p1", "2015Q5", 50.0, day),
                                 _air_quality_row("bad", 4, "aq-131022-p1", "2016Q1", 0, day),
                                 _air_quality_row("bad", 5, "aq-131022-p1", "2016Q1", 1000, day)])
    bad = run_submission_checks(settings, Warehouse(database=str(warehouse)), day, day)
    suite = bad.suite("submission_air_quality_readings")
    failing = {r.expectation: r for r in suite.rows if not r.success}
    assert not suite.passed and set(failing) == {"known:station_id", "format:quarter", "range:composite_index"}
    assert failing["range:composite_index"].observed_value == 2 and failing["known:station_id"].observed_value == 1
    # the other kinds' suites saw none of it, and the verdicts are stored as of the partition's day
    assert bad.suite("submission_progress_reports").passed and bad.suite("submission_indicator_values").passed
    with duckdb.connect(str(warehouse), read_only=True) as con:
        stored = con.execute("select expectation from raw.expectation_results where as_of_date = ?"
                             " and suite = 'submission_air_quality_readings' and not success order by 1",
                             [day]).fetchall()
    assert stored == [("format:quarter",), ("known:station_id",), ("range:composite_index",)]


def test_in_the_daily_job_a_bad_raw_row_blocks_the_models_and_daily_checks_evaluates_the_targets(warehouse):
    from dagster_project.definitions import defs
    from dagster_project.publish import published_path
    from dagster_project.orchestration.sensors import CHECKS_IN_PROCESS, CHECKS_TAG
    from dagster_project.orchestration.window import PARTITION_TAG, RunWindow

    job = defs.resolve_job_def("daily_load")
    checks_job = defs.resolve_job_def("daily_checks")
    day = date(2016, 1, 2)
    with duckdb.connect(str(warehouse)) as con:
        task_id, org_id = con.execute("select task_id, org_id from marts.bridge_task_organization"
                                      " where org_id is not null order by task_id limit 1").fetchone()
        con.execute("insert into raw.progress_reports values ('f' , 'bad.csv', '任务进展', 2, ?, ?, 'finished', 50, '',"
                    " '某单位', ?, ?, ?)", [task_id, day, org_id, day, datetime(2016, 1, 2, 9)])
    instance = dg.DagsterInstance.ephemeral()
    blocked = job.execute_in_process(instance=instance, partition_key=day.isoformat(), raise_on_error=False)
    assert not blocked.success
    evaluations = {e.event_specific_data.check_name: e.event_specific_data.passed
                   for e in blocked.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"}
    assert evaluations["submission_progress_reports"] is False
    assert evaluations["submission_indicator_values"] is True
    assert evaluations["submission_air_quality_readings"] is True       # one blocking check per declared kind
    ran = {e.step_key for e in blocked.all_events if e.event_type_value == "STEP_SUCCESS"}
    assert "warehouse_daily_dbt_assets" not in ran and "published_warehouse" not in ran
    with duckdb.connect(str(warehouse)) as con:
        failing = con.execute("select expectation from raw.expectation_results where suite = 'submission_progress_reports'"
                              " and not success").fetchall()
        con.execute("delete from raw.progress_reports where file_sha256 = 'f'")
    assert failing == [("allowed:status",)]

    clean = job.execute_in_process(instance=instance, partition_key=day.isoformat(), raise_on_error=False)
    assert clean.success
    # the load publishes without waiting for the target and deadline suites: those are daily_checks
    ran = {e.step_key for e in clean.all_events if e.event_type_value == "STEP_SUCCESS"}
    assert {"submission_quality_checks", "warehouse_daily_dbt_assets", "published_warehouse"} <= ran
    assert "policy_checks" not in ran
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select count(*) from raw.expectation_results where as_of_date = ?"
                           " and suite like 'targets_%'", [day]).fetchone()[0] == 0

    # what the daily_checks_sensor asks for after that run: daily_checks over the same partition
    request = _sensor_request(instance, clean)
    assert request.tags[PARTITION_TAG] == day.isoformat() and request.run_key == f"checks-{clean.run_id}"
    assert RunWindow.from_tags(request.tags) == RunWindow.of(day)
    checked = checks_job.execute_in_process(instance=instance, tags=request.tags, raise_on_error=False)
    assert checked.success
    passed = {e.event_specific_data.check_name for e in checked.all_events
              if e.event_type_value == "ASSET_CHECK_EVALUATION"}
    assert len([name for name in passed if name.startswith("targets_")]) == 14 and "task_deadlines" in passed
    with duckdb.connect(str(warehouse), read_only=True) as con:
        suites = con.execute("select count(distinct suite) from raw.expectation_results where as_of_date = ?"
                             " and suite like 'targets_%'", [day]).fetchone()[0]
        resolved = con.execute("select count(*) from raw.expectation_results where suite = 'submission_progress_reports'"
                               " and as_of_date = ? and not success", [day]).fetchone()[0]
    assert suites == 14 and resolved == 0
    # the checks publish nothing themselves: the publish job the publish_after_checks_sensor starts does
    publish = _sensor_request(instance, checked, sensor="publish_after_checks_sensor")
    assert RunWindow.from_tags(publish.tags) == RunWindow.of(day) and publish.run_key == f"publish-{checked.run_id}"
    ran = {e.step_key for e in checked.all_events if e.event_type_value == "STEP_SUCCESS"}
    assert "published_warehouse" not in ran
    assert defs.resolve_job_def("publish").execute_in_process(instance=instance, tags=publish.tags).success
    published = published_path(load_settings())
    with duckdb.connect(str(published), read_only=True) as con:
        assert con.execute("select count(distinct suite) from raw.expectation_results where as_of_date = ?"
                           " and suite like 'targets_%'", [day]).fetchone()[0] == 14

    # a load whose caller runs the checks itself (policy-wh load, demo) is left alone by the sensor
    tagged = job.execute_in_process(instance=instance, partition_key=day.isoformat(),
                                    tags={CHECKS_TAG: CHECKS_IN_PROCESS}, raise_on_error=False)
    assert tagged.success and isinstance(_sensor_request(instance, tagged), dg.SkipReason)


def _sensor_request(instance, result, sensor="daily_checks_sensor"):
    """Evaluate a run status sensor (daily_checks_sensor on a finished daily_load run, publish_after_checks_sensor
    on a finished daily_checks run) as the daemon would."""
    from dagster_project.orchestration import sensors

    success = next(e for e in result.all_events if e.event_type_value == "PIPELINE_SUCCESS")
    context = dg.build_run_status_sensor_context(
        sensor_name=sensor, dagster_instance=instance,
        dagster_run=instance.get_run_by_id(result.run_id), dagster_event=success)
    return getattr(sensors, sensor)(context)
