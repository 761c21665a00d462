select
    cast(task_id as varchar) as task_id,
    cast(doc_id as varchar) as doc_id,
    cast(task_ref as varchar) as task_ref,
    cast(task_text as varchar) as task_text,
    cast(source_kind as varchar) as source_kind,
    cast(deadline_text as varchar) as deadline_text,
    cast(deadline_date as date) as deadline_date,
    cast(deadline_kind as varchar) as deadline_kind,
    cast(line as integer) as source_line,
    cast(duplicate_of as varchar) as duplicate_of_task_id
from {{ ref('tasks') }}
