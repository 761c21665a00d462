select
    cast(task_id as varchar) as task_id,
    cast(org_id as varchar) as org_id,
    cast(role as varchar) as assignment_role,
    cast(name_as_printed as varchar) as name_as_printed,
    cast(generic as boolean) as is_generic,
    cast(line as integer) as source_line
from {{ ref('task_assignments') }}
