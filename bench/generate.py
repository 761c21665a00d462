"""Synthetic submissions for a scaled warehouse: one day's department files, bulk files, and history.

Why: the loader and the daily models must be measured on data shaped like the real thing — each
organisation reports the tasks it is assigned to, indicator values arrive per region and period,
about 1% of rows are wrong and get quarantined — at volumes no demo can reach. Which (task,
organisation) pairs report on a day is a fixed rotation (day index × rows, modulo the pairs), so
the history written straight into ``raw`` by :func:`insert_history` and the files a benchmark then
loads through the real loader follow the same pattern and never collide by accident.

The history is written with set-wise SQL, not through the loader: it is the *fixture* the daily
load runs on top of (ten years at 2,000 rows a day is 7·10⁶ rows), not what is measured.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb

from dagster_project.demo_data.writers import csv_bytes
from dagster_project.submissions.formats import CHINESE_HEADERS

FIRST_DAY = date(2015, 7, 1)          # the first daily partition
PROGRESS_SHARE = 0.85                  # of a day's rows; the rest are indicator values
REGIONS_PER_INDICATOR = 12             # a city and its county-level divisions
BAD_EVERY = 100                        # one row in 100 carries a mistake (quarantined)
STATUSES = ("未启动", "推进中", "推进中", "已完成", "已延期")
PROGRESS_HEADERS = [CHINESE_HEADERS[f] for f in ("task_id", "report_date", "status", "percent_complete", "note",
                                                 "reported_by")]
INDICATOR_HEADERS = [CHINESE_HEADERS[f] for f in ("indicator_id", "region", "period", "value", "unit", "reported_by")]


@dataclass(frozen=True)
class Pools:
    """What a scaled warehouse lets departments report: (task, org, name) pairs and indicator cells."""

    pairs: list[tuple[str, str, str]]           # task_id, org_id, organisation name
    cells: list[tuple[str, str, str, str, str]]  # indicator_id, region_code, unit, reporting org name, its org_id

    @classmethod
    def read(cls, con: duckdb.DuckDBPyConnection) -> "Pools":
        pairs = con.execute("""
            select distinct a.task_id, a.org_id, o.name
            from raw.task_assignments a join raw.organizations o on o.org_id = a.org_id
            where a.org_id is not null and not coalesce(cast(a.generic as boolean), false)
            order by 1, 2""").fetchall()
        indicators = con.execute("select indicator_id, coalesce(unit, '') from raw.indicators order by 1").fetchall()
        regions = [r[0] for r in con.execute("select region_code from raw.regions order by 1").fetchall()]
        orgs = con.execute("select org_id, name from raw.organizations order by 1").fetchall()
        per_indicator = min(len(regions), REGIONS_PER_INDICATOR)
        cells = [(indicator_id, regions[(i + j) % len(regions)], unit, orgs[i % len(orgs)][1], orgs[i % len(orgs)][0])
                 for i, (indicator_id, unit) in enumerate(indicators) for j in range(per_indicator)] if orgs else []
        if not pairs:
            raise ValueError("the warehouse has no assigned (task, organisation) pairs: build the reference set first")
        return cls(pairs, cells)


def split(rows: int, pools: Pools) -> tuple[int, int]:
    """(progress rows, indicator rows) of a day with ``rows`` rows (bounded by what exists)."""
    progress = min(len(pools.pairs), round(rows * PROGRESS_SHARE))
    return progress, min(len(pools.cells), rows - progress)


def _window(size: int, n: int, day_index: int) -> list[int]:
    """The n positions (of size) reporting on day day_index: a rotating window."""
    start = (day_index * n) % size
    return [(start + i) % size for i in range(n)]


def _percent(day_index: int, position: int) -> int:
    return (day_index + position) % 101


def day_rows(pools: Pools, day: date, rows: int) -> tuple[list[list[object]], list[list[object]]]:
    """The progress and indicator rows departments send for ``day`` (≈1% of them wrong)."""
    index = (day - FIRST_DAY).days
    n_progress, n_cells = split(rows, pools)
    progress = []
    for k, p in enumerate(_window(len(pools.pairs), n_progress, index)):
        task_id, _, name = pools.pairs[p]
        status = STATUSES[(index + p) % len(STATUSES)]
        percent: object = _percent(index, p)
        if k % BAD_EVERY == BAD_EVERY - 1:          # the mistakes clerks make
            kind = (k // BAD_EVERY) % 3
            task_id, status, percent = ((task_id + "x", status, percent), (task_id, "进行", percent),
                                        (task_id, status, 120))[kind]
        progress.append([task_id, day.isoformat(), status, percent, f"第{index}天进展", name])
    indicators = []
    for k, c in enumerate(_window(len(pools.cells), n_cells, index)):
        indicator_id, region, unit, name, _ = pools.cells[c]
        value: object = round(100 + (index + c) % 997 / 10, 1)
        if k % BAD_EVERY == BAD_EVERY - 1:
            value = "约100"
        indicators.append([indicator_id, region, day.isoformat(), value, unit, name])
    return progress, indicators


def write_day(pools: Pools, day: date, rows: int, out_dir: Path) -> list[Path]:
    """One CSV per organisation and kind, as the departments would send them for that day."""
    out_dir.mkdir(parents=True, exist_ok=True)
    progress, indicators = day_rows(pools, day, rows)
    paths = []
    for kind, headers, body in (("任务进展", PROGRESS_HEADERS, progress), ("指标数据", INDICATOR_HEADERS, indicators)):
        by_org: dict[str, list[list[object]]] = {}
        for row in body:
            by_org.setdefault(str(row[-1]), []).append(row)
        for n, (name, org_rows) in enumerate(sorted(by_org.items())):
            path = out_dir / f"{day:%Y%m%d}-{kind}-{n:05d}.csv"
            path.write_bytes(csv_bytes(headers, org_rows, "utf-8-sig"))
            paths.append(path)
    return paths


def write_bulk(pools: Pools, rows: int, rows_per_file: int, out_dir: Path, first: date = date(2016, 1, 1)) -> list[Path]:
    """``rows`` progress rows in files of ``rows_per_file`` (a consolidated submission), ≈1% wrong.

    Row i reports pair i mod P on day first + i div P, so no two rows of a file share a key."""
    out_dir.mkdir(parents=True, exist_ok=True)
    size = len(pools.pairs)
    paths = []
    for f, start in enumerate(range(0, rows, rows_per_file)):
        body = []
        for i in range(start, min(rows, start + rows_per_file)):
            task_id, _, name = pools.pairs[i % size]
            day = first + timedelta(days=i // size)
            status, percent = STATUSES[i % len(STATUSES)], i % 101
            if i % BAD_EVERY == BAD_EVERY - 1:
                status = "进行"
            body.append([task_id, day.isoformat(), status, percent, "", name])
        path = out_dir / f"bulk-{f:05d}.csv"
        path.write_bytes(csv_bytes(PROGRESS_HEADERS, body, "utf-8-sig"))
        paths.append(path)
    return paths


def insert_history(con: duckdb.DuckDBPyConnection, pools: Pools, first: date, days: int, rows_per_day: int) -> int:
    """Write ``days`` days of accepted rows straight into raw (one synthetic file a day); return rows written."""
    if days <= 0:
        return 0
    n_progress, n_cells = split(rows_per_day, pools)
    con.execute("create or replace temp table _bench_pairs (p integer, task_id varchar, org_id varchar, name varchar)")
    con.executemany("insert into _bench_pairs values (?, ?, ?, ?)",
                    [(i, *pair) for i, pair in enumerate(pools.pairs)])
    con.execute("create or replace temp table _bench_cells (c integer, indicator_id varchar, region_code varchar, "
                "unit varchar, name varchar, org_id varchar)")
    con.executemany("insert into _bench_cells values (?, ?, ?, ?, ?, ?)", [(i, *cell) for i, cell in enumerate(pools.cells)])
    first_index = (first - FIRST_DAY).days
    params = {"first": first, "days": days, "first_index": first_index, "n": n_progress, "size": len(pools.pairs),
              "m": n_cells, "cells": max(1, len(pools.cells))}
    con.execute("""
        create or replace temp table _bench_days as
        select cast($first as date) + cast(k as integer) as day, $first_index + k as idx,
               'history-' || strftime(cast($first as date) + cast(k as integer), '%Y%m%d') as sha
        from range(cast($days as bigint)) t(k)""", {"first": first, "days": days, "first_index": first_index})
    con.execute("""
        insert into raw.progress_reports
        select d.sha, d.sha || '.csv', 'csv', cast(p.p + 2 as integer), p.task_id, d.day,
               ['not_started', 'in_progress', 'in_progress', 'done', 'delayed'][(d.idx + p.p) % 5 + 1],
               cast((d.idx + p.p) % 101 as double), null, p.name, p.org_id, d.day,
               cast(d.day as timestamp) + interval 20 hour
        from _bench_days d join _bench_pairs p on ((p.p - d.idx * $n) % $size + $size) % $size < $n""",
                {"n": params["n"], "size": params["size"]})
    if n_cells:
        con.execute("""
            insert into raw.indicator_values
            select d.sha, d.sha || '.csv', 'csv', cast(c.c + 2 as integer), c.indicator_id, c.region_code,
                   strftime(d.day, '%Y-%m-%d'), d.day, d.day, 100 + ((d.idx + c.c) % 997) / 10, nullif(c.unit, ''),
                   c.name, c.org_id, d.day, cast(d.day as timestamp) + interval 20 hour
            from _bench_days d join _bench_cells c on ((c.c - d.idx * $m) % $cells + $cells) % $cells < $m""",
                    {"m": params["m"], "cells": params["cells"]})
    con.execute("""
        insert into raw.submission_files
        select sha, sha || '.csv', cast(day as timestamp) + interval 18 hour, 'bench', 'accepted', null,
               $rows, $rows, 0, day
        from _bench_days""", {"rows": n_progress + n_cells})
    return days * (n_progress + n_cells)
