"""python -m dagster_project.demo_data OUT_DIR [--start 2015-07-01] [--end 2016-12-31] [--seed N] [--load DIR]

Generates the demo submissions into OUT_DIR and prints volumes and timings; with --load, also submits
and loads them (day by day) into DIR/warehouse.duckdb via DIR/inbox and prints the outcome.
"""
from __future__ import annotations

import argparse
import time
from collections import Counter
from datetime import date
from pathlib import Path

from ..settings import load_settings
from .generate import generate_demo_submissions


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m dagster_project.demo_data")
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--start", type=date.fromisoformat, default=date(2015, 7, 1))
    parser.add_argument("--end", type=date.fromisoformat, default=date(2016, 12, 31))
    parser.add_argument("--seed", type=int, default=20151231)
    parser.add_argument("--seeds-dir", type=Path, default=None)
    parser.add_argument("--load", type=Path, default=None, help="a fresh directory for the DuckDB file and inbox")
    args = parser.parse_args(argv)
    seeds_dir = args.seeds_dir or load_settings().seeds_dir
    started = time.perf_counter()
    manifest = generate_demo_submissions(seeds_dir, args.out_dir, args.start, args.end, args.seed)
    seconds = time.perf_counter() - started
    kinds = Counter(f"{f.file_type}/{f.encoding}" if f.encoding else f.file_type for f in manifest.files)
    print(f"generated {len(manifest.files)} files ({dict(kinds)}), {manifest.progress_rows} progress rows, "
          f"{manifest.indicator_rows} indicator rows in {seconds:.1f}s")
    for problem in manifest.planted:
        print(f"  planted {problem.key}: {problem.file_name} → {problem.expected_status} {list(problem.reason_codes)}")
    if args.load:
        from .check import load_demo

        args.load.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        report = load_demo(manifest, args.load / "warehouse.duckdb", args.load / "inbox", seeds_dir)
        print(f"submit + load in {time.perf_counter() - started:.1f}s: {report.summary()}")


if __name__ == "__main__":
    main()
