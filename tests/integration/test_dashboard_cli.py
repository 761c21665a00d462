"""`policy-wh dashboard`: refuses clearly without a published file, starts Streamlit on 127.0.0.1 headless with
usage statistics off, serves the pages and stops on one SIGTERM; `policy-wh demo` names it. The app itself
says what to run when there is no published file, and nothing in it fetches from the internet.
"""
from __future__ import annotations

import contextlib
import io
import os
import re
import signal
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from dagster_project import cli
from tests.support.dashboard_fixture import APP, http_status, open_page, running_dashboard

REPO_ROOT = Path(__file__).resolve().parents[2]
DASHBOARDS = REPO_ROOT / "dashboards"
CONFIG = DASHBOARDS / ".streamlit" / "config.toml"


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(argv)
    return code, out.getvalue(), err.getvalue()


def test_dashboard_refuses_in_one_line_when_nothing_is_published(tmp_path, monkeypatch):
    missing = tmp_path / "published" / "warehouse.duckdb"
    monkeypatch.setenv("POLICY_WH_PUBLISHED", str(missing))
    started: list = []
    monkeypatch.setattr("dagster_project.ui_process.run_supervised", lambda *a, **k: started.append(a) or 0)
    code, out, err = _run(["dashboard"])
    assert code == 1 and started == [] and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("policy-wh dashboard: ") and str(missing) in lines[0]
    assert "make demo" in lines[0] and "policy-wh publish" in lines[0]


def test_the_app_says_what_to_run_when_nothing_is_published(tmp_path, monkeypatch):
    monkeypatch.setenv("POLICY_WH_PUBLISHED", str(tmp_path / "nothing.duckdb"))
    app = open_page("overview")
    assert not app.exception
    [error] = app.error
    assert "make demo" in error.value and "policy-wh publish" in error.value and "nothing.duckdb" in error.value


def test_the_config_turns_usage_statistics_off_and_runs_headless_on_localhost():
    config = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    assert config["browser"]["gatherUsageStats"] is False
    assert config["server"]["headless"] is True
    assert config["server"]["address"] == "127.0.0.1"
    assert config["client"]["toolbarMode"] == "viewer"
    # and Streamlit itself reads it that way for this app (a config next to the main script wins)
    probe = ("import streamlit.config as c; c._main_script_path = %r; c.get_config_options(force_reparse=True); "
             "print(c.get_option('browser.gatherUsageStats'), c.get_option('server.headless'), "
             "c.get_option('server.fileWatcherType'))" % str(APP))
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd="/", timeout=120,
                            env={**os.environ, "HOME": "/nonexistent"})
    assert result.stdout.split()[-3:] == ["False", "True", "none"], result.stderr


def test_the_launcher_passes_the_same_settings_as_flags():
    command = cli.dashboard_command(APP, 8599)
    flags = dict(zip(command[5::2], command[6::2]))
    assert command[1:5] == ["-m", "streamlit", "run", str(APP)]
    assert flags == {"--server.address": "127.0.0.1", "--server.port": "8599", "--server.headless": "true",
                     "--browser.gatherUsageStats": "false", "--browser.serverAddress": "127.0.0.1",
                     "--browser.serverPort": "8599"}


def test_nothing_in_the_app_fetches_from_the_internet():
    """No URL but localhost in the app's code or config, and no Material icon (Streamlit fetches the ones its
    bundled font lacks from fonts.gstatic.com), no map (tiles), no plotly (CDN)."""
    for path in [*DASHBOARDS.rglob("*.py"), CONFIG]:
        text = path.read_text(encoding="utf-8")
        assert not [url for url in re.findall(r"https?://[^\s\"'<>)]+", text) if "127.0.0.1" not in url], path
        assert ":material/" not in text and "st.map" not in text and "pydeck" not in text and "plotly" not in text, path


def test_the_dashboard_imports_no_orchestration(published_dashboard_warehouse):
    """Every page's queries run without Dagster: the dashboard reads a file, it does not run the pipeline."""
    probe = (
        "import sys, inspect, importlib\n"
        "from dashboards import charts, connection, data, formatting, layout, queries\n"
        "snapshot = connection.current()\n"
        "with snapshot.cursor() as con:\n"
        "    for name, query in inspect.getmembers(queries, inspect.isfunction):\n"
        "        if query.__module__ == queries.__name__ and not name.startswith('_'):\n"
        "            params = list(inspect.signature(query).parameters)[1:]\n"
        "            if not params or inspect.signature(query).parameters[params[0]].default is not inspect._empty:\n"
        "                query(con)\n"
        "print(sorted(m for m in sys.modules if m == 'dagster' or m.startswith(('dagster.', 'dagster_project.orchestration',"
        " 'dagster_project.definitions', 'dagster_dbt', 'dbt'))))\n")
    environment = {**os.environ, "POLICY_WH_PUBLISHED": str(published_dashboard_warehouse.published)}
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO_ROOT,
                            env=environment, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"


def _children(parent: int) -> list[int]:
    """Live child processes of ``parent`` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat[stat.rindex(")") + 2:].split()[1]) == parent:
                found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table in /proc")
def test_dashboard_serves_the_pages_and_stops_on_sigterm(published_dashboard_warehouse, tmp_path):
    published = published_dashboard_warehouse.published
    with running_dashboard(published, tmp_path / "dashboard.log") as dashboard:
        for path in ("", "overview", "departments", "documents", "targets", "tasks", "quality", "air-quality"):
            assert http_status(f"{dashboard.url}/{path}") == 200, path
        children = _children(dashboard.process.pid)
        assert children, "policy-wh dashboard runs streamlit as its child"
        dashboard.process.send_signal(signal.SIGTERM)
        assert dashboard.process.wait(timeout=40) == 128 + signal.SIGTERM
        assert [pid for pid in children if Path(f"/proc/{pid}").exists()] == []      # streamlit went with it
        printed = dashboard.output()
    assert f"http://127.0.0.1:{dashboard.port}" in printed and str(published) in printed


def test_the_demo_ends_by_naming_the_dashboard(tmp_path, monkeypatch):
    from dagster_project.demo import DemoSummary

    monkeypatch.setattr("dagster_project.demo.run_demo", lambda settings: DemoSummary(seconds={"all": 1.0}))
    code, out, _ = _run(["demo"])
    assert code == 0
    from dagster_project.settings import load_settings

    [line] = [line for line in out.splitlines() if "policy-wh dashboard" in line]
    assert "http://127.0.0.1:8501" in line and str(load_settings().published_path) in line
