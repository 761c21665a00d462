"""policy-wh: the one front door to the warehouse.

The Makefile and the Dagster assets call the same functions this command calls, so
whatever a user runs by hand is what the pipeline runs.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Sequence

from .settings import Settings, dagster_home, load_settings


def cmd_extract(settings: Settings, args: argparse.Namespace) -> int:
    from .extraction.pipeline import extract_to_seeds, report_lines

    started = time.perf_counter()
    out_dir = Path(args.out).resolve() if args.out else settings.seeds_dir
    extraction = extract_to_seeds(settings.source_path, out_dir)
    elapsed = time.perf_counter() - started
    if args.report:
        print("\n".join(report_lines(extraction)))
    counts = ", ".join(f"{t.name} {len(t.rows)}" for t in extraction.tables)
    print(f"extracted {counts} into {out_dir} in {elapsed:.2f} s")
    return 0


def cmd_build(settings: Settings, args: argparse.Namespace) -> int:
    from .dbt_runner import build_warehouse

    build_warehouse(settings, select=args.select or ())
    print(f"warehouse built: {settings.warehouse_path}")
    return 0


def cmd_demo(settings: Settings, args: argparse.Namespace) -> int:
    from .dbt_runner import ensure_manifest
    from .extraction.pipeline import extract_to_seeds
    from .orchestration import MAIN_JOB, run_job
    from .warehouse_summary import table_counts

    extraction = extract_to_seeds(settings.source_path, settings.seeds_dir)
    print(f"1/3 extracted {len(extraction.documents)} documents into {settings.seeds_dir}")
    ensure_manifest(settings)
    print(f"2/3 parsed the dbt project ({settings.dbt_manifest_path})")
    run_id = run_job(settings, MAIN_JOB)
    print(f"3/3 ran the Dagster job {MAIN_JOB} (run {run_id})")
    print()
    print(f"The warehouse is {settings.warehouse_path}")
    for schema, name, rows in table_counts(settings.warehouse_path):
        print(f"  {schema + '.' + name:<40} {rows:>8} rows")
    print()
    print("Query it (read-only, so it never blocks a load):")
    print(f"  duckdb -readonly {settings.warehouse_path} \"select doc_no, title from marts.dim_document limit 5\"")
    print(f"  .venv/bin/python -c \"import duckdb; print(duckdb.connect('{settings.warehouse_path}', read_only=True)"
          ".sql('select count(*) from marts.dim_document'))\"")
    print("Open the Dagster UI (runs are kept in " f"{dagster_home(settings)}):")
    print("  make ui    → http://127.0.0.1:3000")
    return 0


def cmd_docs(settings: Settings, args: argparse.Namespace) -> int:
    from .dbt_runner import generate_docs

    index = generate_docs(settings)
    print(f"dbt docs site: {index} (one self-contained file; open it in a browser)")
    if args.serve:
        import functools
        import http.server

        handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(settings.docs_dir))
        with http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler) as server:
            print(f"serving http://127.0.0.1:{args.port}/index.html  (Ctrl-C stops)")
            try:
                server.serve_forever()
            except KeyboardInterrupt:
                pass
    return 0


def cmd_ui(settings: Settings, args: argparse.Namespace) -> int:
    import os

    from .settings import export_environment

    from .dbt_runner import ensure_manifest

    export_environment(settings)
    ensure_manifest(settings)
    dagster = Path(sys.executable).with_name("dagster")
    command = [str(dagster), "dev", "-w", str(settings.project_root / "workspace.yaml"),
               "-h", "127.0.0.1", "-p", str(args.port)]
    print(f"Dagster UI: http://127.0.0.1:{args.port}  (Ctrl-C stops it; runs are kept in {os.environ['DAGSTER_HOME']})")
    os.chdir(settings.project_root)
    os.execv(command[0], command)
    return 0  # not reached


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="policy-wh",
        description="Langfang Policy Warehouse: extract seeds, build the warehouse, run the pipeline.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    extract = sub.add_parser("extract", help="source text → seeds/*.csv (deterministic)")
    extract.add_argument("--report", action="store_true", help="print per-document counts and unresolved names")
    extract.add_argument("--out", help="write the CSVs here instead of seeds/ (to compare or review)")
    extract.set_defaults(handler=cmd_extract)

    build = sub.add_parser("build", help="dbt build: seeds, models and tests into the DuckDB warehouse")
    build.add_argument("--select", nargs="*", help="dbt node selection (default: everything)")
    build.set_defaults(handler=cmd_build)

    demo = sub.add_parser("demo", help="extract, build and run the main Dagster job; print how to use the result")
    demo.set_defaults(handler=cmd_demo)

    docs = sub.add_parser("docs", help="build the dbt docs site (lineage, descriptions, tests) into data/docs")
    docs.add_argument("--serve", action="store_true", help="also serve it on 127.0.0.1")
    docs.add_argument("--port", type=int, default=8080)
    docs.set_defaults(handler=cmd_docs)

    ui = sub.add_parser("ui", help="start the Dagster UI on 127.0.0.1 (default port 3000) through workspace.yaml")
    ui.add_argument("--port", type=int, default=3000)
    ui.set_defaults(handler=cmd_ui)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = load_settings()
    try:
        return args.handler(settings, args)
    except Exception as error:  # noqa: BLE001 - the front door reports, it does not dump a traceback
        print(f"policy-wh {args.command}: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
