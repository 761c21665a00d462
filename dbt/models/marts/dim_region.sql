select
    region_code,
    region_name,
    short_name,
    region_kind,
    aq_group,
    region_code = '131000' as is_whole_city,
    source_line
from {{ ref('stg_extracted__regions') }}
