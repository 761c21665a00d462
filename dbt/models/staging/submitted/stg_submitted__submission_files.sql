select
    cast(file_sha256 as varchar) as file_sha256,
    cast(original_name as varchar) as original_name,
    cast(received_at as timestamp) as received_at,
    cast(reported_by as varchar) as reported_by,
    cast(status as varchar) as file_status,
    cast(error as varchar) as error_reason,
    cast(rows_total as integer) as rows_total,
    cast(rows_accepted as integer) as rows_accepted,
    cast(rows_quarantined as integer) as rows_quarantined,
    cast(partition_date as date) as partition_date
from {{ source('raw', 'submission_files') }}
