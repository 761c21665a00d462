"""Dagster assets and checks, one module per domain (extraction, dbt, …)."""
