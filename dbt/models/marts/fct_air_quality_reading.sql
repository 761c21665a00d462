-- 空气质量读数事实：每个监测站、季度一行（同一监测站、季度后报覆盖先报）。数据日是季度最后一天。
-- Air-quality reading fact: one row per station and quarter; a later file supersedes an earlier one.
-- Incremental: the daily job passes the window of data days it loaded, and a reading's data day is
-- its quarter's last day, so only the quarters touched are recomputed.
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='reading_key',
        on_schema_change='fail'
    )
}}

with loaded_in_window as (
    select distinct station_id, quarter
    from {{ ref('stg_air_quality_readings') }}
    where {{ in_load_window('quarter_end_date') }}
),

readings as (
    -- every version ever loaded of the station-quarters touched in the window, so the latest one wins
    select all_readings.*
    from {{ ref('stg_air_quality_readings') }} as all_readings
    inner join loaded_in_window
        on all_readings.station_id = loaded_in_window.station_id
        and all_readings.quarter = loaded_in_window.quarter
),

files as (
    select file_sha256, received_at from {{ ref('stg_submission_files') }}
),

ranked as (
    select
        readings.*,
        row_number() over (
            partition by readings.station_id, readings.quarter
            -- the file received last wins; within one file, the lower row
            order by files.received_at desc, readings.loaded_at desc, readings.file_sha256 desc,
                readings.source_row_number desc
        ) as recency_rank
    from readings
    left join files on files.file_sha256 = readings.file_sha256
)

select
    {{ surrogate_key(['ranked.station_id', 'ranked.quarter']) }} as reading_key,
    ranked.station_id,
    stations.station_name,
    stations.station_kind,
    stations.region_code,
    ranked.quarter,
    ranked.quarter_year,
    ranked.quarter_number,
    ranked.quarter_start_date,
    ranked.quarter_end_date,
    {{ date_key('ranked.quarter_end_date') }} as quarter_end_key,
    cast(ranked.composite_index as decimal(18, 4)) as composite_index,
    ranked.org_id,
    ranked.reported_by,
    ranked.file_sha256,
    ranked.submission_file,
    ranked.source_row_number,
    ranked.loaded_at
from ranked
inner join {{ ref('stg_air_quality_stations') }} as stations on stations.station_id = ranked.station_id
where ranked.recency_rank = 1
