select
    cast(org_id as varchar) as org_id,
    cast(name as varchar) as org_name,
    cast(short_name as varchar) as short_name,
    cast(kind as varchar) as org_kind,
    cast(level as varchar) as org_level,
    cast(parent_org_id as varchar) as parent_org_id,
    cast(valid_from as date) as valid_from,
    cast(valid_to as date) as valid_to,
    cast(line as integer) as source_line,
    cast(region_code as varchar) as region_code
from {{ ref('organizations') }}
