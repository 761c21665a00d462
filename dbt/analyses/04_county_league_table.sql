-- 县（市、区）排行：各地政府牵头的任务完成情况。County league table: tasks led by each region's government.
with latest as (
    select * from marts.fct_task_status_daily
    where snapshot_date = (select max(snapshot_date) from marts.fct_task_status_daily)
)
select
    regions.region_name,
    regions.aq_group,
    count(distinct bridge.task_id) as tasks_led,
    count(distinct case when latest.latest_status = 'done' then bridge.task_id end) as tasks_done,
    count(distinct case when latest.is_overdue then bridge.task_id end) as tasks_overdue,
    round(100.0 * count(distinct case when latest.latest_status = 'done' then bridge.task_id end)
          / nullif(count(distinct bridge.task_id), 0), 1) as done_percent
from marts.dim_region as regions
inner join marts.dim_organization as organizations
    on organizations.region_code = regions.region_code and organizations.org_kind = 'region_government'
    and not regions.is_whole_city
inner join marts.bridge_task_organization as bridge
    on bridge.organization_key = organizations.organization_key and bridge.assignment_role = 'lead'
left join latest on latest.task_id = bridge.task_id
group by regions.region_name, regions.aq_group
order by done_percent desc nulls last, tasks_overdue, regions.region_name;
