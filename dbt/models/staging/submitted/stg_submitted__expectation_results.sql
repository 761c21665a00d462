-- Column names are kept as in raw: the reports read them under these names, and the checks' own code
-- (dagster_project/checks) writes and reads the raw table, not this view.
select
    cast(run_id as varchar) as run_id,
    cast(evaluated_at as timestamp) as evaluated_at,
    cast(as_of_date as date) as as_of_date,
    cast(suite as varchar) as suite,
    cast(expectation as varchar) as expectation,
    cast(expectation_type as varchar) as expectation_type,
    cast(target_id as varchar) as target_id,
    cast(indicator_id as varchar) as indicator_id,
    cast(org_id as varchar) as org_id,
    cast(region_code as varchar) as region_code,
    cast(success as boolean) as success,
    cast(status as varchar) as status,
    cast(severity as varchar) as severity,
    cast(observed_value as double) as observed_value,
    cast(expected as varchar) as expected,
    cast(gap as double) as gap,
    cast(projected_value as double) as projected_value,
    cast(projected_status as varchar) as projected_status,
    cast(element_count as integer) as element_count,
    cast(unexpected_count as integer) as unexpected_count,
    cast(details as varchar) as details
from {{ source('raw', 'expectation_results') }}
