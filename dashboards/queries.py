"""Every SQL the dashboard runs, one small function per question, on the published warehouse.

Why one module: the office must be able to trust that a number on a page is a number of a mart or report
table (dbt/models/marts, dbt/models/reports) — so the pages never write SQL and never compute a figure; they
only format, filter and sort what these functions return. Each function takes a DuckDB connection whose
default catalog is the published file (dashboards/connection.py) and returns a pandas DataFrame, a dict or a
scalar; none imports Streamlit, so tests can call them on the same file and compare.

Where a function of the warehouse already answers, it is reused, not rewritten: the as-of day is
dagster_project/checks/frames.py ``default_as_of``, the files and their quarantine are
dagster_project/warehouse_summary.py ``submission_report``.
"""
from __future__ import annotations

from datetime import date
from typing import Any

import duckdb
import pandas as pd

from dagster_project.checks.frames import default_as_of
from dagster_project.warehouse_summary import submission_report

# A task is "due soon" when its deadline lies within this many days after the as-of day and it is not done.
DUE_SOON_DAYS = 30


def _df(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
    return con.execute(sql, params or {}).df()


def _one(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any] | None = None) -> dict[str, Any] | None:
    cursor = con.execute(sql, params or {})
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip([d[0] for d in cursor.description], row))


# ---------------------------------------------------------------- overview

def as_of_day(con: duckdb.DuckDBPyConnection) -> date:
    """The warehouse's one as-of day (dbt/macros/as_of_date.sql), read back as the reports and checks do."""
    return default_as_of(con)


def publication(con: duckdb.DuckDBPyConnection) -> dict[str, Any] | None:
    """meta.publication: when (Asia/Shanghai time), by which run, how many tables and rows; None if absent."""
    try:
        return _one(con, """
            select published_at at time zone 'Asia/Shanghai' as published_at_local, run_id, published_by,
                   table_count, total_rows, duckdb_version, copy_method
            from meta.publication order by published_at desc limit 1""")
    except duckdb.CatalogException:
        return None


def publication_tables(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """meta.publication_tables for the marts and reports: rows of each table at publication."""
    try:
        return _df(con, """
            select schema_name, table_name, table_type, row_count from meta.publication_tables
            where schema_name in ('marts', 'reports') order by schema_name, table_name""")
    except duckdb.CatalogException:
        return pd.DataFrame(columns=["schema_name", "table_name", "table_type", "row_count"])


# The as-of day: the daily status snapshot's last day.
_LAST_SNAPSHOT_DAY = "(select max(snapshot_date) from marts.fct_task_status_daily)"
# The tasks on the as-of day, repeated body items left out (status ⋈ tasks).
_ON_AS_OF_DAY = f"status.snapshot_date = {_LAST_SNAPSHOT_DAY} and not tasks.is_duplicate"
# Due soon: not done, not overdue, the deadline within DUE_SOON_DAYS after the as-of day.
_DUE_SOON = f"""status.latest_status <> 'done' and not status.is_overdue
          and status.deadline_date >= status.snapshot_date
          and status.deadline_date <= status.snapshot_date + interval {DUE_SOON_DAYS} day"""


def task_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Tasks on the as-of day (repeated body items left out): total, done, overdue, due soon, never reported.

    overdue is reports.rpt_overdue_tasks; the others are marts.fct_task_status_daily on its last day."""
    row = _one(con, f"""
        select
            count(*) as total,
            count(*) filter (where status.latest_status = 'done') as done,
            (select count(*) from reports.rpt_overdue_tasks) as overdue,
            count(*) filter (where {_DUE_SOON}) as due_soon,
            count(*) filter (where status.latest_status = 'not_reported') as not_reported
        from marts.fct_task_status_daily as status
        inner join marts.dim_task as tasks on tasks.task_id = status.task_id
        where {_ON_AS_OF_DAY}""")
    return {key: int(value or 0) for key, value in (row or {}).items()}


def due_soon_tasks(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The tasks counted as due soon in :func:`task_counts`, nearest deadline first."""
    return _df(con, f"""
        select tasks.task_id, documents.doc_no, tasks.task_ref, tasks.lead_names, status.deadline_date,
               status.latest_status, status.latest_percent_complete, tasks.task_text
        from marts.fct_task_status_daily as status
        inner join marts.dim_task as tasks on tasks.task_id = status.task_id
        inner join marts.dim_document as documents on documents.doc_id = tasks.doc_id
        where {_ON_AS_OF_DAY} and {_DUE_SOON}
        order by status.deadline_date, tasks.task_id""")


# The task-days the heat strip and the trend count: every snapshot day since $since, repeated items left out.
_STATUS_DAYS_SINCE = """from marts.fct_task_status_daily as status
        inner join marts.dim_task as tasks on tasks.task_id = status.task_id
        where not tasks.is_duplicate and ($since is null or status.snapshot_date >= $since)"""


def daily_status_counts(con: duckdb.DuckDBPyConnection, since: date | None = None) -> pd.DataFrame:
    """Tasks per snapshot day and status (marts.fct_task_status_daily, repeated items left out): the heat strip."""
    return _df(con, f"""
        select status.snapshot_date, status.latest_status, count(*) as tasks
        {_STATUS_DAYS_SINCE}
        group by all order by all""", {"since": since})


def overdue_trend(con: duckdb.DuckDBPyConnection, since: date | None = None) -> pd.DataFrame:
    """Overdue tasks per snapshot day (marts.fct_task_status_daily.is_overdue, repeated items left out)."""
    return _df(con, f"""
        select status.snapshot_date, count(*) filter (where status.is_overdue) as overdue,
               count(*) filter (where status.latest_status = 'done') as done
        {_STATUS_DAYS_SINCE}
        group by all order by all""", {"since": since})


def overdue_tasks(con: duckdb.DuckDBPyConnection, org_id: str | None = None) -> pd.DataFrame:
    """reports.rpt_overdue_tasks, longest overdue first; with ``org_id`` only the tasks that body leads."""
    return _df(con, """
        select overdue.task_id, overdue.doc_no, overdue.task_ref, overdue.lead_names, overdue.deadline_text,
               overdue.deadline_date, overdue.days_overdue, overdue.latest_status, overdue.latest_percent_complete,
               overdue.lead_count, overdue.leads_reported, overdue.leads_done, overdue.last_report_date,
               overdue.last_reported_by, overdue.last_report_note, overdue.last_co_report_date,
               overdue.last_co_reported_by, overdue.task_text
        from reports.rpt_overdue_tasks as overdue
        where $org is null or overdue.task_id in (
            select task_id from marts.bridge_task_organization
            where assignment_role = 'lead' and org_id = $org and not is_generic)
        order by overdue.days_overdue desc, overdue.task_id""", {"org": org_id})


# ---------------------------------------------------------------- departments

def scorecard_months(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The months of reports.rpt_department_scorecard, newest first (month_start, month_label_zh)."""
    return _df(con, """
        select distinct month_start, month_label_zh from reports.rpt_department_scorecard
        order by month_start desc""")


def scorecard(con: duckdb.DuckDBPyConnection, month_start: date) -> pd.DataFrame:
    """One month of reports.rpt_department_scorecard, ranked: most overdue first, then lowest reporting rate."""
    return _df(con, """
        select org_id, short_name, month_label_zh, tasks_led, tasks_done, tasks_done_on_time, tasks_overdue,
               reporting_rate
        from reports.rpt_department_scorecard where month_start = $month
        order by tasks_overdue desc, reporting_rate asc, tasks_led desc, short_name""", {"month": month_start})


def departments(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The named lead organisations of the scorecard (org_id, short_name), in the order of the latest month's
    ranking (most overdue first, as :func:`scorecard`), organisations missing from that month last by name."""
    return _df(con, """
        with latest as (
            select * from reports.rpt_department_scorecard
            where month_start = (select max(month_start) from reports.rpt_department_scorecard)
        ),
        named as (select distinct org_id, short_name from reports.rpt_department_scorecard where org_id is not null)
        select named.org_id, named.short_name
        from named left join latest on latest.org_id = named.org_id
        order by latest.tasks_overdue desc nulls last, latest.reporting_rate asc nulls last,
                 latest.tasks_led desc nulls last, named.short_name""")


def department_history(con: duckdb.DuckDBPyConnection, org_id: str) -> pd.DataFrame:
    """Every month of one organisation's scorecard (reports.rpt_department_scorecard), oldest first."""
    return _df(con, """
        select month_start, month_label_zh, tasks_led, tasks_done, tasks_done_on_time, tasks_overdue, reporting_rate
        from reports.rpt_department_scorecard where org_id = $org order by month_start""", {"org": org_id})


def department_tasks(con: duckdb.DuckDBPyConnection, org_id: str) -> pd.DataFrame:
    """The tasks an organisation leads or co-operates on (marts.bridge_task_organization), with their status
    on the as-of day (marts.fct_task_status_daily); repeated body items left out. Overdue and led first."""
    return _df(con, f"""
        with roles as (
            select task_id, min(assignment_role) as assignment_role      -- 'co' < 'lead': lead wins below
            from (select task_id, case assignment_role when 'lead' then 'a_lead' else 'b_co' end as assignment_role
                  from marts.bridge_task_organization where org_id = $org and not is_generic)
            group by task_id
        )
        select tasks.task_id, documents.doc_no, tasks.task_ref,
               case roles.assignment_role when 'a_lead' then 'lead' else 'co' end as assignment_role,
               tasks.deadline_text, tasks.deadline_date, status.latest_status, status.latest_percent_complete,
               status.last_report_date, status.is_overdue, status.days_overdue, tasks.task_text
        from roles
        inner join marts.dim_task as tasks on tasks.task_id = roles.task_id
        inner join marts.dim_document as documents on documents.doc_id = tasks.doc_id
        left join marts.fct_task_status_daily as status
            on status.task_id = tasks.task_id
            and status.snapshot_date = {_LAST_SNAPSHOT_DAY}
        where not tasks.is_duplicate
        order by coalesce(status.is_overdue, false) desc, roles.assignment_role, status.days_overdue desc,
                 tasks.deadline_date nulls last, tasks.task_id""", {"org": org_id})


def department_quarantine(con: duckdb.DuckDBPyConnection, org_id: str) -> pd.DataFrame:
    """The quarantined rows (raw.quarantined_rows) of the files an organisation sent, with their Chinese
    reasons: a file is the organisation's when its 填报单位 is one of the organisation's names (its short and
    full names, the aliases of raw.organization_aliases, and the 填报单位 of rows already resolved to it in the
    facts), or — for a file rejected before 填报单位 could be read — when its file name contains the short name."""
    return _df(con, """
        with names as (
            select short_name as name from marts.dim_organization where org_id = $org and short_name is not null
            union select org_name from marts.dim_organization where org_id = $org and org_name is not null
            union select alias from raw.organization_aliases where org_id = $org
            union select distinct reported_by from marts.fct_progress_report where org_id = $org
            union select distinct reported_by from marts.fct_indicator_observation where org_id = $org
            union select distinct reported_by from marts.fct_air_quality_reading where org_id = $org
        ),
        short_names as (
            select distinct short_name from marts.dim_organization where org_id = $org and short_name is not null
        ),
        files as (
            select * from raw.submission_files
            where reported_by in (select name from names where name is not null)
               or (reported_by is null
                   and exists (select 1 from short_names where contains(original_name, short_names.short_name)))
        )
        select files.original_name, files.received_at, files.status as file_status, quarantine.sheet_name,
               quarantine.row_number, quarantine.column_name, quarantine.raw_value, quarantine.reason_code,
               quarantine.reason
        from raw.quarantined_rows as quarantine
        inner join files on files.file_sha256 = quarantine.file_sha256
        order by files.received_at desc, files.original_name, quarantine.sheet_name, quarantine.row_number""",
               {"org": org_id})


# ---------------------------------------------------------------- documents

def document_progress(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """reports.rpt_document_progress, most overdue share first."""
    return _df(con, """
        select doc_id, doc_no, title, policy_area, issued_on, task_count, done_count, overdue_count,
               unreported_count, done_share, overdue_share, unreported_share, as_of_date
        from reports.rpt_document_progress
        order by overdue_share desc, overdue_count desc, doc_no""")


# ---------------------------------------------------------------- targets

def targets(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every target of reports.rpt_target_attainment with its scope (marts.fct_target), its region's name
    (marts.dim_region), its indicator's direction and its document (marts.dim_document)."""
    return _df(con, """
        select attainment.target_id, attainment.indicator_id, attainment.indicator_name, facts.target_scope,
               attainment.region_code, regions.region_name, attainment.comparator, attainment.target_value,
               attainment.target_value_high, attainment.unit, attainment.due_date, attainment.observed_value,
               attainment.observed_period, attainment.observed_period_end, attainment.gap_to_target,
               attainment.attainment_status, attainment.due_status, attainment.as_of_date, attainment.verbatim,
               attainment.check_status, attainment.projected_value, attainment.projected_status,
               indicators.direction, documents.doc_no, documents.title as doc_title, documents.policy_area,
               facts.source_line
        from reports.rpt_target_attainment as attainment
        inner join marts.fct_target as facts on facts.target_id = attainment.target_id
        left join marts.dim_region as regions on regions.region_code = attainment.region_code
        left join marts.dim_indicator as indicators on indicators.indicator_id = attainment.indicator_id
        left join marts.dim_document as documents on documents.doc_id = attainment.doc_id
        order by documents.doc_no, attainment.target_id""")


def target_status_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Targets by attainment_status (met / not_met / no_data) in reports.rpt_target_attainment."""
    counts = {"met": 0, "not_met": 0, "no_data": 0}
    counts.update({status: int(n) for status, n in con.execute(
        "select attainment_status, count(*) from reports.rpt_target_attainment group by 1").fetchall()})
    return counts


def target_observations(con: duckdb.DuckDBPyConnection, target_id: str) -> pd.DataFrame:
    """The observations of a target's indicator for the region it is evaluated in
    (marts.fct_indicator_observation), oldest first."""
    return _df(con, """
        select observations.period, observations.period_start, observations.period_end,
               observations.observed_value, observations.unit, observations.reported_by, observations.submission_file
        from marts.fct_indicator_observation as observations
        inner join marts.fct_target as targets
            on targets.indicator_id = observations.indicator_id
            and targets.evaluated_region_code = observations.region_code
        where targets.target_id = $target
        order by observations.period_end, observations.loaded_at""", {"target": target_id})


# ---------------------------------------------------------------- tasks

def search_tasks(con: duckdb.DuckDBPyConnection, text: str, limit: int = 50) -> pd.DataFrame:
    """Tasks whose id, printed number, document number or text contains ``text`` (case-insensitive)."""
    return _df(con, """
        select tasks.task_id, documents.doc_no, tasks.task_ref, tasks.lead_names, tasks.task_text
        from marts.dim_task as tasks
        inner join marts.dim_document as documents on documents.doc_id = tasks.doc_id
        where $text <> '' and (
            contains(lower(tasks.task_id), lower($text)) or contains(lower(coalesce(tasks.task_ref, '')), lower($text))
            or contains(lower(documents.doc_no), lower($text)) or contains(lower(tasks.task_text), lower($text)))
        order by (lower(tasks.task_id) = lower($text)) desc, tasks.is_duplicate, tasks.task_id
        limit $limit""", {"text": text.strip(), "limit": limit})


def task(con: duckdb.DuckDBPyConnection, task_id: str) -> dict[str, Any] | None:
    """One task (marts.dim_task) with its document (marts.dim_document) and its status on the as-of day."""
    return _one(con, f"""
        select tasks.task_id, tasks.task_ref, tasks.task_text, tasks.source_kind, tasks.source_line,
               tasks.deadline_text, tasks.deadline_date, tasks.deadline_kind, tasks.policy_area, tasks.is_duplicate,
               tasks.duplicate_of_task_id, tasks.lead_names, tasks.co_names, documents.doc_id, documents.doc_no,
               documents.title as doc_title, documents.issued_on, status.snapshot_date, status.latest_status,
               status.latest_percent_complete, status.last_report_date, status.days_since_last_report,
               status.lead_count, status.leads_reported, status.leads_done, status.is_overdue, status.days_overdue
        from marts.dim_task as tasks
        inner join marts.dim_document as documents on documents.doc_id = tasks.doc_id
        left join marts.fct_task_status_daily as status
            on status.task_id = tasks.task_id
            and status.snapshot_date = {_LAST_SNAPSHOT_DAY}
        where tasks.task_id = $task""", {"task": task_id})


def task_organizations(con: duckdb.DuckDBPyConnection, task_id: str) -> pd.DataFrame:
    """The task's lead and co-operating bodies as printed (marts.bridge_task_organization), with the name of the
    organisation version valid on the document's date (marts.dim_organization); leads first."""
    return _df(con, """
        select bridge.assignment_role, bridge.name_as_printed, organizations.short_name, organizations.org_name,
               bridge.org_id, bridge.is_generic, bridge.source_line
        from marts.bridge_task_organization as bridge
        left join marts.dim_organization as organizations on organizations.organization_key = bridge.organization_key
        where bridge.task_id = $task
        order by case bridge.assignment_role when 'lead' then 0 else 1 end, bridge.source_line, bridge.name_as_printed""",
               {"task": task_id})


def task_days(con: duckdb.DuckDBPyConnection, task_id: str) -> pd.DataFrame:
    """The task's every day in marts.fct_task_status_daily: status, percent, deadline, overdue days."""
    return _df(con, """
        select snapshot_date, latest_status, latest_percent_complete, last_report_date, deadline_date, is_overdue,
               days_overdue, leads_reported, leads_done
        from marts.fct_task_status_daily where task_id = $task order by snapshot_date""", {"task": task_id})


def task_deadline_history(con: duckdb.DuckDBPyConnection, task_id: str) -> pd.DataFrame:
    """The deadline the warehouse held for the task over time, and when it was first overdue: one row per
    run of days with the same deadline in marts.fct_task_status_daily (dim_task keeps only the current one)."""
    return _df(con, """
        select deadline_date, min(snapshot_date) as from_day, max(snapshot_date) as to_day,
               min(snapshot_date) filter (where is_overdue) as first_overdue_day, max(days_overdue) as max_days_overdue
        from marts.fct_task_status_daily where task_id = $task
        group by deadline_date order by from_day""", {"task": task_id})


def task_reports(con: duckdb.DuckDBPyConnection, task_id: str) -> pd.DataFrame:
    """Every accepted progress report on the task (marts.fct_progress_report), oldest first, with the
    reporter's responsibility for it (lead / co, else none) from staging.int_task_responsibility — the rule
    that decides whose report moves the status — and the reporter's current short name."""
    return _df(con, """
        with names as (
            select org_id, short_name
            from (select org_id, short_name, row_number() over (partition by org_id order by valid_from desc) as n
                  from marts.dim_organization)
            where n = 1
        )
        select reports.report_date, reports.reported_by, reports.org_id, names.short_name,
               coalesce(responsibility.responsibility, 'none') as assignment_role, reports.status,
               reports.percent_complete, reports.note, reports.submission_file, reports.source_row_number,
               reports.superseded_versions
        from marts.fct_progress_report as reports
        left join staging.int_task_responsibility as responsibility
            on responsibility.task_id = reports.task_id and responsibility.org_id = reports.org_id
        left join names on names.org_id = reports.org_id
        where reports.task_id = $task
        order by reports.report_date, reports.loaded_at""", {"task": task_id})


# ---------------------------------------------------------------- data quality

def load_runs(con: duckdb.DuckDBPyConnection, limit: int = 20) -> pd.DataFrame:
    """The last load runs (raw.load_runs), newest first."""
    return _df(con, """
        select loaded_at, run_id, partition_start, partition_end, window_start, window_end, files_applied,
               files_skipped, rows_accepted, rows_quarantined
        from raw.load_runs order by loaded_at desc limit $limit""", {"limit": limit})


def submission_files(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every submitted file (raw.submission_files) as dagster_project.warehouse_summary.submission_report
    reads it — status, rows by kind, problems by reason_code and its first Chinese reasons — newest first."""
    report = submission_report(con)
    rows = [{
        "received_at": f.received_at, "original_name": f.original_name, "status": f.status,
        "rows_total": f.rows_total, "rows_accepted": f.rows_accepted, "rows_quarantined": f.rows_quarantined,
        "progress_rows": f.rows_by_kind.get("progress", 0), "indicator_rows": f.rows_by_kind.get("indicators", 0),
        "air_quality_rows": f.rows_by_kind.get("air_quality", 0), "problems": f.quarantine.problems,
        "by_reason": dict(f.quarantine.by_reason), "reasons": list(f.quarantine.reasons),
        "error": f.error, "file_sha256": f.file_sha256,
    } for f in report.files]
    frame = pd.DataFrame(rows, columns=["received_at", "original_name", "status", "rows_total", "rows_accepted",
                                        "rows_quarantined", "progress_rows", "indicator_rows", "air_quality_rows",
                                        "problems", "by_reason", "reasons", "error", "file_sha256"])
    return frame.sort_values(["received_at", "original_name"], ascending=[False, True], ignore_index=True)


def file_status_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Files by status in raw.submission_files (accepted / partially_accepted / rejected)."""
    counts = {"accepted": 0, "partially_accepted": 0, "rejected": 0}
    try:
        counts.update({status: int(n) for status, n in con.execute(
            "select status, count(*) from raw.submission_files group by 1").fetchall()})
    except duckdb.CatalogException:
        pass
    return counts


def quarantined_rows(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every quarantined row (raw.quarantined_rows) with its file's sender and the Chinese reason, newest first."""
    return _df(con, """
        select files.received_at, quarantine.file_name, files.reported_by, quarantine.sheet_name,
               quarantine.row_number, quarantine.column_name, quarantine.raw_value, quarantine.reason_code,
               quarantine.reason, quarantine.partition_date
        from raw.quarantined_rows as quarantine
        left join raw.submission_files as files on files.file_sha256 = quarantine.file_sha256
        order by files.received_at desc, quarantine.file_name, quarantine.sheet_name, quarantine.row_number""")


def quarantine_by_reason(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Quarantine records per reason_code (raw.quarantined_rows), most first."""
    return _df(con, """
        select reason_code, count(*) as problems, count(distinct file_sha256) as files
        from raw.quarantined_rows group by reason_code order by problems desc, reason_code""")


# ---------------------------------------------------------------- air quality

def air_quality_quarters(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The quarters of reports.rpt_air_quality_award, newest first."""
    return [row[0] for row in con.execute(
        "select distinct quarter from reports.rpt_air_quality_award order by quarter desc").fetchall()]


def air_quality_award(con: duckdb.DuckDBPyConnection, quarter: str) -> pd.DataFrame:
    """One quarter of reports.rpt_air_quality_award: by group, then final rank."""
    return _df(con, """
        select quarter, group_name, final_rank, region_code, region_name, rule_doc_no, composite_index,
               yoy_decline_rate, index_points, decline_points, total_points, reward_wan_yuan, penalty_wan_yuan, reason
        from reports.rpt_air_quality_award where quarter = $quarter
        order by group_name, final_rank nulls last, region_code""", {"quarter": quarter})


def air_quality_money(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Rewards and penalties (万元) of every unit and quarter in reports.rpt_air_quality_award."""
    return _df(con, """
        select quarter, region_name, group_name, cast(reward_wan_yuan as double) as reward_wan_yuan,
               cast(penalty_wan_yuan as double) as penalty_wan_yuan
        from reports.rpt_air_quality_award order by quarter, group_name, region_name""")


def air_quality_quarterly(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """marts.fct_air_quality_quarterly with the unit's name (marts.dim_region): the index per unit and quarter."""
    return _df(con, """
        select quarterly.quarter, quarterly.quarter_end_date, quarterly.region_code, regions.region_name,
               regions.aq_group, cast(quarterly.composite_index as double) as composite_index,
               cast(quarterly.previous_year_index as double) as previous_year_index,
               cast(quarterly.yoy_decline_rate as double) as yoy_decline_rate, quarterly.index_rose,
               quarterly.stations_expected, quarterly.stations_reported
        from marts.fct_air_quality_quarterly as quarterly
        left join marts.dim_region as regions on regions.region_code = quarterly.region_code
        order by quarterly.quarter, quarterly.region_code""")
