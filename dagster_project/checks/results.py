"""``raw.expectation_results``: write one check run's results; a rerun of a date replaces, never duplicates.

Decision: raw is append-only everywhere else, but here a rerun for the same as_of_date must not add a
second set of rows. Within ONE transaction the rows of that as_of_date and suite are deleted and the new
ones inserted, so the table holds exactly one result per (as_of_date, suite, expectation) and a killed
run leaves the previous results intact. run_id and evaluated_at say which run wrote them.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime

import duckdb
import pandas as pd

# Keep equal to dbt/macros/create_checks_tables.sql (tests/unit/test_checks_results.py compares them).
DDL = """
create table if not exists raw.expectation_results (
    run_id varchar not null,
    evaluated_at timestamp not null,
    as_of_date date not null,
    suite varchar not null,
    expectation varchar not null,
    expectation_type varchar not null,
    target_id varchar,
    indicator_id varchar,
    org_id varchar,
    region_code varchar,
    success boolean not null,
    status varchar not null,
    severity varchar not null,
    observed_value double,
    expected varchar,
    gap double,
    projected_value double,
    projected_status varchar,
    element_count integer,
    unexpected_count integer,
    details varchar
);
"""


@dataclass
class ResultRow:
    """One evaluated expectation, as stored."""

    run_id: str
    evaluated_at: datetime
    as_of_date: date
    suite: str
    expectation: str
    expectation_type: str
    target_id: str | None
    indicator_id: str | None
    org_id: str | None
    region_code: str | None
    success: bool
    status: str
    severity: str
    observed_value: float | None
    expected: str | None
    gap: float | None
    projected_value: float | None
    projected_status: str | None
    element_count: int | None
    unexpected_count: int | None
    details: str | None


COLUMNS = [f.name for f in fields(ResultRow)]


def ddl_columns(sql: str) -> list[tuple[str, str, bool]]:
    """(name, type, not_null) of the expectation_results DDL in ``sql`` (Python or the dbt macro)."""
    body = re.search(r"raw\.expectation_results \((.*?)\n\s*\);", sql, re.S).group(1)
    columns = []
    for line in body.splitlines():
        line = line.split("--", 1)[0].strip().rstrip(",")
        if line:
            parts = line.split()
            columns.append((parts[0], parts[1], "not null" in line))
    return columns


def ensure_table(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("create schema if not exists raw")
    con.execute(DDL)


def write_results(con: duckdb.DuckDBPyConnection, rows: list[ResultRow]) -> int:
    """Replace the results of each (as_of_date, suite) in ``rows`` with ``rows``, in one transaction."""
    ensure_table(con)
    if not rows:
        return 0
    frame = pd.DataFrame([asdict(row) for row in rows], columns=COLUMNS)
    keys = sorted({(row.as_of_date, row.suite) for row in rows})
    con.execute("begin transaction")
    try:
        for as_of_date, suite in keys:
            con.execute("delete from raw.expectation_results where as_of_date = ? and suite = ?", [as_of_date, suite])
        con.register("new_expectation_results", frame)
        con.execute(f"insert into raw.expectation_results ({', '.join(COLUMNS)}) "
                    f"select {', '.join(COLUMNS)} from new_expectation_results")
        con.unregister("new_expectation_results")
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return len(rows)
