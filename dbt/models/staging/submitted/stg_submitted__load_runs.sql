select
    cast(run_id as varchar) as run_id,
    cast(partition_start as date) as partition_start,
    cast(partition_end as date) as partition_end,
    cast(window_start as date) as window_start,
    cast(window_end as date) as window_end,
    cast(files_applied as integer) as files_applied,
    cast(files_skipped as integer) as files_skipped,
    cast(rows_accepted as integer) as rows_accepted,
    cast(rows_quarantined as integer) as rows_quarantined,
    cast(loaded_at as timestamp) as loaded_at
from {{ source('raw', 'load_runs') }}
