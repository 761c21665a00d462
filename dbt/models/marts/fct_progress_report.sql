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

-- depends_on: {{ ref('stg_submitted__submission_files') }}
with latest as (
    {{ latest_loaded_versions(ref('stg_submitted__progress_reports'), ['task_id', 'org_id', 'report_date'], 'report_date') }}
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
