"""The reference data a submission is checked against, read once per load from the raw seed tables.

Why a module: validation must not run a query per row. One :func:`load_reference` call reads
``raw.tasks``, ``raw.task_assignments``, ``raw.organizations``, ``raw.organization_aliases``,
``raw.indicators``, ``raw.regions`` and ``raw.air_quality_stations`` into plain dicts, keyed by :func:`lookup_key` (NFKC, no
whitespace, case-folded), so that 'LZ-2015-054-T001 ', 全角 letters and ％ all find their row.

Organisation names resolve in three tiers — full name or org_id, then short name, then alias — and
only the best tier that matches counts, so an alias never shadows a real name. A name that still
matches several organisations is narrowed by the task's assignments (see :meth:`Reference.resolve_org`).
A task whose assignments name no specific organisation (only generic phrases such as 有关部门)
accepts a report from any known organisation.

Where a command outside the pipeline reads the reference from (:func:`open_reference_snapshot`):
``policy-wh submit`` and ``policy-wh template`` run beside the loads, and DuckDB lets one process hold a
file while another writes it — a read-only open takes a shared lock, and a load that starts meanwhile
fails with ``Could not set lock on file``. So they never open the working warehouse: they read the
**published** copy (replaced atomically by every load; a reader keeps its snapshot and never blocks the
rename), and before the first publication the seed CSVs the raw reference tables are built from,
loaded into an in-memory DuckDB. Without either they raise :class:`ReferenceUnavailable`, and submit
says plainly that the row checks will run when the file is loaded.
"""
from __future__ import annotations

import os
import re
import sys
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

import duckdb

if TYPE_CHECKING:
    from ..settings import Settings

CITY_CODE = "131000"
_WHITESPACE = re.compile(r"\s+")


def key_of(text: object) -> str:
    """The comparable form of an id or a name: NFKC (全角 → 半角, ％ → %), no whitespace, case-folded."""
    if text is None:
        return ""
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", str(text))).casefold()


@lru_cache(maxsize=1 << 16)
def lookup_key(text: object) -> str:
    """:func:`key_of`, cached: a load looks up the same ids and names in cell after cell. (Building the
    reference uses :func:`key_of` directly: its hundreds of thousands of keys would only fill the cache.)"""
    return key_of(text)


def unit_key(text: object) -> str:
    """Units compare like ids (so % and ％, '万 元' and 万元 are the same unit)."""
    return lookup_key(text)


@dataclass(frozen=True)
class Reference:
    """Known tasks, organisations, indicators and regions, as lookups."""

    tasks: dict[str, str]                         # lookup_key(task_id) → task_id
    task_orgs: dict[str, tuple[str, ...]]         # task_id → specific org_ids assigned (lead or co); absent: open
    org_names: dict[str, tuple[str, ...]]         # lookup_key(name) → org_ids (best tier only)
    org_display: dict[str, str]                   # org_id → name
    indicators: dict[str, str]                    # lookup_key(indicator_id) → indicator_id
    indicator_units: dict[str, str]               # indicator_id → unit ("" if none)
    regions: dict[str, str]                       # lookup_key(name / short name / code) → region_code
    city_code: str = CITY_CODE
    task_text: dict[str, str] = field(default_factory=dict)
    task_deadline: dict[str, object] = field(default_factory=dict)
    indicator_names: dict[str, str] = field(default_factory=dict)
    region_names: dict[str, str] = field(default_factory=dict)      # region_code → name
    stations: dict[str, str] = field(default_factory=dict)          # lookup_key(station id / name / alias) → station_id
    station_names: dict[str, str] = field(default_factory=dict)     # station_id → name

    def resolve_org(self, name: str, task_id: str | None = None) -> tuple[str | None, str | None]:
        """(org_id, None) or (None, reason_code): unknown_organization / ambiguous_organization."""
        candidates = self.org_names.get(lookup_key(name), ())
        if len(candidates) == 1:
            return candidates[0], None
        if not candidates:
            return None, "unknown_organization"
        if task_id is not None:
            assigned = [c for c in candidates if c in self.task_orgs.get(task_id, ())]
            if len(assigned) == 1:
                return assigned[0], None
        return None, "ambiguous_organization"

    def is_assigned(self, task_id: str, org_id: str) -> bool:
        orgs = self.task_orgs.get(task_id, ())
        return not orgs or org_id in orgs


def _table_exists(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> bool:
    return bool(con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, name]).fetchone()[0])


def _columns(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> set[str]:
    return {r[0] for r in con.execute(
        "select column_name from information_schema.columns where table_schema = ? and table_name = ?",
        [schema, name]).fetchall()}


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _is_true(value: object) -> bool:
    return value is True or _text(value).lower() in ("true", "1", "t", "yes")


def load_reference(con: duckdb.DuckDBPyConnection, schema: str = "raw", *, with_text: bool = True) -> Reference:
    """Read the seed tables once. Missing tables give empty lookups (every row then fails its check).

    ``with_text=False`` leaves out the task texts and deadlines (only the Excel template shows them): at
    national scale they are most of the reference's memory, and validation never reads them."""
    tasks: dict[str, str] = {}
    task_text: dict[str, str] = {}
    task_deadline: dict[str, object] = {}
    if _table_exists(con, schema, "tasks"):
        cols = _columns(con, schema, "tasks")
        text_col = "task_text" if "task_text" in cols and with_text else "''"
        deadline_col = "deadline_date" if "deadline_date" in cols and with_text else "null"
        for task_id, text, deadline in _rows(con, f"select task_id, {text_col}, {deadline_col} from {schema}.tasks"):
            task = sys.intern(_text(task_id))      # one string object for the id, here and in task_orgs
            if task:
                tasks[key_of(task)] = task
                if with_text:
                    task_text[task] = _text(text)
                    task_deadline[task] = deadline

    # tasks with no specific organisation (only 有关部门 and the like) are left out: anyone known may report
    task_orgs: dict[str, set[str]] = {}
    if _table_exists(con, schema, "task_assignments"):
        cols = _columns(con, schema, "task_assignments")
        generic_col = "generic" if "generic" in cols else "false"
        for task_id, org_id, generic in _rows(
                con, f"select task_id, org_id, {generic_col} from {schema}.task_assignments where org_id is not null"):
            org = _text(org_id)
            if org and not _is_true(generic):
                task_orgs.setdefault(sys.intern(_text(task_id)), set()).add(sys.intern(org))

    tiers: list[dict[str, set[str]]] = [{}, {}, {}]
    org_display: dict[str, str] = {}
    if _table_exists(con, schema, "organizations"):
        for org_id, name, short_name in _rows(con, f"select org_id, name, short_name from {schema}.organizations"):
            org_id = _text(org_id)
            if not org_id:
                continue
            org_display[org_id] = _text(name) or org_id
            for tier, text in ((0, org_id), (0, name), (1, short_name)):
                if _text(text):
                    tiers[tier].setdefault(key_of(text), set()).add(org_id)
    if _table_exists(con, schema, "organization_aliases"):
        for alias, org_id in _rows(con, f"select alias, org_id from {schema}.organization_aliases"):
            if _text(alias) and _text(org_id):
                tiers[2].setdefault(key_of(alias), set()).add(_text(org_id))
    org_names: dict[str, tuple[str, ...]] = {}
    for tier in reversed(tiers):                     # better tiers overwrite worse ones
        org_names.update({k: tuple(sorted(v)) for k, v in tier.items()})

    indicators: dict[str, str] = {}
    indicator_units: dict[str, str] = {}
    indicator_names: dict[str, str] = {}
    if _table_exists(con, schema, "indicators"):
        for indicator_id, name, unit in _rows(con, f"select indicator_id, name, unit from {schema}.indicators"):
            if _text(indicator_id):
                indicators[key_of(indicator_id)] = _text(indicator_id)
                indicator_units[_text(indicator_id)] = _text(unit)
                indicator_names[_text(indicator_id)] = _text(name)

    regions: dict[str, str] = {}
    region_names: dict[str, str] = {}
    city_code = CITY_CODE
    if _table_exists(con, schema, "regions"):
        for code, name, short_name in _rows(con, f"select region_code, name, short_name from {schema}.regions"):
            code = _text(code)
            region_names[code] = _text(name) or code
            for text in (code, name, short_name):
                if _text(text):
                    regions.setdefault(key_of(text), code)
    if city_code in regions.values():
        regions[key_of("全市")] = city_code

    stations, station_names = _stations(con, schema, regions)

    return Reference(
        tasks=tasks, task_orgs={k: tuple(sorted(v)) for k, v in task_orgs.items()}, org_names=org_names,
        org_display=org_display, indicators=indicators, indicator_units=indicator_units, regions=regions,
        city_code=city_code, task_text=task_text, task_deadline=task_deadline, indicator_names=indicator_names,
        region_names=region_names, stations=stations, station_names=station_names,
    )


_STATION_SUFFIXES = ("国控自动监测站", "省控自动监测站", "自动监测站", "监测站", "监测点", "站点", "站")


def station_keys(name: str) -> list[str]:
    """药材公司 → also 药材公司监测点 / 药材公司站 …; 三河市省控站 → also 三河市省控监测站 (the forms clerks write)."""
    base = name[: -len("省控站")] + "省控" if name.endswith("省控站") else name
    return [key_of(name)] + [key_of(base + suffix) for suffix in _STATION_SUFFIXES]


def _stations(con: duckdb.DuckDBPyConnection, schema: str,
              regions: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """Air-quality monitoring stations by id, name (with the usual suffixes) and — for a unit that has
    exactly one station — the unit's name (三河 → 三河市省控站; 广阳区 has two stations, so not 广阳区)."""
    if not _table_exists(con, schema, "air_quality_stations"):
        return {}, {}
    rows = _rows(con, f"select station_id, name, region_code from {schema}.air_quality_stations")
    names: dict[str, str] = {}
    keys: dict[str, str] = {}
    per_region: dict[str, list[str]] = {}
    for station_id, name, region_code in rows:
        station_id = _text(station_id)
        if not station_id:
            continue
        names[station_id] = _text(name) or station_id
        per_region.setdefault(_text(region_code), []).append(station_id)
    for region_key, code in regions.items():                 # weakest tier: a unit with one station
        if len(per_region.get(code, [])) == 1:
            keys[region_key] = per_region[code][0]
    for station_id, name in names.items():                   # stronger: names and ids overwrite
        for key in station_keys(name):
            keys[key] = station_id
        keys[key_of(station_id)] = station_id
    return keys, names


# --- where commands outside the pipeline read the reference from ----------------------------------------



class ReferenceUnavailable(RuntimeError):
    """Neither the published copy nor the seed CSVs could be read; the message says why (Chinese and English)."""


@dataclass(frozen=True)
class ReferenceSource:
    """Where a snapshot of the reference data came from."""

    kind: str                        # "published" (the analysts' copy) | "seeds" (seeds/*.csv, no publication yet)
    path: Path
    published_at: object = None      # meta.publication.published_at of the published copy

    def describe(self) -> str:
        if self.kind == "published":
            when = f"，发布于 {self.published_at}" if self.published_at is not None else ""
            return f"发布副本 the published copy {self.path}{when}"
        return f"种子文件 the seed CSVs in {self.path} (尚无发布副本 no published copy yet)"


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _open_published(path: Path, working: Path) -> tuple[duckdb.DuckDBPyConnection | None, str]:
    """A read-only connection to the published copy if it holds the reference tables, else (None, why)."""
    if _same_file(path, working):
        return None, f"POLICY_WH_PUBLISHED 指向工作仓库本身 names the working warehouse itself ({path}); it is not read"
    if not path.is_file():
        return None, f"尚无发布副本 no published copy at {path}"
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as error:
        return None, f"发布副本无法打开 the published copy {path} cannot be opened: {error}"
    try:
        if not _table_exists(con, "raw", "tasks"):
            con.close()
            return None, f"发布副本中没有 raw.tasks the published copy {path} has no raw.tasks"
    except duckdb.Error as error:
        con.close()
        return None, f"发布副本无法读取 the published copy {path} cannot be read: {error}"
    return con, ""


def _published_at(con: duckdb.DuckDBPyConnection) -> object:
    try:
        if _table_exists(con, "meta", "publication"):
            return con.execute("select max(published_at) from meta.publication").fetchone()[0]
    except duckdb.Error:
        pass
    return None


def _open_seeds(seeds_dir: Path) -> tuple[duckdb.DuckDBPyConnection | None, str]:
    """An in-memory DuckDB with every seeds/<name>.csv as raw.<name> (all text, as the checks read it)."""
    files = sorted(p for p in seeds_dir.glob("*.csv") if p.is_file()) if seeds_dir.is_dir() else []
    if not any(p.stem == "tasks" for p in files):
        return None, f"没有种子文件 no seed CSVs (tasks.csv) in {seeds_dir}"
    con = duckdb.connect()
    try:
        con.execute("create schema raw")
        for csv_path in files:
            con.execute(
                f'create table raw."{csv_path.stem}" as select * from read_csv({_sql_string(str(csv_path))}, '
                "header = true, delim = ',', quote = '\"', escape = '\"', all_varchar = true, "
                "encoding = 'utf-8')")
    except duckdb.Error as error:
        con.close()
        return None, f"种子文件无法读取 the seed CSVs in {seeds_dir} cannot be read: {error}"
    return con, ""


@contextmanager
def open_reference_snapshot(settings: "Settings | None" = None) -> Iterator[tuple[duckdb.DuckDBPyConnection, ReferenceSource]]:
    """A connection holding the raw reference tables, never the working warehouse.

    The published copy read-only (its ``raw`` schema is the working file's as of the last publication;
    a load replaces the file by rename, so this reader neither blocks nor sees a half-written file), else
    the seed CSVs in memory. Raises :class:`ReferenceUnavailable` when neither can be read.
    """
    if settings is None:
        from ..settings import load_settings

        settings = load_settings()
    published = settings.published_path
    con, why_not_published = _open_published(published, settings.warehouse_path)
    if con is not None:
        source = ReferenceSource("published", published, _published_at(con))
    else:
        con, why_not_seeds = _open_seeds(settings.seeds_dir)
        if con is None:
            raise ReferenceUnavailable(
                f"无法读取参考数据 no reference data: {why_not_published}; {why_not_seeds}. "
                "运行 policy-wh publish（或 policy-wh load / policy-wh demo）生成发布副本 "
                "(run `policy-wh publish`, `policy-wh load` or `policy-wh demo` to make the published copy).")
        source = ReferenceSource("seeds", settings.seeds_dir)
    try:
        yield con, source
    finally:
        con.close()


def load_reference_snapshot(settings: "Settings | None" = None, *,
                            with_text: bool = False) -> tuple[Reference, ReferenceSource]:
    """:func:`load_reference` from :func:`open_reference_snapshot` (the connection is closed again)."""
    with open_reference_snapshot(settings) as (con, source):
        return load_reference(con, with_text=with_text), source
