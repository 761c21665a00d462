"""Every path and environment variable of the warehouse, in one place.

Commands, Dagster resources and tests all ask this module where things are, so that
one environment variable (for example ``POLICY_WH_DB``) moves the whole system.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

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


def _path_from_env(name: str, default: Path) -> Path:
    value = os.environ.get(name, "").strip()
    return Path(value).expanduser().resolve() if value else default


def load_settings() -> Settings:
    """Read the environment now (tests change it between calls, so nothing is cached)."""
    root = _path_from_env("POLICY_WH_ROOT", PROJECT_ROOT)
    data_dir = _path_from_env("POLICY_WH_DATA", root / "data")
    return Settings(
        project_root=root,
        source_path=_path_from_env("POLICY_WH_SOURCE", root / "sources" / SOURCE_FILE_NAME),
        seeds_dir=root / "seeds",
        dbt_project_dir=root / "dbt",
        data_dir=data_dir,
        warehouse_path=_path_from_env("POLICY_WH_DB", data_dir / "warehouse.duckdb"),
        inbox_dir=_path_from_env("POLICY_WH_INBOX", data_dir / "inbox"),
        published_path=_path_from_env("POLICY_WH_PUBLISHED", data_dir / "published" / "warehouse.duckdb"),
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


def export_environment(settings: Settings) -> None:
    """Put the resolved paths into os.environ so dbt (profiles.yml) and Dagster see the same warehouse."""
    settings.warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    os.environ["POLICY_WH_DB"] = str(settings.warehouse_path)
    home = dagster_home(settings)
    home.mkdir(parents=True, exist_ok=True)
    instance_config = home / "dagster.yaml"
    if not instance_config.exists() or instance_config.read_text() != DAGSTER_INSTANCE_CONFIG:
        instance_config.write_text(DAGSTER_INSTANCE_CONFIG)
    os.environ["DAGSTER_HOME"] = str(home)
    # Tools installed next to this Python (dbt, dagster) are found even without an activated venv.
    venv_bin = str(Path(sys.executable).parent)
    if venv_bin not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = venv_bin + os.pathsep + os.environ.get("PATH", "")
