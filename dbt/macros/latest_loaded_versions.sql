{#-
  The current version of every key the run's window touched, from an append-only raw table:
  all versions ever loaded of those keys, the one from the file received last winning (then the
  latest load, then the lower row of one file). Adds versions_received (how many versions exist).
  Used by the incremental progress and indicator facts, which delete+insert these keys.
-#}
{% macro latest_loaded_versions(staging_relation, keys, window_column) %}
    {%- set key_list = keys | join(', ') -%}
    with loaded_in_window as (
        select distinct {{ key_list }}
        from {{ staging_relation }}
        where {{ in_load_window(window_column) }}
    ),

    versions as (
        select all_versions.*
        from {{ staging_relation }} as all_versions
        inner join loaded_in_window using ({{ key_list }})
    ),

    files as (
        select file_sha256, received_at from {{ ref('stg_submission_files') }}
    ),

    ranked as (
        select
            versions.*,
            row_number() over (
                partition by {% for key in keys %}versions.{{ key }}{{ ", " if not loop.last }}{% endfor %}
                order by files.received_at desc, versions.loaded_at desc, versions.file_sha256 desc,
                         versions.source_row_number desc
            ) as recency_rank,
            count(*) over (partition by {% for key in keys %}versions.{{ key }}{{ ", " if not loop.last }}{% endfor %}) as versions_received
        from versions
        left join files on files.file_sha256 = versions.file_sha256
    )

    select * from ranked where recency_rank = 1
{% endmacro %}
