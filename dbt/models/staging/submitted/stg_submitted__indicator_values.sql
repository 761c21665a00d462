select
    cast(file_sha256 as varchar) as file_sha256,
    cast(file_name as varchar) as submission_file,
    cast(sheet_name as varchar) as sheet_name,
    cast(row_number as integer) as source_row_number,
    cast(indicator_id as varchar) as indicator_id,
    cast(region_code as varchar) as region_code,
    cast(period as varchar) as period,
    cast(period_start as date) as period_start,
    cast(period_end as date) as period_end,
    cast(value as double) as observed_value,
    cast(unit as varchar) as unit,
    cast(reported_by as varchar) as reported_by,
    cast(org_id as varchar) as org_id,
    cast(partition_date as date) as partition_date,
    cast(loaded_at as timestamp) as loaded_at
from {{ source('raw', 'indicator_values') }}
