select
    cast(file_sha256 as varchar) as file_sha256,
    cast(file_name as varchar) as submission_file,
    cast(sheet_name as varchar) as sheet_name,
    cast(row_number as integer) as source_row_number,
    cast(task_id as varchar) as task_id,
    cast(report_date as date) as report_date,
    cast(status as varchar) as status,
    cast(percent_complete as double) as percent_complete,
    cast(note as varchar) as note,
    cast(reported_by as varchar) as reported_by,
    cast(org_id as varchar) as org_id,
    cast(partition_date as date) as partition_date,
    cast(loaded_at as timestamp) as loaded_at
from {{ source('raw', 'progress_reports') }}
