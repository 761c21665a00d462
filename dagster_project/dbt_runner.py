"""Run dbt in this process against the configured warehouse.

dbt's start-up (parsing the project) costs seconds; running it in-process through
``dbtRunner`` avoids a second Python start-up and lets callers read the results directly.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Sequence

from .settings import Settings, export_environment


class DbtFailed(RuntimeError):
    """dbt returned an error; the message lists the failing nodes."""


def dbt_executable() -> str:
    """The dbt command installed next to this Python (works without an activated venv)."""
    candidate = Path(sys.executable).with_name("dbt")
    return str(candidate) if candidate.exists() else "dbt"


def run_dbt(settings: Settings, args: Sequence[str]) -> object:
    """Invoke ``dbt <args>`` for the project; raise :class:`DbtFailed` on failure."""
    from dbt.cli.main import dbtRunner

    export_environment(settings)
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    full_args = [
        *args,
        "--project-dir", str(settings.dbt_project_dir),
        "--profiles-dir", str(settings.dbt_project_dir),
    ]
    try:
        result = dbtRunner().invoke(full_args)
    finally:
        _release_duckdb()
    if not result.success:
        failures = []
        for node_result in getattr(result.result, "results", None) or []:
            status = str(getattr(node_result, "status", ""))
            if status in ("error", "fail", "runtime error"):
                failures.append(f"{node_result.node.name}: {node_result.message}")
        detail = "; ".join(failures) if failures else str(result.exception or "see the dbt log above")
        raise DbtFailed(f"dbt {' '.join(args)} failed: {detail}")
    return result.result


def _release_duckdb() -> None:
    """Close the DuckDB database dbt-duckdb keeps open in this process after an in-process run.

    Otherwise the same process cannot open the warehouse again with another configuration (for
    example read-only), and the file stays locked against other processes until we exit.
    """
    try:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    except ImportError:  # pragma: no cover - dbt-duckdb is a pinned dependency
        return
    environment = DuckDBConnectionManager._ENV
    if environment is not None:
        environment.close()
    DuckDBConnectionManager.close_all_connections()


def parse_project(settings: Settings) -> Path:
    """Write target/manifest.json (what Dagster reads to build its asset graph)."""
    run_dbt(settings, ["parse", "--quiet"])
    return settings.dbt_manifest_path


def manifest_is_stale(settings: Settings) -> bool:
    """True when target/manifest.json is missing or older than any file of the dbt project."""
    manifest = settings.dbt_manifest_path
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    project = settings.dbt_project_dir
    inputs = [project / "dbt_project.yml", *(p for folder in ("models", "macros", "tests", "analyses")
                                              for p in (project / folder).rglob("*") if p.is_file())]
    return any(p.stat().st_mtime > built for p in inputs if p.exists())


def ensure_manifest(settings: Settings) -> Path:
    """Parse the project only when needed, so each process does not pay dbt's start-up again."""
    if manifest_is_stale(settings):
        parse_project(settings)
    return settings.dbt_manifest_path


def build_warehouse(settings: Settings, select: Sequence[str] = ()) -> object:
    """``dbt build``: seeds, models and tests, in dependency order."""
    args = ["build"]
    if select:
        args += ["--select", *select]
    return run_dbt(settings, args)


def generate_docs(settings: Settings) -> Path:
    """Build the dbt docs site (index.html + manifest + catalog) into data/docs; return index.html."""
    settings.docs_dir.mkdir(parents=True, exist_ok=True)
    run_dbt(settings, ["docs", "generate", "--target-path", str(settings.docs_dir), "--static"])
    return settings.docs_dir / "static_index.html"
