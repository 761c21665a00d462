-- 机构别名表的暂存视图：只改名、定类型。Staging view of the organisation aliases seed: renaming and typing only.
select
    cast(alias as varchar) as alias,
    cast(org_id as varchar) as org_id,
    cast(line as integer) as source_line
from {{ ref('organization_aliases') }}
