with assignments as (
    select task_id, org_id, assignment_role
    from {{ ref('stg_extracted__task_assignments') }}
    where org_id is not null and not is_generic
)

select
    task_id,
    org_id,
    case when max(case when assignment_role = 'lead' then 1 else 0 end) = 1 then 'lead' else 'co' end as responsibility
from assignments
group by task_id, org_id
