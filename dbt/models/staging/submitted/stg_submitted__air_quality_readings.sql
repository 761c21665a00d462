with typed as (
    select
        cast(file_sha256 as varchar) as file_sha256,
        cast(file_name as varchar) as submission_file,
        cast(sheet_name as varchar) as sheet_name,
        cast(row_number as integer) as source_row_number,
        cast(station_id as varchar) as station_id,
        cast(quarter as varchar) as quarter,
        cast(substr(quarter, 1, 4) as integer) as quarter_year,
        cast(substr(quarter, 6, 1) as integer) as quarter_number,
        cast(composite_index as decimal(18, 4)) as composite_index,
        cast(reported_by as varchar) as reported_by,
        cast(org_id as varchar) as org_id,
        cast(partition_date as date) as partition_date,
        cast(loaded_at as timestamp) as loaded_at
    from {{ source('raw', 'air_quality_readings') }}
)

select
    *,
    make_date(quarter_year, 3 * quarter_number - 2, 1) as quarter_start_date,
    cast(make_date(quarter_year, 3 * quarter_number - 2, 1) + interval 3 month - interval 1 day as date) as quarter_end_date
from typed
