with assignments as (
    select * from {{ ref('stg_extracted__task_assignments') }}
),

tasks as (
    select tasks.task_id, coalesce(documents.issued_on, cast('2015-07-01' as date)) as assigned_on
    from {{ ref('stg_extracted__tasks') }} as tasks
    inner join {{ ref('stg_extracted__documents') }} as documents on documents.doc_id = tasks.doc_id
),

organizations as (
    select * from {{ ref('dim_organization') }}
)

select
    {{ surrogate_key(['assignments.task_id', 'assignments.assignment_role', 'assignments.name_as_printed', 'assignments.source_line']) }} as assignment_key,
    assignments.task_id,
    assignments.org_id,
    organizations.organization_key,
    assignments.assignment_role,
    assignments.name_as_printed,
    assignments.is_generic,
    assignments.source_line
from assignments
inner join tasks on tasks.task_id = assignments.task_id
left join organizations
    on organizations.org_id = assignments.org_id
    and tasks.assigned_on between organizations.valid_from and organizations.valid_to
