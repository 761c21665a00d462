-- 指标观测事实：每个指标、地区、统计期一行（同一组合后报覆盖先报）。
-- Indicator observation fact: one row per indicator, region and period; a later load supersedes an earlier one.
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='observation_key',
        on_schema_change='fail'
    )
}}

with loaded_in_window as (
    select distinct indicator_id, region_code, period_start, period_end
    from {{ ref('stg_indicator_values') }}
    where {{ in_load_window('period_end') }}
),

observations as (
    -- every version ever loaded of the keys touched in the window, so the latest one wins
    select all_values.*
    from {{ ref('stg_indicator_values') }} as all_values
    inner join loaded_in_window
        on all_values.indicator_id = loaded_in_window.indicator_id
        and all_values.region_code = loaded_in_window.region_code
        and all_values.period_start = loaded_in_window.period_start
        and all_values.period_end = loaded_in_window.period_end
),

files as (
    select file_sha256, received_at from {{ ref('stg_submission_files') }}
),

ranked as (
    select
        observations.*,
        row_number() over (
            partition by indicator_id, region_code, period_start, period_end
            -- the file received last wins; within one file, the lower row
            order by files.received_at desc, observations.loaded_at desc, observations.file_sha256 desc, observations.source_row_number desc
        ) as recency_rank
    from observations
    left join files on files.file_sha256 = observations.file_sha256
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
from ranked
where recency_rank = 1
