-- 任务责任单位：每个任务的每个具名、具体的指派机构一行——牵头（lead）或配合（co）。
-- Who answers for a task: one row per task and named, specific organisation assigned to it, as lead or co
-- (a body printed as both counts as lead). The status rule of fct_task_status_daily reads it:
--   * a task's status is what its lead organisations report; when it has several, it is done only when
--     every one of them has reported done;
--   * a co-operating organisation's report is kept (fct_progress_report) and shown (rpt_overdue_tasks) but
--     never moves the status;
--   * a task whose document names no specific lead (only 各县（市、区）政府, 有关部门 … or nobody) takes the
--     latest report of any organisation that is not a named co-operating body: nobody else answers for it.
with assignments as (
    select task_id, org_id, assignment_role
    from {{ ref('stg_task_assignments') }}
    where org_id is not null and not is_generic
)

select
    task_id,
    org_id,
    case when max(case when assignment_role = 'lead' then 1 else 0 end) = 1 then 'lead' else 'co' end as responsibility
from assignments
group by task_id, org_id
