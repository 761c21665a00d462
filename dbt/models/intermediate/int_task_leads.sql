with assignments as (
    select
        assignments.task_id,
        assignments.assignment_role,
        assignments.org_id,
        coalesce(organizations.short_name, assignments.name_as_printed) as display_name,
        assignments.is_generic
    from {{ ref('stg_extracted__task_assignments') }} as assignments
    left join {{ ref('stg_extracted__organizations') }} as organizations on organizations.org_id = assignments.org_id
)

select
    task_id,
    count(distinct case when assignment_role = 'lead' and org_id is not null and not is_generic then org_id end) as named_lead_count,
    count(distinct case when assignment_role = 'co' and org_id is not null and not is_generic then org_id end) as named_co_count,
    min(case when assignment_role = 'lead' and org_id is not null and not is_generic then org_id end) as first_lead_org_id,
    {{ dbt.listagg("case when assignment_role = 'lead' then display_name end", "'、'", "order by display_name") }} as lead_names,
    {{ dbt.listagg("case when assignment_role = 'co' then display_name end", "'、'", "order by display_name") }} as co_names
from assignments
group by task_id
