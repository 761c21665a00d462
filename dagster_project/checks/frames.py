"""The one place that reads DuckDB into the pandas DataFrames the suites validate.

GX cannot query DuckDB through SQLAlchemy, so every suite's data is read here, with plain SQL over the
raw tables and the marts, and handed to GX as a DataFrame:

* ``progress_reports`` / ``indicator_values``: the raw rows of the daily partitions first … last, as stored;
* ``target_observations``: one row per target with an indicator — the latest observation of its indicator
  for its evaluated region with ``period_end <= as_of`` (ties: the last loaded), ``abs_deviation`` for
  approx targets, and the number of observations (for the trend projection);
* ``task_deadlines``: one row per lead organisation and task whose deadline has passed (``deadline_date <
  as_of``, repeated body items left out), with its latest status on the last snapshot day up to as_of
  (``not_reported`` when it has none).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from .suites import ASSET_DEADLINES, ASSET_INDICATORS, ASSET_PROGRESS, ASSET_TARGETS

TARGETS_SQL = """
with latest as (
    select indicator_id, region_code, observed_value, period, period_end,
           row_number() over (partition by indicator_id, region_code
                              order by period_end desc, loaded_at desc) as recency,
           count(*) over (partition by indicator_id, region_code) as observation_count
    from marts.fct_indicator_observation
    where period_end <= $as_of
)
select
    targets.target_id, targets.doc_id, targets.indicator_id,
    targets.evaluated_region_code as region_code, targets.comparator,
    targets.target_value, targets.target_value_high, targets.unit, targets.due_date,
    coalesce(indicators.direction, 'higher_is_better') as direction,
    latest.observed_value, latest.period as observed_period, latest.period_end as observed_period_end,
    abs(latest.observed_value - targets.target_value) as abs_deviation,
    coalesce(latest.observation_count, 0) as observation_count
from marts.fct_target as targets
left join marts.dim_indicator as indicators on indicators.indicator_id = targets.indicator_id
left join latest
    on latest.indicator_id = targets.indicator_id
    and latest.region_code = targets.evaluated_region_code
    and latest.recency = 1
where targets.indicator_id is not null
order by targets.target_id
"""

HISTORY_SQL = """
select observations.indicator_id, observations.region_code, observations.period_end, observations.observed_value
from marts.fct_indicator_observation as observations
inner join (select distinct indicator_id, evaluated_region_code from marts.fct_target) as targets
    on targets.indicator_id = observations.indicator_id and targets.evaluated_region_code = observations.region_code
where observations.period_end <= $as_of
order by 1, 2, 3
"""

DEADLINES_SQL = """
with snapshot_day as (
    select max(snapshot_date) as day from marts.fct_task_status_daily where snapshot_date <= $as_of
),
status as (
    select task_id, latest_status from marts.fct_task_status_daily
    where snapshot_date = (select day from snapshot_day)
)
select distinct
    bridge.org_id, tasks.task_id, tasks.doc_id, tasks.deadline_date,
    coalesce(status.latest_status, 'not_reported') as latest_status
from marts.dim_task as tasks
inner join marts.bridge_task_organization as bridge
    on bridge.task_id = tasks.task_id and bridge.assignment_role = 'lead' and bridge.org_id is not null
left join status on status.task_id = tasks.task_id
where tasks.deadline_date is not null and tasks.deadline_date < $as_of and not tasks.is_duplicate
order by bridge.org_id, tasks.task_id
"""


@dataclass
class Frames:
    """The DataFrames of one run, keyed by GX data asset name, plus the observation history."""

    by_asset: dict[str, pd.DataFrame]
    history: pd.DataFrame | None = None


def _df(con: duckdb.DuckDBPyConnection, sql: str, params: dict | list | None = None) -> pd.DataFrame:
    """Run ``sql``; text columns come back as object dtype holding str values.

    pandas 3 gives text a StringDtype that GX 1.24 cannot type-check (it reports the type "str" and
    matches no type list); as object columns GX checks each value's Python type, which is what we mean.
    """
    frame = con.execute(sql, params or {}).df()
    for column in frame.columns:
        if isinstance(frame[column].dtype, pd.StringDtype):
            frame[column] = frame[column].astype(object)
    return frame


def raw_rows(con: duckdb.DuckDBPyConnection, table: str, first: date, last: date) -> pd.DataFrame:
    """The raw rows of the daily partitions first … last, every column as stored."""
    if table not in ("progress_reports", "indicator_values"):
        raise ValueError(f"not a raw submission table: {table}")
    return _df(con, f"select * from raw.{table} where partition_date between ? and ? "
                    "order by file_sha256, sheet_name, row_number", [first, last])


def target_observations(con: duckdb.DuckDBPyConnection, as_of: date) -> tuple[pd.DataFrame, pd.DataFrame]:
    return _df(con, TARGETS_SQL, {"as_of": as_of}), _df(con, HISTORY_SQL, {"as_of": as_of})


def task_deadlines(con: duckdb.DuckDBPyConnection, as_of: date) -> pd.DataFrame:
    return _df(con, DEADLINES_SQL, {"as_of": as_of})


def default_as_of(con: duckdb.DuckDBPyConnection) -> date:
    """The warehouse's as-of day, which the reports use: the last day of the status snapshot.

    dbt defines it once (dbt/macros/as_of_date.sql: the last data day loaded unless a user passed one) and
    runs the snapshot up to it, so reading it back here keeps the checks, the reports and the demo summary
    on one day. Before any build: the last observation, else 2015-12-31."""
    row = con.execute(
        "select coalesce((select max(snapshot_date) from marts.fct_task_status_daily),"
        " (select max(period_end) from marts.fct_indicator_observation), date '2015-12-31')"
    ).fetchone()
    return row[0]


def read_submission_frames(con: duckdb.DuckDBPyConnection, first: date, last: date) -> Frames:
    return Frames({ASSET_PROGRESS: raw_rows(con, "progress_reports", first, last),
                   ASSET_INDICATORS: raw_rows(con, "indicator_values", first, last)})


def read_policy_frames(con: duckdb.DuckDBPyConnection, as_of: date) -> Frames:
    targets, history = target_observations(con, as_of)
    return Frames({ASSET_TARGETS: targets, ASSET_DEADLINES: task_deadlines(con, as_of)}, history)
