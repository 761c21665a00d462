{#-
  The current version of every key the run's window touched, from an append-only raw table:
  all versions ever loaded of those keys, the one from the file received last winning (then the
  latest load, then the lower row of one file). Adds versions_received (how many versions exist).
  Used by the incremental progress, indicator and air-quality reading facts, which delete+insert these keys.

  window_column must be one of the keys: every version of a key then lies in the window if one does,
  so the rows in the window are all the versions needed, and an incremental run reads only the window
  (raw grows with years of history; the window does not).
-#}
{% macro latest_loaded_versions(staging_relation, keys, window_column) %}
    {%- if window_column not in keys -%}
        {{ exceptions.raise_compiler_error("latest_loaded_versions: the window column " ~ window_column ~ " must be one of the keys") }}
    {%- endif %}
    with versions as (
        select *
        from {{ staging_relation }}
        where {{ in_load_window(window_column) }}
    ),

    files as (
        select file_sha256, received_at
        from {{ ref('stg_submitted__submission_files') }}
        where file_sha256 in (select file_sha256 from versions)
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
