select
    cast(alias as varchar) as alias,
    cast(org_id as varchar) as org_id,
    cast(line as integer) as source_line
from {{ ref('organization_aliases') }}
