-- 任务进展事实：每条被接收的报送行一行；同一任务、单位、日期的后报覆盖先报（先报仍留在 raw）。
-- Progress report fact: one row per accepted report; for the same task, organisation and report date the
-- latest load supersedes earlier ones (which stay visible in raw). Incremental: a run rebuilds the task/organisation/date keys whose report date lies in its window.
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='progress_report_key',
        on_schema_change='fail'
    )
}}

with loaded_in_window as (
    select distinct task_id, org_id, report_date
    from {{ ref('stg_progress_reports') }}
    where {{ in_load_window('report_date') }}
),

reports as (
    -- every version ever loaded of the keys touched in the window, so the latest one wins
    select all_reports.*
    from {{ ref('stg_progress_reports') }} as all_reports
    inner join loaded_in_window
        on all_reports.task_id = loaded_in_window.task_id
        and all_reports.org_id = loaded_in_window.org_id
        and all_reports.report_date = loaded_in_window.report_date
),

files as (
    select file_sha256, received_at from {{ ref('stg_submission_files') }}
),

ranked as (
    select
        reports.*,
        row_number() over (
            partition by task_id, org_id, report_date
            -- the file received last wins; within one file, the lower row
            order by files.received_at desc, reports.loaded_at desc, reports.file_sha256 desc, reports.source_row_number desc
        ) as recency_rank,
        count(*) over (partition by task_id, org_id, report_date) as versions_received
    from reports
    left join files on files.file_sha256 = reports.file_sha256
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
from ranked
where recency_rank = 1
