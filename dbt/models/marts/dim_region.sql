-- 地区维度：10 个县级行政区、廊坊开发区和全市。Region dimension: 10 county-level divisions, the development zone and the whole city.
select
    region_code,
    region_name,
    short_name,
    region_kind,
    aq_group,
    region_code = '131000' as is_whole_city,
    source_line
from {{ ref('stg_regions') }}
