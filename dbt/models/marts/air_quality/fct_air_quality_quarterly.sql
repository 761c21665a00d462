with readings as (
    select * from {{ ref('fct_air_quality_reading') }}
),

stations_per_unit as (
    select region_code, count(*) as stations_expected
    from {{ ref('stg_extracted__air_quality_stations') }}
    group by region_code
),

unit_quarters as (
    select
        region_code,
        quarter,
        quarter_year,
        quarter_number,
        quarter_start_date,
        quarter_end_date,
        count(*) as stations_reported,
        sum(composite_index) as index_sum
    from readings
    group by region_code, quarter, quarter_year, quarter_number, quarter_start_date, quarter_end_date
),

units as (
    select
        unit_quarters.*,
        stations_per_unit.stations_expected,
        case
            when unit_quarters.stations_reported = stations_per_unit.stations_expected
                then cast({{ aq_exact_quotient('unit_quarters.index_sum', 'unit_quarters.stations_reported', 4, 6) }}
                          as decimal(18, 6))
        end as composite_index
    from unit_quarters
    inner join stations_per_unit on stations_per_unit.region_code = unit_quarters.region_code
)

select
    {{ surrogate_key(['this_year.region_code', 'this_year.quarter']) }} as unit_quarter_key,
    this_year.region_code,
    this_year.quarter,
    this_year.quarter_year,
    this_year.quarter_number,
    this_year.quarter_start_date,
    this_year.quarter_end_date,
    {{ date_key('this_year.quarter_end_date') }} as quarter_end_key,
    cast(this_year.stations_expected as {{ dbt.type_int() }}) as stations_expected,
    cast(this_year.stations_reported as {{ dbt.type_int() }}) as stations_reported,
    this_year.composite_index,
    {{ dbt.concat([dbt.cast('this_year.quarter_year - 1', dbt.type_string()), "'Q'",
                   dbt.cast('this_year.quarter_number', dbt.type_string())]) }} as previous_year_quarter,
    last_year.composite_index as previous_year_index,
    case
        when this_year.composite_index is not null and last_year.composite_index > 0
            then cast({{ aq_exact_quotient('last_year.composite_index - this_year.composite_index',
                                           'last_year.composite_index', 6, 6) }} as decimal(18, 6))
    end as yoy_decline_rate,
    case
        when this_year.composite_index is null or last_year.composite_index is null then null
        else this_year.composite_index > last_year.composite_index
    end as index_rose
from units as this_year
left join units as last_year
    on last_year.region_code = this_year.region_code
    and last_year.quarter_start_date = {{ dbt.dateadd('year', -1, 'this_year.quarter_start_date') }}
