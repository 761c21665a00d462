"""Shared fixtures: the repository's paths, the hand-made oracle, and one warehouse built per session."""
from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.support import isolation

REPO_ROOT = Path(__file__).resolve().parent.parent
SOURCE_PATH = REPO_ROOT / "sources" / "langfang-2015-policy-documents.txt"
SEEDS_DIR = REPO_ROOT / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# The committed seeds as they were before any test ran: the build test regenerates seeds/
# (that is what the main job does), and must not be able to hide a stale commit.
COMMITTED_SEEDS: dict[str, bytes] = {p.name: p.read_bytes() for p in sorted(SEEDS_DIR.glob("*.csv"))}

# The user's own files: `make demo` writes them, and no test may change them (tests/support/isolation.py).
USER_DATA = REPO_ROOT / "data"
_ISOLATION: dict = {}


def pytest_configure(config: pytest.Config) -> None:
    """Point every path setting into one temporary folder before any test module is imported, and prepare
    the dbt manifest."""
    root = Path(tempfile.mkdtemp(prefix="policy-wh-tests-"))
    _ISOLATION.update(root=root, previous=isolation.apply(isolation.isolated_environment(root)))
    # the parsed dbt project the Dagster definitions are built from: importing them never parses (make manifest)
    from dagster_project.dbt_runner import ensure_manifest
    from dagster_project.settings import load_settings

    ensure_manifest(load_settings())


def pytest_sessionstart(session: pytest.Session) -> None:
    _ISOLATION["before"] = isolation.fingerprint(USER_DATA)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run if any test changed the checkout's data/ folder, naming the files."""
    if "before" not in _ISOLATION:
        return
    changed = isolation.changes(_ISOLATION["before"], isolation.fingerprint(USER_DATA))
    if changed:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        message = f"the tests changed the user's files under {USER_DATA}:\n  " + "\n  ".join(changed[:50])
        if reporter:
            reporter.write_line(message, red=True, bold=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_unconfigure(config: pytest.Config) -> None:
    if "previous" in _ISOLATION:
        isolation.restore(_ISOLATION["previous"])
        shutil.rmtree(_ISOLATION["root"], ignore_errors=True)


@pytest.fixture(scope="session")
def oracle_documents() -> list[dict]:
    """The hand-made list of the 82 documents (../shared/reference/source-documents.json, copied)."""
    return json.loads((FIXTURES / "source-documents.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def source():
    from dagster_project.extraction.source import SourceText

    return SourceText.read(SOURCE_PATH)


@pytest.fixture(scope="session")
def extraction():
    from dagster_project.extraction.pipeline import extract

    return extract(SOURCE_PATH)


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory) -> Path:
    """Both Dagster jobs in process against a temporary DuckDB file, before any submission; return its path.

    build_warehouse (source text → seeds → dimensions) and then one daily_load partition with an empty
    inbox, which builds the daily facts and the reports.
    """
    import dagster as dg

    tmp = tmp_path_factory.mktemp("warehouse")
    warehouse = tmp / "warehouse.duckdb"
    patch = pytest.MonkeyPatch()
    for name, value in isolation.isolated_environment(tmp).items():
        patch.setenv(name, value)
    patch.setenv("POLICY_WH_DB", str(warehouse))
    (tmp / "dagster_home").mkdir()
    try:
        from dagster_project.definitions import defs
        from dagster_project.orchestration.runner import BUILD_JOB, DAILY_JOB

        instance = dg.DagsterInstance.ephemeral()
        assert defs.resolve_job_def(BUILD_JOB).execute_in_process(instance=instance).success
        assert defs.resolve_job_def(DAILY_JOB).execute_in_process(instance=instance, partition_key="2016-01-01").success
        yield warehouse
    finally:
        patch.undo()


@pytest.fixture()
def private_warehouse(built_warehouse, tmp_path, monkeypatch) -> Path:
    """A private copy of the built warehouse with its own inbox and Dagster home (the environment points at them)."""
    path = tmp_path / "warehouse.duckdb"
    shutil.copy(built_warehouse, path)
    for name, value in isolation.isolated_environment(tmp_path).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("POLICY_WH_DB", str(path))
    monkeypatch.setenv("POLICY_WH_INBOX", str(tmp_path / "inbox"))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    return path


@pytest.fixture(scope="session")
def published_dashboard_warehouse(built_warehouse, tmp_path_factory):
    """A small loaded and published warehouse for the dashboard (tests/integration/test_dashboard_*.py and the
    browser tests): three months of demo submissions through the daily jobs on a copy of built_warehouse, so it
    holds progress reports, overdue tasks, indicator observations, quarantined rows and air-quality awards.
    Returns a tests.support.dashboard_fixture.DashboardWarehouse (``.published`` is the file to read)."""
    from tests.support.dashboard_fixture import build_dashboard_warehouse

    return build_dashboard_warehouse(tmp_path_factory.mktemp("dashboard"), built_warehouse)
