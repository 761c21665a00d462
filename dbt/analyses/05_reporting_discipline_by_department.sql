-- 报送纪律：近三个月各部门的平均报送率（最低在前）。Reporting discipline: average reporting rate over the last three months.
select
    short_name as department,
    round(100 * avg(reporting_rate), 1) as reporting_rate_percent,
    max(tasks_led) as tasks_led,
    min(month_start) as from_month,
    max(month_start) as to_month
from reports.rpt_department_scorecard
where month_start > (select max(month_start) from reports.rpt_department_scorecard) - interval '3' month
group by short_name
order by reporting_rate_percent, department;
