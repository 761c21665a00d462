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

# field → (the environment variable it stands for, the Settings attribute it resolves to)
FIELDS = {
    "root": ("POLICY_WH_ROOT", "project_root"),
    "data_dir": ("POLICY_WH_DATA", "data_dir"),
    "source": ("POLICY_WH_SOURCE", "source_path"),
    "warehouse": ("POLICY_WH_DB", "warehouse_path"),
    "inbox": ("POLICY_WH_INBOX", "inbox_dir"),
    "published": ("POLICY_WH_PUBLISHED", "published_path"),
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
        configured = {FIELDS[name][0]: value for name, value in self._values().items() if value}
        return load_settings({**os.environ, **configured})

    def _values(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in FIELDS}


def resource_config(settings: Settings) -> dict[str, str]:
    """The fields that give exactly ``settings`` (every path spelled out)."""
    return {name: str(getattr(settings, attribute)) for name, (_, attribute) in FIELDS.items()}


def settings_run_config(settings: Settings) -> dict[str, Any]:
    """The run config that hands ``settings`` to a run's resources (the settings and the warehouse file)."""
    return {"resources": {
        "settings": {"config": resource_config(settings)},
        "warehouse": {"config": {"database": str(settings.warehouse_path)}},
    }}
