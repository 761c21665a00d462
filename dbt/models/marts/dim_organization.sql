with versions as (
    select * from {{ ref('int_organization_versions') }}
),

organizations as (
    select * from {{ ref('stg_extracted__organizations') }}
),

-- the first dated document that gives the body a task: the text's own evidence that it was at work
first_named as (
    select assignments.org_id, min(documents.issued_on) as first_named_on
    from {{ ref('stg_extracted__task_assignments') }} as assignments
    inner join {{ ref('stg_extracted__tasks') }} as tasks on tasks.task_id = assignments.task_id
    inner join {{ ref('stg_extracted__documents') }} as documents on documents.doc_id = tasks.doc_id
    where assignments.org_id is not null and documents.issued_on is not null
    group by assignments.org_id
)

select
    {{ surrogate_key(['versions.org_id', 'versions.valid_from']) }} as organization_key,
    versions.org_id,
    organizations.org_name,
    organizations.short_name,
    organizations.org_kind,
    organizations.org_level,
    organizations.parent_org_id,
    organizations.region_code,
    versions.valid_from,
    versions.valid_to,
    versions.valid_to = cast('9999-12-31' as date) as is_current,
    case
        -- before the reform date, yet dated documents already give it tasks (市卫计委 from July 2015; the reform
        -- document 〔2015〕158号 of 2015-11-25 is its 三定 regulation): it was at work, under its new name
        when versions.established_on is not null and versions.valid_from < versions.established_on
            and first_named.first_named_on <= versions.valid_to then 'named_before_establishment'
        when versions.established_on is not null and versions.valid_from < versions.established_on then 'not_yet_established'
        when versions.dissolved_on is not null then 'dissolved_after'
        else 'in_force'
    end as version_state,
    versions.established_on,
    first_named.first_named_on,
    versions.dissolved_on,
    versions.successor_org_id,
    versions.reform_doc_id,
    organizations.source_line
from versions
inner join organizations on organizations.org_id = versions.org_id
left join first_named on first_named.org_id = versions.org_id
