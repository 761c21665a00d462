"""A small loaded and published warehouse for the dashboard's tests (tests/integration/test_dashboard_*.py and
the browser tests in tests/e2e/).

Why a module of its own: the dashboard reads only the published file, and what it shows is only worth testing
on a warehouse that holds every kind of thing a page draws — progress reports, overdue tasks, indicator
observations (three or more per target for a projection), quarantined rows with their Chinese reasons and
air-quality readings with an evaluated quarter. The full demo (18 months) takes minutes; three months of the
same deterministic demo submissions give all of that in well under a minute on top of the session's
``built_warehouse``.

Every path the warehouse reads or writes points into ``root`` while the warehouse is built (the session
fails if the checkout's data/ changes); the caller keeps its own environment afterwards.
"""
from __future__ import annotations

import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterator

import pytest

from tests.support import isolation

# Three months of demo submissions around the session warehouse's one loaded partition (2016-01-01). The
# quarters that ended before FIRST (2014Q3 … 2015Q3) arrive together on FIRST, 2015Q4 in January: so the
# air-quality award has evaluated quarters (it needs last year's index too).
FIRST = date(2015, 11, 2)
LAST = date(2016, 1, 31)


@dataclass(frozen=True)
class DashboardWarehouse:
    """Where the built warehouse lives and how long it took."""

    root: Path
    working: Path                  # the working warehouse the loads wrote (POLICY_WH_DB while building)
    published: Path                # the read-only published copy the dashboard reads (POLICY_WH_PUBLISHED)
    environment: dict[str, str]    # every path variable as it was while building (all inside root)
    first: date
    last: date
    seconds: float                 # building time (the load and its two publications; not built_warehouse)

    def copy_published(self, target: Path) -> Path:
        """A private copy of the published file (for a test that publishes over it)."""
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.published, target)
        return target


def build_dashboard_warehouse(root: Path, built_warehouse: Path | None = None,
                              first: date = FIRST, last: date = LAST) -> DashboardWarehouse:
    """Load the demo submissions of ``first`` … ``last`` into a copy of ``built_warehouse`` (or a warehouse
    built here when none is given) through the real daily jobs, which publish it; return where it is."""
    started = time.perf_counter()
    root.mkdir(parents=True, exist_ok=True)
    environment = isolation.isolated_environment(root)
    patch = pytest.MonkeyPatch()
    try:
        for name, value in environment.items():
            patch.setenv(name, value)
        Path(environment["DAGSTER_HOME"]).mkdir(parents=True, exist_ok=True)
        working = Path(environment["POLICY_WH_DB"])
        working.parent.mkdir(parents=True, exist_ok=True)

        from dagster_project.demo import submit_demo_files
        from dagster_project.orchestration.runner import BUILD_JOB, run_daily, run_job
        from dagster_project.settings import load_settings

        settings = load_settings()
        if built_warehouse is not None:
            shutil.copyfile(built_warehouse, working)
        else:
            run_job(settings, BUILD_JOB, quiet=True)
        files = submit_demo_files(settings, settings.data_dir / "demo_submissions", first, last)
        assert files > 50, f"only {files} demo files for {first} … {last}"
        run_daily(settings, first, last, quiet=True)      # daily_load, daily_checks, then publish
        published = settings.published_path
        assert published.exists(), f"the daily jobs did not publish {published}"
        return DashboardWarehouse(root=root, working=working, published=published, environment=dict(environment),
                                  first=first, last=last, seconds=time.perf_counter() - started)
    finally:
        patch.undo()


APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"
# url path → page script (dashboards/app.py PAGES)
PAGE_SCRIPTS = {"overview": "views/overview.py", "departments": "views/departments.py",
                "documents": "views/documents.py", "targets": "views/targets.py", "tasks": "views/tasks.py",
                "quality": "views/quality.py", "air-quality": "views/air_quality.py"}


def open_page(page: str = "overview", timeout: float = 60):
    """Run the dashboard in Streamlit's AppTest and switch to ``page`` (an url path of PAGE_SCRIPTS). The
    published file is whatever POLICY_WH_PUBLISHED names when the app runs (set it first)."""
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(APP), default_timeout=timeout)
    app.run()
    if page != "overview":
        app.switch_page(PAGE_SCRIPTS[page]).run()
    return app


STARTUP_SECONDS = 90


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_status(url: str) -> int:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@contextmanager
def running_dashboard(published: Path, log_path: Path, port: int | None = None) -> Iterator["RunningDashboard"]:
    """``policy-wh dashboard --port N`` on ``published`` in a session of its own, until it answers
    /_stcore/health; stopped with SIGTERM (then SIGKILL) afterwards. For the live and the browser tests."""
    import os
    import signal
    import subprocess
    import sys

    port = port or free_port()
    policy_wh = Path(sys.executable).with_name("policy-wh")
    environment = {**os.environ, "POLICY_WH_PUBLISHED": str(published)}
    with log_path.open("w+", encoding="utf-8") as log:
        process = subprocess.Popen([str(policy_wh), "dashboard", "--port", str(port)], stdout=log,
                                   stderr=subprocess.STDOUT, env=environment, cwd=log_path.parent,
                                   start_new_session=True)
        running = RunningDashboard(f"http://127.0.0.1:{port}", port, process, log_path)
        try:
            deadline = time.monotonic() + STARTUP_SECONDS
            while True:
                try:
                    if http_status(f"{running.url}/_stcore/health") == 200:
                        break
                except OSError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"policy-wh dashboard did not come up on {running.url}:\n{running.output()}")
                time.sleep(0.5)
            yield running
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=40)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()


@dataclass
class RunningDashboard:
    url: str                      # http://127.0.0.1:<port>
    port: int
    process: object               # the policy-wh process (subprocess.Popen)
    log_path: Path

    def output(self) -> str:
        return self.log_path.read_text(encoding="utf-8")
