"""The orchestration room: everything that knows about Dagster runs, in one folder.

* ``assets/`` — the Dagster assets and asset checks, one module per domain (extraction, submissions, dbt,
  checks, publishing); they call the domain packages (``dagster_project.extraction``, ``.submissions``,
  ``.checks``, ``.publish``), which never import this folder (tests/unit/test_import_picture.py);
* ``jobs.py`` — the jobs and the schedule; ``sensors.py`` — the inbox, checks and publish sensors;
* ``runner.py`` — running the jobs in this process for ``policy-wh load`` / ``demo`` (run_job, run_daily);
* ``window.py`` — the run window: the data days a daily run covers, and the one place its run tags are spelled;
* ``resources.py`` — the settings (dagster_project/settings.py) as a Dagster resource, which the assets read.

``dagster_project/definitions.py`` (the one entry point workspace.yaml loads) puts them together.
"""
