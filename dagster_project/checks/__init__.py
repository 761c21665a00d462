"""Great Expectations checks of the warehouse: submission quality, policy targets, task deadlines.

Why a package of its own: the suites are generated from the seeds (``policy-wh expectations``), the data
is read from DuckDB into pandas in one place (GX cannot query DuckDB through SQLAlchemy), GX runs on
those DataFrames with the file context in ``expectations/gx``, and the outcome lands in
``raw.expectation_results``, in Data Docs under ``data/`` and in Dagster asset checks.

Modules: ``comparators`` (a comparator as GX expectation bounds, the rule of the dbt macro target_is_met),
``suites`` (suite specs from the seeds), ``project`` (writes the GX project files), ``frames`` (DuckDB →
pandas: the as-of day's rows of the marts, where dbt computed attainment, gap and projection), ``runner``
(GX context and runs), ``results`` (the results table), ``report`` (the printed summary), ``cli``
(``policy-wh expectations`` / ``policy-wh checks``).
"""
