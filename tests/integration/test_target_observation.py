"""marts.fct_target_observation and marts.fct_lead_task_deadline on a built warehouse: the stretches tile
the calendar, the frames the checks read pick the as-of day's stretch, the projection is the least-squares
line a left-to-right Python computation gives (the same number, not a close one), and the deadline mart
holds what the checks' own join used to compute."""
from datetime import date, datetime, timedelta

import duckdb
import pytest

from dagster_project.checks import frames
from dagster_project.dbt_runner import run_dbt
from dagster_project.settings import load_settings

# awkward values, two loads of one period end (the later one counts), a second period on the same end
OBSERVATIONS = [  # (period_start, period_end, value, loaded_at hour)
    (date(2015, 1, 1), date(2015, 3, 31), 61.3, 9),
    (date(2015, 4, 1), date(2015, 6, 30), 62.7, 9),
    (date(2015, 7, 1), date(2015, 9, 30), 63.1, 9),
    (date(2015, 7, 1), date(2015, 9, 30), 64.9, 10),       # a corrected load of the same period: this one is shown
    (date(2015, 1, 1), date(2015, 9, 30), 62.45, 8),        # a year-to-date figure ending on the same day
    (date(2015, 10, 1), date(2015, 12, 31), 66.05, 9),
    (date(2016, 1, 1), date(2016, 3, 31), 65.55, 9),
]


def least_squares(points, when):
    """The straight line through (day number, value), left to right, as dagster_project/checks/projection.py
    computed it before dbt took over (at least three points; all on one day → their mean)."""
    if len(points) < 3:
        return None
    xs = [float(day.toordinal()) for day, _ in points]
    ys = [float(value) for _, value in points]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    if spread == 0:
        return mean_y
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys)) / spread
    return mean_y + slope * (float(when.toordinal()) - mean_x)


@pytest.fixture()
def observed(private_warehouse):
    """A not-yet-due '>=' target with the observations above, the marts rebuilt on them."""
    with duckdb.connect(str(private_warehouse)) as con:
        target_id, indicator_id, region_code, due_date, value = con.execute(
            "select target_id, indicator_id, evaluated_region_code, due_date, target_value from marts.fct_target"
            " where comparator = '>=' and due_date > date '2016-06-30' and indicator_id is not null"
            " order by target_id limit 1").fetchone()
        for number, (start, end, observed_value, hour) in enumerate(OBSERVATIONS):
            con.execute(
                "insert into marts.fct_indicator_observation (observation_key, indicator_id, region_code, period,"
                " period_start, period_end, observed_value, loaded_at) values (?, ?, ?, ?, ?, ?, ?, ?)",
                [f"test-{number}", indicator_id, region_code, f"{start}/{end}", start, end, observed_value,
                 datetime(end.year, end.month, end.day, hour) + timedelta(days=1)])
    run_dbt(load_settings(), ["run", "--select", "fct_target_observation", "rpt_target_attainment"])
    return private_warehouse, target_id, due_date, value


def test_the_stretches_of_every_target_tile_the_calendar(observed):
    warehouse, *_ = observed
    with duckdb.connect(str(warehouse), read_only=True) as con:
        targets = con.execute("select count(*) from marts.fct_target where indicator_id is not null").fetchone()[0]
        firsts, lasts, gaps = con.execute("""
            with ordered as (
                select target_id, valid_from, valid_to,
                       lead(valid_from) over (partition by target_id order by valid_from) as next_from
                from marts.fct_target_observation
            )
            select count(*) filter (where valid_from = date '0001-01-01'),
                   count(*) filter (where valid_to = date '9999-12-31'),
                   count(*) filter (where next_from is not null and next_from <> valid_to + 1)
            from ordered""").fetchone()
        backwards = con.execute("select count(*) from marts.fct_target_observation where valid_to < valid_from").fetchone()[0]
    assert (firsts, lasts, gaps, backwards) == (targets, targets, 0, 0)


def test_each_as_of_day_reads_the_latest_observation_its_count_and_the_python_projection(observed):
    warehouse, target_id, due_date, value = observed
    days = [date(2014, 12, 31), date(2015, 3, 31), date(2015, 6, 29), date(2015, 9, 30), date(2015, 11, 15),
            date(2016, 3, 30), date(2016, 3, 31), date(2016, 6, 30)]
    projected_days = 0
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for day in days:
            frame = frames.read_policy_frames(con, day).by_asset["target_observations"]
            assert frame["target_id"].is_unique and len(frame) == con.execute(
                "select count(*) from marts.fct_target where indicator_id is not null").fetchone()[0]
            row = frame.set_index("target_id").loc[target_id]
            so_far = sorted((o for o in OBSERVATIONS if o[1] <= day), key=lambda o: (o[1], o[3]))
            assert int(row["observation_count"]) == len(so_far), day
            if not so_far:
                assert row[["observed_value", "is_met", "gap", "projected_value", "projected_status"]].isna().all(), day
                continue
            latest = so_far[-1]
            assert row["observed_value"] == latest[2] and row["observed_period_end"].date() == latest[1], day
            assert bool(row["is_met"]) == (latest[2] >= value) and row["gap"] == (0 if latest[2] >= value else value - latest[2])
            expected = least_squares([(o[1], o[2]) for o in so_far], due_date)
            if expected is None:
                assert row[["projected_value", "projected_status"]].isna().all(), day
            else:
                projected_days += 1
                assert row["projected_value"] == expected, (day, row["projected_value"], expected)   # exactly
                assert row["projected_status"] == ("met" if expected >= value else "not_met")
        # the report shows the stretch covering its own as-of day
        *report, as_of = con.execute("select observed_value, gap_to_target, attainment_status, as_of_date"
                                     " from reports.rpt_target_attainment where target_id = ?", [target_id]).fetchone()
    assert projected_days >= 4
    shown = sorted((o for o in OBSERVATIONS if o[1] <= as_of), key=lambda o: (o[1], o[3]))[-1][2]
    assert report == [shown, 0 if shown >= value else value - shown, "met" if shown >= value else "not_met"]


def test_the_deadline_mart_holds_the_lead_tasks_with_a_deadline_and_the_frame_filters_them(private_warehouse):
    with duckdb.connect(str(private_warehouse), read_only=True) as con:
        mart = con.execute("select org_id, task_id, doc_id, deadline_date from marts.fct_lead_task_deadline"
                           " order by 1, 2").fetchall()
        # what the checks' own join (DEADLINES_SQL in checks/frames.py) computed before the mart existed
        joined = con.execute("""
            select distinct bridge.org_id, tasks.task_id, tasks.doc_id, tasks.deadline_date
            from marts.dim_task as tasks
            inner join marts.bridge_task_organization as bridge
                on bridge.task_id = tasks.task_id and bridge.assignment_role = 'lead' and bridge.org_id is not null
            where tasks.deadline_date is not null and not tasks.is_duplicate
            order by 1, 2""").fetchall()
        as_of = date(2016, 1, 1)
        frame = frames.task_deadlines(con, as_of)
    assert mart == joined and len(mart) > 100
    assert len(frame) == sum(1 for row in mart if row[3] < as_of) > 0
    assert set(frame["latest_status"]) <= {"not_started", "in_progress", "done", "delayed", "blocked", "not_reported"}
