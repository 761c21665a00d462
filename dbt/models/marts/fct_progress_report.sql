-- 任务进展事实：每条被接收的报送行一行；同一任务、单位、日期的后报覆盖先报（先报仍留在 raw）。
-- Progress report fact: one row per accepted report; for the same task, organisation and report date the
-- latest load supersedes earlier ones (which stay visible in raw). Incremental: a run rebuilds the report dates in its window.
-- A run rebuilds every key of the report dates in its window (macros/latest_loaded_versions.sql), so it
-- replaces whole report dates: deleting by a date column stays cheap however long the table grows
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='report_date',
        on_schema_change='fail'
    )
}}

-- depends_on: {{ ref('stg_submission_files') }}
with latest as (
    {{ latest_loaded_versions(ref('stg_progress_reports'), ['task_id', 'org_id', 'report_date'], 'report_date') }}
)

select
    {{ surrogate_key(['task_id', 'org_id', 'report_date']) }} as progress_report_key,
    task_id,
    org_id,
    report_date,
    {{ date_key('report_date') }} as report_date_key,
    status,
    percent_complete,
    note,
    reported_by,
    file_sha256,
    submission_file,
    source_row_number,
    loaded_at,
    cast(versions_received - 1 as {{ dbt.type_int() }}) as superseded_versions
from latest
