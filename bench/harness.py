"""Running measured operations in worker processes, and the machine and versions they ran on.

Why: every figure in bench/results.md must be a median of several runs taken in the same session,
with the peak memory of the process that did the work; this module is the one place that starts
those processes (``python -m bench.worker``), reads their answers and summarises them.
"""
from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from dagster_project.settings import PROJECT_ROOT, SOURCE_FILE_NAME

SOURCE_PATH = PROJECT_ROOT / "sources" / SOURCE_FILE_NAME
PACKAGES = ("duckdb", "dbt-core", "dbt-duckdb", "dagster", "dagster-dbt", "pandas")


class WorkerFailed(RuntimeError):
    """A measured operation failed; the message carries the end of its stderr."""


@dataclass
class Scenario:
    """Where one measured operation runs: a bench root (seeds + dbt copy) and a warehouse folder."""

    root: Path
    workdir: Path                      # holds warehouse.duckdb (the name matters: it is DuckDB's catalog)

    @property
    def database(self) -> Path:
        return self.workdir / "warehouse.duckdb"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update({
            "POLICY_WH_ROOT": str(self.root), "POLICY_WH_DATA": str(self.root / "data"),
            "POLICY_WH_DB": str(self.database), "POLICY_WH_INBOX": str(self.workdir / "inbox"),
            "POLICY_WH_SOURCE": str(SOURCE_PATH), "DAGSTER_HOME": str(self.workdir / "dagster_home"),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        })
        return env

    def fork(self, workdir: Path, copy: bool = True) -> "Scenario":
        """A new folder for the same root, starting from a copy of this warehouse (or empty)."""
        if workdir.exists():
            shutil.rmtree(workdir)
        workdir.mkdir(parents=True)
        if copy and self.database.exists():
            shutil.copy(self.database, workdir / "warehouse.duckdb")
        return Scenario(self.root, workdir)


def measure(scenario: Scenario, op: str, **spec: Any) -> dict[str, Any]:
    """Run one operation in a fresh process; return its JSON answer (seconds, peak memory, counts)."""
    scenario.workdir.mkdir(parents=True, exist_ok=True)
    spec_file = scenario.workdir / f"bench-spec-{op}.json"      # a day at national scale lists thousands of files
    spec_file.write_text(json.dumps({"op": op, **spec}, default=str), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "bench.worker", "@" + str(spec_file)], cwd=PROJECT_ROOT,
                          env=scenario.env(), capture_output=True, text=True)
    for line in reversed(done.stdout.splitlines()):
        if line.startswith("BENCH-RESULT "):
            return json.loads(line[len("BENCH-RESULT "):])
    tail = "\n".join((done.stderr or done.stdout).splitlines()[-25:])
    raise WorkerFailed(f"bench worker {op} failed (exit {done.returncode}):\n{tail}")


@dataclass
class Sample:
    """Several runs of one figure."""

    runs: list[dict[str, Any]] = field(default_factory=list)

    def median(self, key: str = "seconds") -> float:
        return statistics.median(float(r[key]) for r in self.runs)

    def peak_mib(self) -> float:
        return max(max(float(r.get("peak_rss_mib", 0)), float(r.get("peak_rss_children_mib", 0))) for r in self.runs)

    def __len__(self) -> int:
        return len(self.runs)


def repeat(times: int, scenario_for_run, op: str, **spec: Any) -> Sample:
    """``times`` runs of op; scenario_for_run(i) gives each run its own (fresh) scenario."""
    sample = Sample()
    for i in range(times):
        sample.runs.append(measure(scenario_for_run(i), op, **spec))
    return sample


def machine() -> dict[str, str]:
    """Cores, memory, CPU model, OS and Python."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor()
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {"cores": str(usable), "memory": memory, "cpu": model or "unknown",
            "os": f"{platform.system()} {platform.release()}", "python": platform.python_version()}


def versions() -> dict[str, str]:
    out = {}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out
