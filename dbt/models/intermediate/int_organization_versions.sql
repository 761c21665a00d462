with organizations as (
    select * from {{ ref('stg_extracted__organizations') }}
),

reforms as (
    select * from {{ ref('stg_extracted__org_reforms') }}
),

-- every reform touches the body it is about, the body a duty moves to, and the body it moves from
reform_touches as (
    select org_id, effective_on, doc_id, change_kind from reforms
    union
    select to_org_id as org_id, effective_on, doc_id, change_kind from reforms where to_org_id is not null
    union
    select from_org_id as org_id, effective_on, doc_id, change_kind from reforms where from_org_id is not null
),

boundaries as (
    select org_id, cast('1900-01-01' as date) as version_start from organizations
    union
    select org_id, valid_from as version_start from organizations where valid_from is not null
    union
    select reform_touches.org_id, reform_touches.effective_on as version_start
    from reform_touches
    inner join organizations on organizations.org_id = reform_touches.org_id
),

versions as (
    select
        boundaries.org_id,
        boundaries.version_start,
        lead(boundaries.version_start) over (partition by boundaries.org_id order by boundaries.version_start) as next_start
    from boundaries
),

successors as (
    -- a body merged into another lives on in it
    select from_org_id as org_id, min(to_org_id) as successor_org_id
    from reforms
    where change_kind in ('merged', 'renamed') and from_org_id is not null and to_org_id is not null
    group by from_org_id
)

select
    versions.org_id,
    versions.version_start as valid_from,
    cast(coalesce(
        {{ dbt.dateadd('day', -1, 'versions.next_start') }},
        organizations.valid_to,
        cast('9999-12-31' as date)
    ) as date) as valid_to,
    organizations.valid_from as established_on,
    organizations.valid_to as dissolved_on,
    successors.successor_org_id,
    (
        select max(reform_touches.doc_id)
        from reform_touches
        where reform_touches.org_id = versions.org_id
          and reform_touches.effective_on <= versions.version_start
    ) as reform_doc_id
from versions
inner join organizations on organizations.org_id = versions.org_id
left join successors on successors.org_id = versions.org_id
where organizations.valid_to is null or versions.version_start <= organizations.valid_to
