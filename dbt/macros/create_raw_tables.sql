{#-
  The raw layer that the daily loads append to (policy-wh load / the Dagster job).
  Created here, empty, if missing, so the warehouse builds before the first submission
  arrives: "no data yet" is a valid state. Tables and columns are described in
  models/staging/submitted/_submitted__sources.yml; the last line writes those descriptions as DuckDB comments
  (macros/raw_table_comments.sql). Plain SQL DDL.
-#}
{% macro create_raw_tables() %}
    create schema if not exists raw;

    create table if not exists raw.submission_files (
        file_sha256 varchar not null,        -- sha256 of the file's bytes: the file's identity
        original_name varchar not null,
        received_at timestamp not null,
        reported_by varchar,
        status varchar not null,             -- accepted | partially_accepted | rejected
        error varchar,
        rows_total integer not null,
        rows_accepted integer not null,
        rows_quarantined integer not null,
        partition_date date not null
    );

    create table if not exists raw.progress_reports (
        file_sha256 varchar not null,
        file_name varchar not null,
        sheet_name varchar not null,
        row_number integer not null,
        task_id varchar not null,
        report_date date not null,
        status varchar not null,
        percent_complete double,
        note varchar,
        reported_by varchar not null,
        org_id varchar not null,
        partition_date date not null,
        loaded_at timestamp not null
    );

    create table if not exists raw.indicator_values (
        file_sha256 varchar not null,
        file_name varchar not null,
        sheet_name varchar not null,
        row_number integer not null,
        indicator_id varchar not null,
        region_code varchar not null,
        period varchar not null,
        period_start date not null,
        period_end date not null,
        value double not null,
        unit varchar,
        reported_by varchar not null,
        org_id varchar not null,
        partition_date date not null,
        loaded_at timestamp not null
    );

    -- one row per Dagster run of the daily load: what it loaded and the window of data days it rebuilt
    create table if not exists raw.load_runs (
        run_id varchar not null,
        partition_start date not null,
        partition_end date not null,
        window_start date not null,
        window_end date not null,
        files_applied integer not null,
        files_skipped integer not null,
        rows_accepted integer not null,
        rows_quarantined integer not null,
        loaded_at timestamp not null
    );

    create table if not exists raw.quarantined_rows (
        file_sha256 varchar not null,
        file_name varchar not null,
        sheet_name varchar,
        row_number integer,
        column_name varchar,
        raw_value varchar,
        reason_code varchar not null,        -- English code, e.g. unknown_task
        reason varchar not null,             -- Chinese, for the clerk who sent the file
        raw_row varchar,
        partition_date date not null,
        loaded_at timestamp not null
    );

    {% if execute %}{{ raw_table_comments(['submission_files', 'progress_reports', 'indicator_values', 'load_runs', 'quarantined_rows']) }}{% endif %}
{% endmacro %}
