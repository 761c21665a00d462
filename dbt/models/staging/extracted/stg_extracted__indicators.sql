select
    cast(indicator_id as varchar) as indicator_id,
    cast(name as varchar) as indicator_name,
    cast(unit as varchar) as unit,
    cast(direction as varchar) as direction,
    cast(description as varchar) as description,
    cast(line as integer) as source_line
from {{ ref('indicators') }}
