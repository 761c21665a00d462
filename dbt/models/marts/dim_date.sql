-- Standard SQL and dbt's cross-database macros only (no DuckDB-specific date functions).
{%- set first_day = "cast('2014-01-01' as date)" %}
{%- set after_last_day = "cast('2031-01-01' as date)" %}

with spine as (
    {{ dbt.date_spine('day', first_day, after_last_day) }}
),

days as (
    select cast(date_day as date) as date_day
    from spine
    where date_day < {{ after_last_day }}
),

parts as (
    select
        date_day,
        cast(extract(year from date_day) as {{ dbt.type_int() }}) as year_number,
        cast(extract(quarter from date_day) as {{ dbt.type_int() }}) as quarter_number,
        cast(extract(month from date_day) as {{ dbt.type_int() }}) as month_number,
        cast(extract(day from date_day) as {{ dbt.type_int() }}) as day_of_month,
        -- 2014-01-06 was a Monday: ISO weekday 1 (Monday) … 7 (Sunday).
        cast(mod({{ dbt.datediff("cast('2014-01-06' as date)", 'date_day', 'day') }} + 7000, 7) + 1 as {{ dbt.type_int() }}) as iso_weekday,
        cast({{ dbt.date_trunc('month', 'date_day') }} as date) as month_start,
        cast({{ dbt.date_trunc('quarter', 'date_day') }} as date) as quarter_start,
        cast({{ dbt.date_trunc('year', 'date_day') }} as date) as year_start
    from days
),

iso as (
    select
        *,
        -- The ISO week belongs to the year of its Thursday.
        cast({{ dbt.dateadd('day', '4 - iso_weekday', 'date_day') }} as date) as iso_thursday
    from parts
)

select
    cast(year_number * 10000 + month_number * 100 + day_of_month as {{ dbt.type_int() }}) as date_key,
    date_day,
    year_number,
    quarter_number,
    month_number,
    day_of_month,
    cast(extract(year from iso_thursday) as {{ dbt.type_int() }}) as iso_year,
    cast(
        floor({{ dbt.datediff(dbt.date_trunc('year', 'iso_thursday'), 'iso_thursday', 'day') }} / 7) + 1
        as {{ dbt.type_int() }}
    ) as iso_week,
    iso_weekday,
    case iso_weekday
        when 1 then '星期一' when 2 then '星期二' when 3 then '星期三' when 4 then '星期四'
        when 5 then '星期五' when 6 then '星期六' else '星期日'
    end as weekday_name_zh,
    case iso_weekday
        when 1 then 'Monday' when 2 then 'Tuesday' when 3 then 'Wednesday' when 4 then 'Thursday'
        when 5 then 'Friday' when 6 then 'Saturday' else 'Sunday'
    end as weekday_name_en,
    iso_weekday <= 5 as is_workday,
    month_start,
    cast({{ dbt.last_day('date_day', 'month') }} as date) as month_end,
    quarter_start,
    cast({{ dbt.last_day('date_day', 'quarter') }} as date) as quarter_end,
    year_start,
    {{ dbt.concat(["cast(year_number as " ~ dbt.type_string() ~ ")", "'年'", "cast(month_number as " ~ dbt.type_string() ~ ")", "'月'"]) }} as month_label_zh,
    {{ dbt.concat([
        "cast(year_number as " ~ dbt.type_string() ~ ")", "'年第'",
        "case quarter_number when 1 then '一' when 2 then '二' when 3 then '三' else '四' end",
        "'季度'"]) }} as quarter_label_zh,
    {{ dbt.concat(["cast(year_number as " ~ dbt.type_string() ~ ")", "'Q'", "cast(quarter_number as " ~ dbt.type_string() ~ ")"]) }} as year_quarter
from iso
