"""Every path and environment variable of the warehouse, in one place.

Commands, Dagster resources and tests all ask this module where things are, so that
one environment variable (for example ``POLICY_WH_DB``) moves the whole system.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SOURCE_FILE_NAME = "langfang-2015-policy-documents.txt"


@dataclass(frozen=True)
class Settings:
    """Resolved locations; build one with :func:`load_settings`."""

    project_root: Path
    source_path: Path
    seeds_dir: Path
    dbt_project_dir: Path
    data_dir: Path
    warehouse_path: Path
    inbox_dir: Path                # where submitted files wait, stored as <sha256>.<ext> (POLICY_WH_INBOX)
    published_path: Path           # the read-only copy analysts, BI tools, submit and template read (POLICY_WH_PUBLISHED)

    @property
    def dbt_target_dir(self) -> Path:
        return self.dbt_project_dir / "target"

    @property
    def dbt_manifest_path(self) -> Path:
        return self.dbt_target_dir / "manifest.json"

    @property
    def docs_dir(self) -> Path:
        """The generated dbt docs site (lineage, descriptions, tests)."""
        return self.data_dir / "docs"


# The environment variables that move the warehouse (each optional: the defaults are in load_settings).
SETTING_VARIABLES = ("POLICY_WH_ROOT", "POLICY_WH_DATA", "POLICY_WH_SOURCE", "POLICY_WH_DB", "POLICY_WH_INBOX",
                     "POLICY_WH_PUBLISHED")


def _path_from_env(name: str, default: Path, environ: Mapping[str, str] | None = None) -> Path:
    value = (os.environ if environ is None else environ).get(name, "").strip()
    return Path(value).expanduser().resolve() if value else default


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read the environment now (tests change it between calls, so nothing is cached); ``environ`` instead of
    ``os.environ`` if given (the Dagster resource passes its configured values that way)."""
    def path(name: str, default: Path) -> Path:
        return _path_from_env(name, default, environ)

    root = path("POLICY_WH_ROOT", PROJECT_ROOT)
    data_dir = path("POLICY_WH_DATA", root / "data")
    return Settings(
        project_root=root,
        source_path=path("POLICY_WH_SOURCE", root / "sources" / SOURCE_FILE_NAME),
        seeds_dir=root / "seeds",
        dbt_project_dir=root / "dbt",
        data_dir=data_dir,
        warehouse_path=path("POLICY_WH_DB", data_dir / "warehouse.duckdb"),
        inbox_dir=path("POLICY_WH_INBOX", data_dir / "inbox"),
        published_path=path("POLICY_WH_PUBLISHED", data_dir / "published" / "warehouse.duckdb"),
    )


# The Dagster instance this project manages under DAGSTER_HOME. DuckDB allows one writer per file, so at
# most one run tagged as a warehouse writer runs at a time (the others wait in the queue), and the
# `duckdb_writer` pool lets one writing step run at a time.
DAGSTER_INSTANCE_CONFIG = """\
# Written by policy-wh (dagster_project/settings.py); edits are overwritten.
telemetry:
  enabled: false
concurrency:
  runs:
    tag_concurrency_limits:
      - key: policy_wh/writer
        limit: 1
  pools:
    default_limit: 1
"""


def dagster_home(settings: Settings) -> Path:
    """Where Dagster keeps its run history: DAGSTER_HOME, else data/dagster_home."""
    return _path_from_env("DAGSTER_HOME", settings.data_dir / "dagster_home")


def prepare_dagster_home(settings: Settings) -> Path:
    """Create DAGSTER_HOME (:func:`dagster_home`) with this project's instance config; return it."""
    home = dagster_home(settings)
    home.mkdir(parents=True, exist_ok=True)
    instance_config = home / "dagster.yaml"
    if not instance_config.exists() or instance_config.read_text() != DAGSTER_INSTANCE_CONFIG:
        instance_config.write_text(DAGSTER_INSTANCE_CONFIG)
    return home


def export_environment(settings: Settings) -> None:
    """For the command line only (``policy-wh load``/``demo``/``ui``/``recover``/``checks``): put the resolved
    paths into os.environ, so the Dagster instance this process opens and the processes it starts (``dagster
    dev``) see the same warehouse. Dagster assets never call this: they get the settings as a resource
    (dagster_project/orchestration/resources.py), and dbt gets the warehouse for each call (dbt_runner)."""
    settings.warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    os.environ["POLICY_WH_DB"] = str(settings.warehouse_path)
    os.environ["DAGSTER_HOME"] = str(prepare_dagster_home(settings))
    # Tools installed next to this Python (dbt, dagster) are found even without an activated venv.
    venv_bin = str(Path(sys.executable).parent)
    if venv_bin not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = venv_bin + os.pathsep + os.environ.get("PATH", "")
