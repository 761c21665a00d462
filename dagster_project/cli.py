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


def cmd_generate(settings: Settings, args: argparse.Namespace) -> int:
    """Write every file generated from a declaration: the dbt sources of the raw layer and the GX suites."""
    from .checks.project import write_project
    from .checks.runner import gx_paths
    from .raw_layer import write_sources_yaml

    sources = write_sources_yaml(settings.dbt_project_dir)
    written = write_project(settings.seeds_dir, settings.dbt_project_dir, gx_paths(settings).root)
    print(f"wrote {sources.relative_to(settings.project_root)} and {len(written)} Great Expectations files")
    return 0


def cmd_build(settings: Settings, args: argparse.Namespace) -> int:
    from .dbt_runner import build_warehouse, ensure_manifest

    build_warehouse(settings, select=args.select or ())
    # the parsed project the Dagster definitions are built from (`make ui`, `dagster dev`)
    ensure_manifest(settings)
    print(f"warehouse built: {settings.warehouse_path}")
    return 0


def cmd_demo(settings: Settings, args: argparse.Namespace) -> int:
    from .demo import run_demo, submissions_lines

    summary = run_demo(settings)
    total = sum(summary.seconds.values())
    print()
    print(f"Demo finished in {total:.0f} s. The warehouse is {settings.warehouse_path}")
    print("\n".join(submissions_lines(summary)))
    print(f"  as of {summary.as_of}: {summary.tasks_overdue} tasks overdue (reports.rpt_overdue_tasks)")
    targets = summary.targets
    print(f"  targets: {targets.get('met', 0)} met, {targets.get('not_met', 0)} not met, "
          f"{targets.get('no_data', 0)} without data (reports.rpt_target_attainment)")
    print()
    for schema, name, rows in summary.table_counts:
        if schema in ("marts", "reports"):
            print(f"  {schema + '.' + name:<40} {rows:>9} rows")
    print()
    from .publish import published_path

    published = published_path(settings)
    print(f"Query the published copy read-only (never blocks a load): {published}")
    overdue_sql = "select doc_no, lead_names, deadline_date, days_overdue from reports.rpt_overdue_tasks order by days_overdue desc limit 10"
    print(f'  .venv/bin/duckdb -readonly {published} "{overdue_sql}"')
    print(f"  .venv/bin/python -c \"import duckdb; duckdb.connect('{published}', read_only=True)"
          ".sql('select * from reports.rpt_document_progress order by overdue_share desc limit 10').show()\"")
    print("  example questions: dbt/analyses/*.sql   more recipes: docs/access.md")
    print("  docs site: .venv/bin/policy-wh docs  → data/docs/static_index.html")
    from .checks.runner import gx_paths

    print(f"  Great Expectations Data Docs (the policy-target checks): {gx_paths(settings).docs_index}")
    print(f"Open the Dagster UI (runs kept in {dagster_home(settings)}): make ui  → http://127.0.0.1:3000")
    print(f"Open the office's dashboard (reads {published} read-only): .venv/bin/policy-wh dashboard  "
          f"→ http://127.0.0.1:{DASHBOARD_PORT}")
    return 0


def cmd_submit(settings: Settings, args: argparse.Namespace) -> int:
    # Reference data from the published copy (else the seed CSVs), never the working warehouse: a read-only
    # open of the file a load is about to write makes that load fail. Every name and cell text printed goes
    # through printable(): a newline in a file name must not print a result line of its own.
    from .submissions.inbox import printable, submit

    results = submit(args.files, inbox_dir=settings.inbox_dir)
    labels = {"accepted": "接收 accepted", "partially_accepted": "部分接收 partly accepted", "rejected": "拒收 rejected",
              "received": "已接收，待装载时校验 received, row checks at load time"}
    for result in results:
        print(f"{printable(result.source)}: {labels.get(result.status, printable(result.status))} — "
              f"{printable(result.message)}")
        codes: dict[str, int] = {}
        for code in result.reason_codes:
            codes[code] = codes.get(code, 0) + 1
        if codes:
            print("    problems by reason_code: " + ", ".join(
                f"{printable(code)} {n}" for code, n in sorted(codes.items(), key=lambda item: (-item[1], item[0]))))
        for reason in result.reasons[:20]:
            print(f"    {printable(reason)}")
        if len(result.reasons) > 20:
            print(f"    … {len(result.reasons) - 20} more")
        for note in result.notes:
            print(f"    注意：{printable(note)}")
    checked = [r for r in results if r.rows_checked and r.stored_path is not None]
    unchecked = [r for r in results if r.status == "received"]
    if checked:
        print(f"row checks against {printable(checked[0].checked_against)}")
    if unchecked:
        print(f"row checks NOT run for {len(unchecked)} file(s), they run when the file is loaded: "
              f"{printable(unchecked[0].checked_against)}")
    print(f"{len(results)} file(s) in the inbox {printable(settings.inbox_dir)}; the inbox sensor or "
          "`policy-wh load` loads them.")
    return 1 if any(r.status == "rejected" for r in results) else 0


def cmd_load(settings: Settings, args: argparse.Namespace) -> int:
    from datetime import date

    from .orchestration.runner import run_daily
    from .warehouse import local_today

    if args.date:
        first = last = date.fromisoformat(args.date)
    elif args.first:
        first = date.fromisoformat(args.first)
        last = date.fromisoformat(args.last) if args.last else first
    else:
        first = last = local_today()
    if last < first:
        raise ValueError(f"--to {last} is before --from {first}")
    runs = run_daily(settings, first, last, quiet=not args.verbose)
    import duckdb

    from .checks.frames import default_as_of

    # from the copy this run just published: a read-only open of the working file could block the next load
    with duckdb.connect(str(settings.published_path), read_only=True) as con:
        as_of = default_as_of(con)
    print(f"loaded and published the partitions {first} … {last} in one run ({runs.load_run_id}); "
          f"reports, targets and deadlines as of {as_of}, the last data day loaded ({runs.checks_run_id})")
    from .warehouse_summary import run_report

    print(f"run total (every file this run loaded, whatever its data days; per day: the raw assets' "
          f"partitions in the Dagster UI):")
    try:
        report = run_report(settings.warehouse_path, runs.load_run_id)
    except Exception as error:  # noqa: BLE001 - the load itself succeeded; say why its report is missing
        print(f"  (the run's report could not be read from {settings.warehouse_path}: {error})")
        return 0
    print("\n".join("  " + line for line in report.lines()))
    return 0


def cmd_recover(settings: Settings, args: argparse.Namespace) -> int:
    """Clear what a killed load left: runs whose process is gone are marked FAILURE and their pool slots freed."""
    from .recovery import recover, recovery_report_lines
    from .settings import export_environment

    export_environment(settings)
    import dagster as dg

    with dg.DagsterInstance.get() as instance:
        recovery = recover(instance, force_run_ids=args.run_id or (), settings=settings)
    print("\n".join(recovery_report_lines(recovery)))
    unknown = set(args.run_id or ()) - {f.run_id for f in recovery.findings}
    for run_id in sorted(unknown):
        print(f"run {run_id}: not found among the runs that hold a pool slot or are unfinished writers; nothing done")
    return 0


def cmd_template(settings: Settings, args: argparse.Namespace) -> int:
    # The published copy (else the seed CSVs), never the working warehouse: a read-only open of it makes a
    # load that starts meanwhile fail with "Could not set lock on file".
    from .submissions.template import write_snapshot_template

    info = write_snapshot_template(args.org, Path(args.out), settings)
    print(f"template for {info.org_name} ({info.org_id}): {info.path} — {info.tasks} tasks, {info.indicators} indicators")
    print(f"  read from {info.reference_source}")
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

    from .dbt_runner import ensure_manifest
    from .settings import export_environment
    from .ui_process import run_supervised

    export_environment(settings)
    ensure_manifest(settings)
    dagster = Path(sys.executable).with_name("dagster")
    command = [str(dagster), "dev", "-w", str(settings.project_root / "workspace.yaml"),
               "-h", "127.0.0.1", "-p", str(args.port)]
    print(f"Dagster UI: http://127.0.0.1:{args.port}  (Ctrl-C stops it; runs are kept in {os.environ['DAGSTER_HOME']})",
          flush=True)
    # A supervised child in its own process group, not exec: one Ctrl-C or SIGTERM stops dagster dev with its
    # webserver, daemon and code server (dagster_project/ui_process.py).
    return run_supervised(command, cwd=settings.project_root)


DASHBOARD_PORT = 8501


def dashboard_command(app: Path, port: int) -> list[str]:
    """``streamlit run`` of the dashboard on 127.0.0.1, headless, without usage statistics (the flags repeat
    dashboards/.streamlit/config.toml, so no user or project config can turn them back on)."""
    return [sys.executable, "-m", "streamlit", "run", str(app),
            "--server.address", "127.0.0.1", "--server.port", str(port), "--server.headless", "true",
            "--browser.gatherUsageStats", "false", "--browser.serverAddress", "127.0.0.1",
            "--browser.serverPort", str(port)]


def cmd_dashboard(settings: Settings, args: argparse.Namespace) -> int:
    """The supervision office's dashboard (dashboards/app.py) on the published file, read-only."""
    import os

    import dashboards
    from dashboards.connection import PublishedFileMissing

    from .ui_process import run_supervised

    published = settings.published_path
    if not published.is_file():
        raise PublishedFileMissing(published)
    app = Path(dashboards.__file__).resolve().parent / "app.py"
    environment = {**os.environ, "POLICY_WH_PUBLISHED": str(published)}
    print(f"Dashboard (督查室看板): http://127.0.0.1:{args.port}  — reads the published warehouse {published} "
          "read-only and follows each new publication (Ctrl-C stops it)", flush=True)
    # supervised in its own process group like `policy-wh ui`: one Ctrl-C or SIGTERM stops streamlit
    return run_supervised(dashboard_command(app, args.port), cwd=app.parent, env=environment, name="streamlit")


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

    generate = sub.add_parser("generate", help="rewrite the files generated from declarations: the dbt sources of "
                                               "the raw tables and the Great Expectations suites (deterministic)")
    generate.set_defaults(handler=cmd_generate)

    demo = sub.add_parser("demo", help="extract, build and run the main Dagster job; print how to use the result")
    demo.set_defaults(handler=cmd_demo)

    submit = sub.add_parser("submit", help="check department files and put them in the inbox")
    submit.add_argument("files", nargs="+", help=".xlsx or .csv files (任务进展 / 指标数据)")
    submit.set_defaults(handler=cmd_submit)

    load = sub.add_parser("load", help="run the daily load through Dagster for a day or a range (one run), then its checks")
    load.add_argument("--date", help="the partition day (YYYY-MM-DD); default today")
    load.add_argument("--from", dest="first", help="first day of a range")
    load.add_argument("--to", dest="last", help="last day of a range")
    load.add_argument("--verbose", action="store_true", help="show Dagster's step log")
    load.set_defaults(handler=cmd_load)

    recover_cmd = sub.add_parser("recover", help="mark runs left STARTED by a killed load FAILURE and free their duckdb_writer "
                                                 "slots (a load does this by itself); prints what it found and did")
    recover_cmd.add_argument("--run-id", action="append", metavar="RUN_ID",
                             help="also recover this run although its process cannot be checked from here (another "
                                  "host); never a run whose process is alive here. Repeatable")
    recover_cmd.set_defaults(handler=cmd_recover)

    template = sub.add_parser("template", help="write a pre-filled submission template for one organisation")
    template.add_argument("--org", required=True, help="organisation name, short name or id (e.g. 市财政局)")
    template.add_argument("--out", required=True, help="where to write the .xlsx")
    template.set_defaults(handler=cmd_template)

    docs = sub.add_parser("docs", help="build the dbt docs site (lineage, descriptions, tests) into data/docs")
    docs.add_argument("--serve", action="store_true", help="also serve it on 127.0.0.1")
    docs.add_argument("--port", type=int, default=8080)
    docs.set_defaults(handler=cmd_docs)

    from .checks.cli import register as register_checks
    from .publish_cli import register as register_publish

    register_checks(sub)
    register_publish(sub)

    ui = sub.add_parser("ui", help="start the Dagster UI on 127.0.0.1 (default port 3000) through workspace.yaml")
    ui.add_argument("--port", type=int, default=3000)
    ui.set_defaults(handler=cmd_ui)

    dashboard = sub.add_parser("dashboard", help="start the supervision office's dashboard (Streamlit) on 127.0.0.1 "
                                                 "(default port 8501), read-only on the published warehouse")
    dashboard.add_argument("--port", type=int, default=DASHBOARD_PORT)
    dashboard.set_defaults(handler=cmd_dashboard)
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
