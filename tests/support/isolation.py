"""Keep the test suite away from the user's files.

Why: a user runs ``make demo``, then ``make test``. Before this module the tests set only some of the path
variables, so a test published its temporary warehouse over ``data/published/warehouse.duckdb`` and added
validations to ``data/gx_docs``. Now every path setting the warehouse reads points into one temporary
folder for the whole session (tests may point them elsewhere again), and the checkout's ``data/`` folder is
fingerprinted before the session and compared after it: any change fails the run, naming the files.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

# Every environment variable that names a place the warehouse writes to (dagster_project/settings.py,
# publish.py, checks/runner.py). A new one belongs here too: tests/unit/test_isolation.py checks the list
# against the code.
PATH_VARIABLES = ("POLICY_WH_DATA", "POLICY_WH_DB", "POLICY_WH_PUBLISHED", "POLICY_WH_INBOX", "DAGSTER_HOME")


def isolated_environment(root: Path) -> dict[str, str]:
    """The path variables, each pointing into ``root``."""
    data = root / "data"
    return {
        "POLICY_WH_DATA": str(data),
        "POLICY_WH_DB": str(data / "warehouse.duckdb"),
        "POLICY_WH_PUBLISHED": str(data / "published" / "warehouse.duckdb"),
        "POLICY_WH_INBOX": str(data / "inbox"),
        "DAGSTER_HOME": str(root / "dagster_home"),
    }


def fingerprint(folder: Path) -> dict[str, str]:
    """Relative path → size, modification time and sha256 of every file below ``folder`` (empty if absent)."""
    prints: dict[str, str] = {}
    if not folder.is_dir():
        return prints
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()):
        digest = hashlib.sha256()
        try:
            with path.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
            stat = path.stat()
        except FileNotFoundError:  # removed while we read (a process outside the tests is writing)
            continue
        prints[str(path.relative_to(folder))] = f"{stat.st_size}:{stat.st_mtime_ns}:{digest.hexdigest()}"
    return prints


def changes(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """Human-readable differences between two fingerprints: added, removed and changed files."""
    lines = [f"added   {name}" for name in sorted(after.keys() - before.keys())]
    lines += [f"removed {name}" for name in sorted(before.keys() - after.keys())]
    lines += [f"changed {name}" for name in sorted(before.keys() & after.keys()) if before[name] != after[name]]
    return lines


def apply(environment: dict[str, str]) -> dict[str, str | None]:
    """Set the variables; return what they were, for :func:`restore`."""
    previous = {name: os.environ.get(name) for name in environment}
    os.environ.update(environment)
    return previous


def restore(previous: dict[str, str | None]) -> None:
    for name, value in previous.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
