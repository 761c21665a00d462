"""``policy-wh expectations`` (regenerate the GX suites from the seeds) and ``policy-wh checks`` (run them).

Registered by dagster_project/cli.py through :func:`register`.
"""
from __future__ import annotations

import argparse
from datetime import date

from ..settings import Settings


def cmd_expectations(settings: Settings, args: argparse.Namespace) -> int:
    from .project import write_project
    from .runner import gx_paths
    from .suites import generate_suites

    root = gx_paths(settings).root
    written = write_project(settings.seeds_dir, settings.dbt_project_dir, root)
    specs = generate_suites(settings.seeds_dir, settings.dbt_project_dir)
    expectations = sum(len(s.expectations) for s in specs)
    print(f"generated {len(specs)} suites with {expectations} expectations into {root} ({len(written)} files)")
    return 0


def cmd_checks(settings: Settings, args: argparse.Namespace) -> int:
    from ..settings import export_environment
    from ..warehouse import Warehouse
    from .report import summary_lines
    from .runner import run_all_checks

    export_environment(settings)
    as_of = date.fromisoformat(args.as_of) if args.as_of else None
    run = run_all_checks(settings, Warehouse(database=str(settings.warehouse_path)), as_of)
    print("\n".join(summary_lines(run)))
    print()
    print(f"{len(run.rows)} results in raw.expectation_results (as_of_date {run.as_of}); "
          f"took {sum(run.seconds.values()):.1f} s")
    print(f"Data Docs: {run.docs_index}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the two subcommands to policy-wh's parser."""
    expectations = subparsers.add_parser(
        "expectations", help="regenerate the Great Expectations suites in expectations/gx from the seeds (deterministic)")
    expectations.set_defaults(handler=cmd_expectations)
    checks = subparsers.add_parser(
        "checks", help="run every check for a date: targets met / not met / no data by policy area, worst misses")
    checks.add_argument("--as-of", dest="as_of", help="evaluation date YYYY-MM-DD (default: the reports' as-of date)")
    checks.set_defaults(handler=cmd_checks)
