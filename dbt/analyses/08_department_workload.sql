-- 部门任务量：牵头与配合的任务数（当前机构版本）。Department workload: tasks led and co-operated on.
select
    organizations.short_name as department,
    organizations.org_kind,
    count(distinct case when bridge.assignment_role = 'lead' then bridge.task_id end) as tasks_led,
    count(distinct case when bridge.assignment_role = 'co' then bridge.task_id end) as tasks_co,
    count(distinct tasks.doc_id) as documents
from marts.bridge_task_organization as bridge
inner join marts.dim_task as tasks on tasks.task_id = bridge.task_id and not tasks.is_duplicate
inner join marts.dim_organization as organizations on organizations.organization_key = bridge.organization_key
group by organizations.short_name, organizations.org_kind
order by tasks_led desc, tasks_co desc
limit 30;
