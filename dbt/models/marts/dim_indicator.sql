-- 指标维度：每个被度量的量一行，多个目标共用。Indicator dimension: one row per measured quantity, shared by targets.
select
    indicators.indicator_id,
    indicators.indicator_name,
    indicators.unit,
    indicators.direction,
    indicators.description,
    (select count(*) from {{ ref('stg_targets') }} as targets where targets.indicator_id = indicators.indicator_id) as target_count,
    indicators.source_line
from {{ ref('stg_indicators') }} as indicators
