"""Print one quarter's air-quality ranking and amounts — the example query of docs/air_quality.md.

Why a script: every number in the docs must come from code that is committed. Run it read-only against a
warehouse that holds the demo readings (after ``make demo``)::

    .venv/bin/python -m dagster_project.demo_data.air_quality_example --quarter 2016Q1

or let it make a scratch warehouse first (dbt build, the demo's 市环保局 files through the real inbox and
loader, the air-quality models)::

    .venv/bin/python -m dagster_project.demo_data.air_quality_example --quarter 2016Q1 --scratch /tmp/aq-demo
"""
from __future__ import annotations

import argparse
import os
from datetime import date
from pathlib import Path

import duckdb

QUERY = """\
select group_name, final_rank, region_name, composite_index, yoy_decline_rate,
       index_points, decline_points, total_points, reward_wan_yuan, penalty_wan_yuan
from reports.rpt_air_quality_award
where quarter = ?
order by group_name, final_rank"""


def build_scratch(directory: Path) -> Path:
    """A fresh warehouse in ``directory`` with every demo air-quality file loaded; returns its path."""
    directory.mkdir(parents=True, exist_ok=True)
    database = directory / "warehouse.duckdb"
    database.unlink(missing_ok=True)
    os.environ["POLICY_WH_DB"] = str(database)
    os.environ["POLICY_WH_INBOX"] = str(directory / "inbox")
    os.environ["DAGSTER_HOME"] = str(directory / "dagster_home")
    from ..dbt_runner import run_dbt
    from ..settings import load_settings
    from ..submissions.inbox import submit
    from ..submissions.loader import load_files
    from .air_quality import air_quality_files, write_file
    from ..submissions.raw_tables import ensure_submission_tables

    settings = load_settings()
    run_dbt(settings, ["build", "--exclude", "fct_air_quality_reading+"])
    with duckdb.connect(str(database)) as con:
        ensure_submission_tables(con)
    files = air_quality_files(settings.seeds_dir, date(2015, 7, 1), date(2016, 12, 31), 20151231)
    (directory / "files").mkdir(exist_ok=True)
    for f in sorted(files, key=lambda f: (f.received, f.name)):
        [result] = submit([write_file(f, directory / "files")], inbox_dir=settings.inbox_dir, today=f.received)
        with duckdb.connect(str(database)) as con:
            load_files(con, [result.stored_path], partition_date=f.received, today=f.received)
    run_dbt(settings, ["build", "--select", "fct_air_quality_reading+"])
    return database


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quarter", default="2016Q1")
    parser.add_argument("--db", type=Path, help="warehouse file (default: POLICY_WH_DB or data/warehouse.duckdb)")
    parser.add_argument("--scratch", type=Path, help="build a scratch warehouse with the demo readings here first")
    args = parser.parse_args(argv)
    if args.scratch:
        database = build_scratch(args.scratch)
    else:
        from ..settings import load_settings

        database = args.db or load_settings().warehouse_path
    with duckdb.connect(str(database), read_only=True) as con:
        print(QUERY.replace("?", f"'{args.quarter}'") + ";\n")
        con.sql(QUERY, params=[args.quarter]).show(max_width=250)
        reason = con.execute("select reason from reports.rpt_air_quality_award where quarter = ? "
                             "and penalty_wan_yuan > 50 order by penalty_wan_yuan desc, region_code limit 1",
                             [args.quarter]).fetchone()
        if reason:
            print("\n" + reason[0])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
