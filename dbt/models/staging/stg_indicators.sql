-- 指标的暂存视图：只改名、定类型。Staging view of the indicators: renaming and typing only.
select
    cast(indicator_id as varchar) as indicator_id,
    cast(name as varchar) as indicator_name,
    cast(unit as varchar) as unit,
    cast(direction as varchar) as direction,
    cast(description as varchar) as description,
    cast(line as integer) as source_line
from {{ ref('indicators') }}
