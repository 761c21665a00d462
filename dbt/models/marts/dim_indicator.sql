select
    indicators.indicator_id,
    indicators.indicator_name,
    indicators.unit,
    indicators.direction,
    indicators.description,
    (select count(*) from {{ ref('stg_extracted__targets') }} as targets where targets.indicator_id = indicators.indicator_id) as target_count,
    indicators.source_line
from {{ ref('stg_extracted__indicators') }} as indicators
