select
    cast(region_code as varchar) as region_code,
    cast(name as varchar) as region_name,
    cast(short_name as varchar) as short_name,
    cast(kind as varchar) as region_kind,
    cast(aq_group as varchar) as aq_group,
    cast(line as integer) as source_line
from {{ ref('regions') }}
