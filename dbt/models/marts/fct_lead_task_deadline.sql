-- Each lead organisation's tasks with a deadline: what the task-deadline checks hold against the daily
-- status snapshot (dagster_project/checks/frames.py keeps only "deadline before the as-of day" and the
-- status of that day). Body items repeated by a table row are left out, and a body printed twice as lead
-- of one task counts once.
select distinct
    bridge.org_id,
    tasks.task_id,
    tasks.doc_id,
    tasks.deadline_date
from {{ ref('dim_task') }} as tasks
inner join {{ ref('bridge_task_organization') }} as bridge
    on bridge.task_id = tasks.task_id
    and bridge.assignment_role = 'lead'
    and bridge.org_id is not null
where tasks.deadline_date is not null
  and not tasks.is_duplicate
