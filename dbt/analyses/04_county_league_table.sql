-- 县（市、区）排行：各县（市、区）和廊坊开发区牵头的任务（点名交办的，及"各县（市、区）政府"等泛称统一交办的）与各地自己报送的完成情况。County league table: per county-level unit, the tasks it leads and how far its own reports say it has got.
--
-- Most county tasks are handed out with a phrase, not a name: "各县（市、区）政府负责" gives the task to every
-- county, city and district government (the development zone is named separately when it is meant), so those
-- phrases count here for each of the ten. The task's city-wide status would mix the counties together;
-- this table reads each unit's OWN latest report on each task up to the as-of day.
with as_of as (
    select max(snapshot_date) as as_of_date from marts.fct_task_status_daily
),

units as (
    select org_id, region_code
    from marts.dim_organization
    where org_kind = 'region_government' and is_current and region_code <> '131000'
),

-- tasks handed to every county-level government by a generic phrase (各县（市、区）政府, 各县级人民政府 …)
every_county as (
    select distinct bridge.task_id
    from marts.bridge_task_organization as bridge
    where bridge.assignment_role = 'lead' and bridge.is_generic
      and bridge.name_as_printed like '%县%' and bridge.name_as_printed like '%政府'
),

assigned as (
    select bridge.task_id, units.org_id, max(1) as named
    from marts.bridge_task_organization as bridge
    inner join units on units.org_id = bridge.org_id
    where bridge.assignment_role = 'lead'
    group by bridge.task_id, units.org_id
    union all
    select every_county.task_id, units.org_id, 0 as named
    from every_county
    cross join units
    where units.region_code <> '131071'
      and not exists (
          select 1 from marts.bridge_task_organization as b
          where b.task_id = every_county.task_id and b.org_id = units.org_id and b.assignment_role = 'lead')
),

own_reports as (
    select
        reports.task_id,
        reports.org_id,
        reports.status,
        row_number() over (partition by reports.task_id, reports.org_id order by reports.report_date desc, reports.loaded_at desc) as recency
    from marts.fct_progress_report as reports
    inner join assigned on assigned.task_id = reports.task_id and assigned.org_id = reports.org_id
    where reports.report_date <= (select as_of_date from as_of)
)

select
    regions.region_name,
    regions.aq_group,
    count(*) as tasks_led,
    cast(sum(assigned.named) as integer) as tasks_led_by_name,
    count(own_reports.status) as tasks_reported,
    count(case when own_reports.status = 'done' then 1 end) as tasks_done,
    count(case when tasks.deadline_date < (select as_of_date from as_of) and coalesce(own_reports.status, '') <> 'done' then 1 end) as tasks_overdue,
    round(100.0 * count(case when own_reports.status = 'done' then 1 end) / count(*), 1) as done_percent
from assigned
inner join units on units.org_id = assigned.org_id
inner join marts.dim_region as regions on regions.region_code = units.region_code
inner join marts.dim_task as tasks on tasks.task_id = assigned.task_id and not tasks.is_duplicate
left join own_reports on own_reports.task_id = assigned.task_id and own_reports.org_id = assigned.org_id and own_reports.recency = 1
group by regions.region_name, regions.aq_group
order by done_percent desc, tasks_overdue, regions.region_name;
