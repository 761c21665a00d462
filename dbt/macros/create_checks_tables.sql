{#-
  raw.expectation_results: one row per Great Expectations expectation evaluated by a check run
  (dagster_project/checks). Written by `policy-wh checks` and the Dagster asset checks; a rerun for the
  same as_of_date and suite REPLACES that date's rows of the suite (delete + insert in one transaction),
  so the table holds one result per (as_of_date, suite, expectation). Created here, empty, if missing.
  The same DDL is in dagster_project/checks/results.py (a test keeps them equal). Plain SQL DDL.
  Described in models/staging/submitted/_submitted__sources.yml; the last line writes that as DuckDB comments
  (macros/raw_table_comments.sql).
-#}
{% macro create_checks_tables() %}
    create schema if not exists raw;

    create table if not exists raw.expectation_results (
        run_id varchar not null,             -- the Dagster run id, or cli-<uuid> for policy-wh checks
        evaluated_at timestamp not null,     -- when the suite ran (Asia/Shanghai local time)
        as_of_date date not null,            -- the evaluation date
        suite varchar not null,              -- e.g. targets_health, task_deadlines, submission_progress_reports
        expectation varchar not null,        -- key within the suite: target_id, org_id or check:column
        expectation_type varchar not null,   -- the GX expectation, e.g. expect_column_values_to_be_between
        target_id varchar,
        indicator_id varchar,
        org_id varchar,
        region_code varchar,
        success boolean not null,
        status varchar not null,             -- met | not_met | no_data
        severity varchar not null,           -- error | warn
        observed_value double,
        expected varchar,
        gap double,
        projected_value double,
        projected_status varchar,            -- met | not_met when projected to the due date
        element_count integer,
        unexpected_count integer,
        details varchar                      -- JSON: failing tasks, sample unexpected values
    );

    {% if execute %}{{ raw_table_comments(['expectation_results']) }}{% endif %}
{% endmacro %}
