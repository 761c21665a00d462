select
    cast(station_id as varchar) as station_id,
    cast(name as varchar) as station_name,
    cast(kind as varchar) as station_kind,
    cast(region_code as varchar) as region_code,
    cast(line as integer) as source_line
from {{ ref('air_quality_stations') }}
