{#-
  The raw table the daily loads append air-quality readings to (sheet 空气质量 of a submission:
  one station's quarterly average composite index). Created here, empty, if missing, so the
  warehouse builds before the first reading arrives. Called from on-run-start next to
  create_raw_tables(). Plain SQL DDL.
  Described in models/staging/submitted/_submitted__sources.yml; the last line writes that as DuckDB comments
  (macros/raw_table_comments.sql).
-#}
{% macro create_air_quality_tables() %}
    create schema if not exists raw;

    create table if not exists raw.air_quality_readings (
        file_sha256 varchar not null,        -- sha256 of the submitted file's bytes
        file_name varchar not null,
        sheet_name varchar not null,
        row_number integer not null,         -- the row as the clerk sees it in Excel
        station_id varchar not null,         -- air_quality_stations.station_id
        quarter varchar not null,            -- YYYYQn, e.g. 2016Q1
        composite_index decimal(18,4) not null,  -- the station's quarterly average composite index
        reported_by varchar not null,        -- 填报单位 as written
        org_id varchar not null,
        partition_date date not null,
        loaded_at timestamp not null
    );

    {% if execute %}{{ raw_table_comments(['air_quality_readings']) }}{% endif %}
{% endmacro %}
