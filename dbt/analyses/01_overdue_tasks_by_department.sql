-- 哪些部门的逾期任务最多？Which departments lead the most overdue tasks (as of the latest day)?
-- A task led by several departments counts for each of them.
select
    organizations.short_name as department,
    count(*) as overdue_tasks,
    max(overdue.days_overdue) as longest_overdue_days,
    round(avg(overdue.days_overdue), 1) as average_overdue_days
from reports.rpt_overdue_tasks as overdue
inner join marts.bridge_task_organization as bridge
    on bridge.task_id = overdue.task_id and bridge.assignment_role = 'lead' and bridge.org_id is not null
inner join marts.dim_organization as organizations
    on organizations.organization_key = bridge.organization_key
group by organizations.short_name
order by overdue_tasks desc, department
limit 20;
