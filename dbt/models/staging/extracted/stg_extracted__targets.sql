select
    cast(target_id as varchar) as target_id,
    cast(doc_id as varchar) as doc_id,
    cast(task_id as varchar) as task_id,
    cast(indicator_id as varchar) as indicator_id,
    cast(comparator as varchar) as comparator,
    cast(value as decimal(18, 4)) as target_value,
    cast(value_high as decimal(18, 4)) as target_value_high,
    cast(unit as varchar) as unit,
    cast(scope as varchar) as target_scope,
    cast(region_code as varchar) as region_code,
    cast(due_date as date) as due_date,
    cast(verbatim as varchar) as verbatim,
    cast(line as integer) as source_line
from {{ ref('targets') }}
