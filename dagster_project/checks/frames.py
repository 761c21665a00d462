"""The one place that reads DuckDB into the pandas DataFrames the suites validate.

GX cannot query DuckDB through SQLAlchemy, so every suite's data is read here, with plain SQL over the
raw tables and the marts, and handed to GX as a DataFrame. Nothing is computed here: dbt decides which
observation counts, whether it meets its target, the gap and the projection (marts.fct_target_observation)
and which tasks each lead organisation answers for (marts.fct_lead_task_deadline); the frames only pick
the as-of day's rows:

* one per submission kind, named after its raw table (``progress_reports``, ``indicator_values``,
  ``air_quality_readings``): the raw rows of the daily partitions first … last, as stored;
* ``target_observations``: the stretch of marts.fct_target_observation covering ``as_of`` (``$as_of between
  valid_from and valid_to``), one row per target with an indicator — its latest observation, ``is_met``,
  ``gap``, ``abs_deviation`` for approx targets, ``observation_count`` and ``projected_value`` /
  ``projected_status``;
* ``task_deadlines``: the rows of marts.fct_lead_task_deadline with ``deadline_date < as_of``, with each
  task's latest status on the last day of marts.fct_task_status_daily up to as_of (``not_reported`` when
  it has none).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from .suites import ASSET_DEADLINES, ASSET_TARGETS, DEADLINE_TABLE, SUBMISSION_ASSETS, TARGET_TABLE

TARGETS_SQL = f"""
select *
from {TARGET_TABLE}
where $as_of between valid_from and valid_to
order by target_id
"""

DEADLINES_SQL = f"""
with snapshot_day as (
    select max(snapshot_date) as day from marts.fct_task_status_daily where snapshot_date <= $as_of
),
status as (
    select task_id, latest_status from marts.fct_task_status_daily
    where snapshot_date = (select day from snapshot_day)
)
select
    deadlines.org_id, deadlines.task_id, deadlines.doc_id, deadlines.deadline_date,
    coalesce(status.latest_status, 'not_reported') as latest_status
from {DEADLINE_TABLE} as deadlines
left join status on status.task_id = deadlines.task_id
where deadlines.deadline_date < $as_of
order by deadlines.org_id, deadlines.task_id
"""


@dataclass
class Frames:
    """The DataFrames of one run, keyed by GX data asset name."""

    by_asset: dict[str, pd.DataFrame]


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
    if table not in SUBMISSION_ASSETS:         # a declared kind's table (submissions/kinds/)
        raise ValueError(f"not a raw submission table: {table}")
    return _df(con, f"select * from raw.{table} where partition_date between ? and ? "
                    "order by file_sha256, sheet_name, row_number", [first, last])


def target_observations(con: duckdb.DuckDBPyConnection, as_of: date) -> pd.DataFrame:
    return _df(con, TARGETS_SQL, {"as_of": as_of})


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
    """Every declared kind's raw rows of the partitions first … last, keyed by its table (its GX asset)."""
    return Frames({table: raw_rows(con, table, first, last) for table in SUBMISSION_ASSETS})


def read_policy_frames(con: duckdb.DuckDBPyConnection, as_of: date) -> Frames:
    return Frames({ASSET_TARGETS: target_observations(con, as_of), ASSET_DEADLINES: task_deadlines(con, as_of)})
