-- dim_date is built with portable SQL only; here DuckDB's own calendar functions check it (tests may use them).
select date_day
from {{ ref('dim_date') }}
where iso_week <> cast(strftime(date_day, '%V') as integer)
   or iso_year <> cast(strftime(date_day, '%G') as integer)
   or iso_weekday <> isodow(date_day)
   or quarter_number <> quarter(date_day)
   or month_end <> last_day(date_day)
