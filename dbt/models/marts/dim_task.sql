with tasks as (
    select * from {{ ref('stg_extracted__tasks') }}
),

leads as (
    select * from {{ ref('int_task_leads') }}
),

areas as (
    select * from {{ ref('stg_extracted__document_policy_areas') }}
)

select
    tasks.task_id,
    tasks.doc_id,
    tasks.task_ref,
    tasks.task_text,
    tasks.source_kind,
    tasks.deadline_text,
    tasks.deadline_date,
    case when tasks.deadline_date is not null then {{ date_key('tasks.deadline_date') }} end as deadline_date_key,
    tasks.deadline_kind,
    areas.policy_area,
    tasks.duplicate_of_task_id,
    tasks.duplicate_of_task_id is not null as is_duplicate,
    coalesce(leads.named_lead_count, 0) as named_lead_count,
    coalesce(leads.named_co_count, 0) as named_co_count,
    leads.first_lead_org_id,
    leads.lead_names,
    leads.co_names,
    tasks.source_line
from tasks
left join leads on leads.task_id = tasks.task_id
left join areas on areas.doc_id = tasks.doc_id
