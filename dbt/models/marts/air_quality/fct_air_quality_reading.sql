-- Incremental: the daily job passes the window of data days it loaded, and a reading's data day is its
-- quarter's last day, so a run rebuilds every station-quarter of the quarter ends in its window
-- (macros/latest_loaded_versions.sql). quarter_end_date is among the keys because the macro wants the window
-- column to be one; it follows from quarter, so the keys still mean one station and quarter.
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='reading_key',
        on_schema_change='fail'
    )
}}

-- depends_on: {{ ref('stg_submitted__submission_files') }}
with latest as (
    {{ latest_loaded_versions(ref('stg_submitted__air_quality_readings'), ['station_id', 'quarter', 'quarter_end_date'], 'quarter_end_date') }}
)

select
    {{ surrogate_key(['latest.station_id', 'latest.quarter']) }} as reading_key,
    latest.station_id,
    stations.station_name,
    stations.station_kind,
    stations.region_code,
    latest.quarter,
    latest.quarter_year,
    latest.quarter_number,
    latest.quarter_start_date,
    latest.quarter_end_date,
    {{ date_key('latest.quarter_end_date') }} as quarter_end_key,
    cast(latest.composite_index as decimal(18, 4)) as composite_index,
    latest.org_id,
    latest.reported_by,
    latest.file_sha256,
    latest.submission_file,
    latest.source_row_number,
    latest.loaded_at
from latest
inner join {{ ref('stg_extracted__air_quality_stations') }} as stations on stations.station_id = latest.station_id
