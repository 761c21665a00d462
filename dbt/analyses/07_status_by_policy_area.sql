-- 各政策领域的任务状态分布（截至最新一天）。Task status by policy area, as of the latest day.
select
    tasks.policy_area,
    count(*) as tasks,
    count(case when status.latest_status = 'done' then 1 end) as done,
    count(case when status.latest_status in ('in_progress', 'not_started') then 1 end) as under_way,
    count(case when status.latest_status in ('delayed', 'blocked') then 1 end) as delayed_or_blocked,
    count(case when status.latest_status = 'not_reported' then 1 end) as not_reported,
    count(case when status.is_overdue then 1 end) as overdue
from marts.fct_task_status_daily as status
inner join marts.dim_task as tasks on tasks.task_id = status.task_id
where status.snapshot_date = (select max(snapshot_date) from marts.fct_task_status_daily)
  and not tasks.is_duplicate
group by tasks.policy_area
order by overdue desc, tasks desc;
