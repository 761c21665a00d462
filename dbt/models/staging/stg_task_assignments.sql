-- 任务分工表的暂存视图：只改名、定类型。Staging view of the task assignments seed: renaming and typing only.
select
    cast(task_id as varchar) as task_id,
    cast(org_id as varchar) as org_id,
    cast(role as varchar) as assignment_role,
    cast(name_as_printed as varchar) as name_as_printed,
    cast(generic as boolean) as is_generic,
    cast(line as integer) as source_line
from {{ ref('task_assignments') }}
