"""The warehouse's settings as a Dagster resource: how the assets learn where things are.

Each field is one of the environment variables of dagster_project/settings.py; left empty (the default), it
is that variable as the run's process sees it when the run starts, else settings.py's default (the same rule
as :func:`~dagster_project.settings.load_settings`). ``policy-wh load`` and ``policy-wh demo`` pass their own
resolved settings as the run's resource config (:func:`settings_run_config`), so a run they start uses exactly
their paths whatever the environment says; the UI shows the values in the run's config.
"""
from __future__ import annotations

import os
from typing import Any

import dagster as dg

from ..settings import Settings, load_settings

# field → the environment variable it stands for
FIELDS = {
    "root": "POLICY_WH_ROOT",
    "data_dir": "POLICY_WH_DATA",
    "source": "POLICY_WH_SOURCE",
    "warehouse": "POLICY_WH_DB",
    "inbox": "POLICY_WH_INBOX",
    "published": "POLICY_WH_PUBLISHED",
}


class WarehouseSettings(dg.ConfigurableResource):
    """Where the warehouse, its inbox, its published copy and its source text are (dagster_project/settings.py)."""

    root: str = ""          # POLICY_WH_ROOT: the project (seeds/, dbt/, expectations/)
    data_dir: str = ""      # POLICY_WH_DATA: data/
    source: str = ""        # POLICY_WH_SOURCE: the source text
    warehouse: str = ""     # POLICY_WH_DB: the working DuckDB file
    inbox: str = ""         # POLICY_WH_INBOX: the submitted files
    published: str = ""     # POLICY_WH_PUBLISHED: the read-only copy

    def get(self) -> Settings:
        """The resolved settings: the configured fields over the environment over settings.py's defaults."""
        configured = {FIELDS[name]: value for name, value in self._values().items() if value}
        return load_settings({**os.environ, **configured})

    def _values(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in FIELDS}


def resource_config(settings: Settings) -> dict[str, str]:
    """The fields that give exactly ``settings`` (every path spelled out)."""
    return {
        "root": str(settings.project_root),
        "data_dir": str(settings.data_dir),
        "source": str(settings.source_path),
        "warehouse": str(settings.warehouse_path),
        "inbox": str(settings.inbox_dir),
        "published": str(settings.published_path),
    }


def settings_run_config(settings: Settings) -> dict[str, Any]:
    """The run config that hands ``settings`` to a run's resources (the settings and the warehouse file)."""
    return {"resources": {
        "settings": {"config": resource_config(settings)},
        "warehouse": {"config": {"database": str(settings.warehouse_path)}},
    }}
