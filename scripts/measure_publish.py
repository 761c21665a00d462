"""Measure how long publishing the warehouse takes, and how long it holds back the loads.

Usage (after ``policy-wh demo``, which builds the demo-sized warehouse)::

    .venv/bin/python scripts/measure_publish.py [--warehouse data/warehouse.duckdb] [--repeat 5]

It publishes the working file ``--repeat`` times into a temporary folder (never over data/published)
and prints the size of both files, the rows copied, and the min / median / max of the total time and of
the time the working file's writer lock was held. Then it does the same for the slower path, taken only
after a writer died before its checkpoint: on a scratch copy of the warehouse left with a ``.wal``.
docs/access.md quotes its output.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dagster_project.publish import publish_warehouse  # noqa: E402
from dagster_project.settings import load_settings  # noqa: E402


def _spread(values: list[float]) -> str:
    return f"min {min(values):.2f} s, median {statistics.median(values):.2f} s, max {max(values):.2f} s"


# A writer that dies before its checkpoint: its last change stays in the .wal next to the file.
CRASHING_WRITER = """
import os, sys, duckdb
con = duckdb.connect(sys.argv[1])
con.execute("pragma disable_checkpoint_on_shutdown")
con.execute("create table main.publish_timing_marker as select 1 as one")
os._exit(0)
"""


def _report(label: str, runs: list) -> None:
    print(f"{label}: method {runs[-1].method}")
    print(f"  publish, {len(runs)} runs: {_spread([r.seconds for r in runs])}")
    print(f"  writer lock held (loads wait): {_spread([r.locked_seconds for r in runs])}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, default=load_settings().warehouse_path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    source = args.warehouse.resolve()
    with tempfile.TemporaryDirectory(prefix="publish-timing-") as folder:
        target = Path(folder) / "published" / source.name
        runs = [publish_warehouse(source, target) for _ in range(args.repeat)]
        scratch = Path(folder) / "scratch" / source.name
        scratch.parent.mkdir()
        shutil.copyfile(source, scratch)
        subprocess.run([sys.executable, "-c", CRASHING_WRITER, str(scratch)], check=True)
        wal_runs = [publish_warehouse(scratch, target) for _ in range(args.repeat)]
    last = runs[-1]
    tables = sum(1 for _, _, kind, _ in last.table_rows if kind == "BASE TABLE")
    views = len(last.table_rows) - tables
    print(f"working warehouse {source}: {source.stat().st_size / 1_048_576:.1f} MiB")
    print(f"published copy: {last.bytes / 1_048_576:.1f} MiB, {tables} tables ({last.total_rows} rows) and {views} views")
    _report("cleanly closed working file", runs)
    _report("working file with a .wal", wal_runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
