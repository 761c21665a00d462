-- 机构维度（第二类缓慢变化维）：每个机构的每个历史版本一行，事实按其日期关联当日有效的版本。
-- Organisation dimension, type-2 slowly changing: one row per version of each organisation; a fact joins the
-- version valid on its date (org_id = … and fact_date between valid_from and valid_to).
with versions as (
    select * from {{ ref('int_organization_versions') }}
),

organizations as (
    select * from {{ ref('stg_organizations') }}
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
        when versions.established_on is not null and versions.valid_from < versions.established_on then 'not_yet_established'
        when versions.dissolved_on is not null then 'dissolved_after'
        else 'in_force'
    end as version_state,
    versions.established_on,
    versions.dissolved_on,
    versions.successor_org_id,
    versions.reform_doc_id,
    organizations.source_line
from versions
inner join organizations on organizations.org_id = versions.org_id
