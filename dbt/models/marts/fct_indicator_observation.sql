-- A run rebuilds every key of the period ends in its window (macros/latest_loaded_versions.sql), so it
-- replaces whole period ends: deleting by a date column stays cheap however long the table grows
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='period_end',
        on_schema_change='fail'
    )
}}

-- depends_on: {{ ref('stg_submitted__submission_files') }}
with latest as (
    {{ latest_loaded_versions(ref('stg_submitted__indicator_values'), ['indicator_id', 'region_code', 'period_start', 'period_end'], 'period_end') }}
)

select
    {{ surrogate_key(['indicator_id', 'region_code', 'period_start', 'period_end']) }} as observation_key,
    indicator_id,
    region_code,
    period,
    period_start,
    period_end,
    {{ date_key('period_end') }} as period_end_key,
    observed_value,
    unit,
    org_id,
    reported_by,
    file_sha256,
    submission_file,
    loaded_at
from latest
