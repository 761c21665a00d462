"""The simulated world behind the demo submissions: who reports what, when, and how work progresses.

Everything here depends only on the seeds and the random seed — never on the generation window — so a
short window is an exact slice of the long one. Each entity draws from its own random stream
(``random.Random(f"{seed}:{kind}:{key}")``: string seeds are hashed with SHA-512, stable across runs
and independent of PYTHONHASHSEED), so adding a task does not reshuffle every other one.
"""
from __future__ import annotations

import csv
import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import duckdb

from ..submissions.reference import Reference, load_reference

EPOCH = date(2015, 7, 1)                     # the first day anything may be reported
DEFAULT_ISSUED = date(2015, 12, 31)          # a document without a date is treated as issued at year end
STATISTICS_ORG = "lf-statistics"             # 市统计局: reports indicators no task lead reports
WEEKLY_SHARE = 0.06                          # share of reporting organisations that report weekly
WEEKLY_TASKS = (15, 40)                      # ... chosen among those leading this many tasks (busy, not huge)
DROPOUTS = 6                                 # organisations that stop reporting at some month
DONE_TAIL_DAYS = 35                          # a finished task is still listed this long, then dropped
HOLIDAYS = ((date(2015, 10, 1), date(2015, 10, 7)), (date(2016, 2, 7), date(2016, 2, 13)),
            (date(2016, 10, 1), date(2016, 10, 7)))
SEED_TABLES = ("tasks", "task_assignments", "organizations", "organization_aliases", "indicators", "regions",
               "targets", "documents", "air_quality_stations")

NOT_STARTED, IN_PROGRESS, DONE, DELAYED, BLOCKED = "not_started", "in_progress", "done", "delayed", "blocked"
STATUS_TEXT = {NOT_STARTED: "未启动", IN_PROGRESS: "推进中", DONE: "已完成", DELAYED: "已延期", BLOCKED: "受阻"}
STATUS_RANK = {NOT_STARTED: 0, IN_PROGRESS: 1, DELAYED: 1, BLOCKED: 1, DONE: 2}

NOTES = {
    NOT_STARTED: ("正在研究制定实施方案", "待省有关部门细则出台后启动", "已明确责任科室，近期启动", "正在组织学习文件精神"),
    IN_PROGRESS: ("已召开专题会议进行部署", "正在开展调研摸底", "实施方案已起草，正在征求意见", "按计划有序推进",
                  "已完成阶段性工作，正在督导落实", "已印发工作方案，各项工作正在落实", "正在会同有关部门协调推进"),
    DELAYED: ("受审批手续影响，进度滞后，正在加快推进", "资金尚未完全到位，工作有所延后", "因涉及多部门协调，完成时间推迟",
              "前期手续办理时间较长，已制定赶工计划"),
    BLOCKED: ("因资金未落实暂停推进，已报请市政府协调", "涉及上级审批，暂无进展", "配合单位意见不一致，待协调",
              "用地问题未解决，工作受阻"),
    DONE: ("已全部完成，相关材料已归档", "已完成并通过验收", "已按要求完成，形成长效机制", "任务已完成，已报送总结材料"),
}
INTEGER_UNITS = frozenset("个 家 次 项 人 名 所 件 类 户 座 条 处 支 台 辆 批 本 篇 场 期 届 套 张 吨 岁 年 天 层".split())


def rng(seed: int, *key: object) -> random.Random:
    return random.Random(":".join([str(seed), *map(str, key)]))


def read_seed(seeds_dir: Path, name: str) -> list[dict[str, str]]:
    with open(seeds_dir / f"{name}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def parse_iso(text: str | None) -> date | None:
    try:
        return date.fromisoformat((text or "").strip()[:10])
    except ValueError:
        return None


def load_seed_tables(con: duckdb.DuckDBPyConnection, seeds_dir: Path) -> None:
    """raw.<seed> = the seed CSV, every column varchar (what submissions.reference reads)."""
    con.execute("create schema if not exists raw")
    for name in SEED_TABLES:
        if not (Path(seeds_dir) / f"{name}.csv").exists():
            continue                              # e.g. seeds extracted before the table was added
        path = str(Path(seeds_dir) / f"{name}.csv").replace("'", "''")
        con.execute(f"create or replace table raw.{name} as select * from read_csv('{path}', all_varchar=true, "
                    "header=true, delim=',', quote='\"')")


def seed_reference(seeds_dir: Path) -> Reference:
    """The reference data exactly as the loader will see it, from the seed CSVs."""
    with duckdb.connect() as con:
        load_seed_tables(con, seeds_dir)
        return load_reference(con)


# --- schedules --------------------------------------------------------------------------------------

def _holiday(day: date) -> bool:
    return any(a <= day <= b for a, b in HOLIDAYS)


def _working_day(day: date) -> date:
    while day.weekday() >= 5 or _holiday(day):
        day += timedelta(days=1)
    return day


def report_days(cadence: str, anchor: int, first: date, last: date) -> list[date]:
    """The organisation's report days from EPOCH to ``last`` (those before ``first`` included, for lags)."""
    days: list[date] = []
    if cadence == "weekly":
        day = EPOCH + timedelta(days=(anchor - EPOCH.weekday()) % 7)
        while day <= last:
            if not _holiday(day):
                days.append(day)
            day += timedelta(days=7)
    else:
        year, month = EPOCH.year, EPOCH.month
        while date(year, month, 1) <= last:
            day = _working_day(date(year, month, anchor))
            if day <= last:
                days.append(day)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return [d for d in days if d >= EPOCH]


# --- tasks ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Plan:
    """How one organisation's work on one task unfolds."""

    task_id: str
    org_id: str
    start: date                  # the document's date: the task is listed from the first report day on/after
    kick: date                   # work begins (未启动 before)
    deadline: date | None
    finish: date | None          # 已完成 from this day (None: never, within the horizon)
    outcome: str                 # early | late | never | blocked | slow | slow_done
    plateau: int = 0             # percent a never-finishing task creeps towards
    ramp_days: int = 365
    blocked_from: date | None = None
    gamma: float = 1.0

    def state(self, day: date) -> tuple[str, int]:
        """(status, percent) on a report day."""
        if day < self.kick:
            return NOT_STARTED, 0
        if self.finish is not None and day >= self.finish:
            return DONE, 100
        if self.finish is not None:
            frac = (day - self.kick).days / max(1, (self.finish - self.kick).days)
            percent = min(95, max(5, _round5(5 + 90 * frac ** self.gamma)))
            late = self.deadline is not None and day > self.deadline
            return (DELAYED if late else IN_PROGRESS), percent
        stop = min(day, self.blocked_from) if self.blocked_from else day
        frac = min(1.0, (stop - self.kick).days / max(1, self.ramp_days))
        percent = min(95, max(5, _round5(self.plateau * frac ** self.gamma)))
        if self.blocked_from is not None and day >= self.blocked_from:
            return BLOCKED, percent
        return IN_PROGRESS, percent

    def listed(self, day: date) -> bool:
        """Is the task on the organisation's report of this day?"""
        return day >= self.start and (self.finish is None or day < self.finish + timedelta(days=DONE_TAIL_DAYS))


def _round5(value: float) -> int:
    return int(5 * round(value / 5))


def make_plan(seed: int, task_id: str, org_id: str, start: date, deadline: date | None, kind: str) -> Plan:
    r = rng(seed, "plan", task_id, org_id)
    kick = start if r.random() < 0.4 else start + timedelta(days=r.randint(7, 60))
    gamma = r.uniform(0.7, 1.4)
    if deadline is None or deadline > start + timedelta(days=730) or kind == "ongoing":
        roll = r.random()
        if kind != "ongoing" and roll < 0.35:           # an undated task that does get finished, eventually
            finish = kick + timedelta(days=r.randint(150, 450))
            return Plan(task_id, org_id, start, kick, deadline, finish, "slow_done", gamma=gamma)
        if roll > 0.93:
            return Plan(task_id, org_id, start, kick, deadline, None, "blocked", plateau=r.randint(30, 70),
                        ramp_days=365, blocked_from=kick + timedelta(days=r.randint(60, 300)), gamma=gamma)
        return Plan(task_id, org_id, start, kick, deadline, None, "slow", plateau=r.randint(50, 90),
                    ramp_days=r.randint(420, 720), gamma=gamma)
    roll = r.random()
    if roll < 0.5:
        finish = max(deadline - timedelta(days=r.randint(0, 40)), kick + timedelta(days=21))
        return Plan(task_id, org_id, start, kick, deadline, finish, "early", gamma=gamma)
    if roll < 0.75:
        finish = max(deadline, kick + timedelta(days=21)) + timedelta(days=r.randint(20, 150))
        return Plan(task_id, org_id, start, kick, deadline, finish, "late", gamma=gamma)
    ramp = max(60, (deadline - kick).days)
    if r.random() < 0.5:
        blocked = kick + timedelta(days=r.randint(30, 200))
        return Plan(task_id, org_id, start, kick, deadline, None, "blocked", plateau=r.randint(30, 85),
                    ramp_days=ramp, blocked_from=blocked, gamma=gamma)
    return Plan(task_id, org_id, start, kick, deadline, None, "never", plateau=r.randint(30, 85), ramp_days=ramp,
                gamma=gamma)


def note_for(seed: int, plan: Plan, status: str, day: date) -> str:
    options = NOTES[status]
    r = rng(seed, "note", plan.task_id, plan.org_id, status, (day - plan.start).days // 30)
    return options[r.randrange(len(options))]


# --- indicators -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Series:
    """One indicator in one region, reported by one organisation, drifting towards one target."""

    indicator_id: str
    unit: str
    region: str                  # as written in 地区 (全市 or the region's name)
    org_id: str
    granularity: str             # month | quarter | year
    start: date
    due: date
    baseline: float
    final: float
    meets: bool
    target_id: str
    seed: int = 0

    def periods_ending(self, after: date | None, before: date) -> list[tuple[str, date]]:
        """(period text, period end) of the periods with after <= end < before that end after the start."""
        out = []
        year, month = self.start.year, self.start.month
        while True:
            if self.granularity == "month":
                end = _month_end(year, month)
                text = f"{year}-{month:02d}"
                year, month = (year + 1, 1) if month == 12 else (year, month + 1)
            elif self.granularity == "quarter":
                quarter = (month - 1) // 3 + 1
                end = _month_end(year, quarter * 3)
                text = f"{year}Q{quarter}"
                year, month = (year + 1, 1) if quarter == 4 else (year, quarter * 3 + 1)
            else:
                end = date(year, 12, 31)
                text = str(year)
                year, month = year + 1, 1
            if end >= before:
                return out
            if end >= self.start and (after is None or end >= after):
                out.append((text, end))

    def value(self, end: date) -> float:
        frac = min(1.0, max(0.0, (end - self.start).days / max(1, (self.due - self.start).days)))
        if self.unit == "是/否":
            return 1.0 if self.meets and frac >= 0.6 else 0.0
        value = self.baseline + (self.final - self.baseline) * frac
        wobble = rng(self.seed, "wobble", self.indicator_id, self.region, end.isoformat()).uniform(-0.015, 0.015)
        if self.unit in INTEGER_UNITS:
            return float(round(value))
        value *= 1 + (wobble if frac < 1 else 0)
        if self.unit == "%":
            value = min(100.0, max(0.0, value))
        return round(value, 2 if self.unit in ("亿元", "万元", "万美元") else 1)


def _month_end(year: int, month: int) -> date:
    return date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)


def make_series(seed: int, target: dict[str, str], unit: str, direction: str, region: str, org_id: str,
                start: date) -> Series:
    r = rng(seed, "series", target["indicator_id"], region)
    v = float(target["value"] or 0) or 1.0
    high = float(target["value_high"]) if (target.get("value_high") or "").strip() else v
    comparator = target["comparator"]
    due = parse_iso(target.get("due_date")) or date(2016, 12, 31)
    meets = r.random() < 0.6
    lower = direction == "lower_is_better" or comparator in ("<=", "<")
    if comparator == "between":
        baseline = v * r.uniform(0.3, 0.7)
        final = r.uniform(v, high) if meets else v * r.uniform(0.5, 0.9)
    elif lower:
        baseline = v * r.uniform(1.15, 1.6)
        final = v * r.uniform(0.85, 1.0) if meets else v * r.uniform(1.06, 1.25)
    else:
        baseline = v * r.uniform(0.45, 0.85)
        if comparator == "=":
            final = v if meets else v * r.uniform(0.7, 0.93)
        elif comparator == "approx":
            final = v * r.uniform(0.98, 1.02) if meets else v * r.uniform(0.7, 0.9)
        else:
            final = v * r.uniform(1.02, 1.12) if meets else v * r.uniform(0.7, 0.93)
    if unit in INTEGER_UNITS:                            # counts: rounding must not turn a miss into a hit
        if lower:
            final = min(math.floor(final), v) if meets else max(math.ceil(final), math.floor(v) + 1)
        elif meets:
            final = min(max(math.ceil(final), math.ceil(v) + (comparator == ">")), max(high, math.ceil(final)))
        else:
            final = max(0, min(math.floor(final), math.ceil(v) - 1))
    granularity = "year" if unit == "是/否" else r.choices(("month", "quarter", "year"), (0.45, 0.4, 0.15))[0]
    return Series(target["indicator_id"], unit, region, org_id, granularity, start, max(due, start + timedelta(days=90)),
                  baseline, final, meets, target["target_id"], seed)


# --- the world --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Org:
    org_id: str
    names: tuple[str, ...]       # how its clerk writes 填报单位: names[0] usually, the others now and then
    cadence: str                 # weekly | monthly
    anchor: int                  # weekday (weekly) or day of month (monthly)
    file_type: str               # xlsx | csv
    encoding: str | None         # utf-8-sig | gb18030 for csv
    stop: date | None            # stops reporting from this day (None: never)
    style: int                   # 0..n: how its clerk writes dates, percents, file names


@dataclass
class World:
    orgs: dict[str, Org]
    plans: dict[str, list[Plan]]          # org_id → plans, by task_id
    series: dict[str, list[Series]]       # org_id → indicator series
    reference: Reference
    indicator_units: dict[str, str] = field(default_factory=dict)


def clerk_names(reference: Reference, org: dict[str, str], aliases: list[str]) -> list[str]:
    """Names that resolve to exactly this organisation: short name first, then aliases, then the full name."""
    out: list[str] = []
    for name in [org.get("short_name", ""), *aliases, org.get("name", "")]:
        name = (name or "").strip()
        if name and name not in out and reference.resolve_org(name) == (org["org_id"], None):
            out.append(name)
    return out


def build_world(seeds_dir: Path, seed: int) -> World:
    seeds_dir = Path(seeds_dir)
    reference = seed_reference(seeds_dir)
    documents = {d["doc_id"]: parse_iso(d["issued_on"]) or DEFAULT_ISSUED for d in read_seed(seeds_dir, "documents")}
    tasks = {t["task_id"]: t for t in read_seed(seeds_dir, "tasks")}
    organisations = {o["org_id"]: o for o in read_seed(seeds_dir, "organizations")}
    aliases: dict[str, list[str]] = {}
    for a in read_seed(seeds_dir, "organization_aliases"):
        aliases.setdefault(a["org_id"], []).append(a["alias"])

    leads: dict[str, set[str]] = {}                      # task_id → lead org_ids
    for a in read_seed(seeds_dir, "task_assignments"):
        task = tasks.get(a["task_id"])
        if (a["role"] == "lead" and a["org_id"].strip() and a["generic"].strip().lower() != "true"
                and task is not None and not task["duplicate_of"].strip() and a["org_id"] in organisations):
            leads.setdefault(a["task_id"], set()).add(a["org_id"])

    plans: dict[str, list[Plan]] = {}
    for task_id in sorted(leads):
        task = tasks[task_id]
        start = documents.get(task["doc_id"], DEFAULT_ISSUED)
        for org_id in sorted(leads[task_id]):
            plans.setdefault(org_id, []).append(make_plan(
                seed, task_id, org_id, start, parse_iso(task["deadline_date"]), task["deadline_kind"]))

    indicators = {i["indicator_id"]: i for i in read_seed(seeds_dir, "indicators")}
    regions = {r["region_code"]: r for r in read_seed(seeds_dir, "regions")}
    series: dict[str, list[Series]] = {}
    seen: set[tuple[str, str]] = set()
    targets = sorted(read_seed(seeds_dir, "targets"),
                     key=lambda t: (t["indicator_id"], t["region_code"], t["due_date"] or "9999", t["target_id"]))
    for target in targets:
        indicator = indicators.get(target["indicator_id"])
        if indicator is None or indicator["indicator_id"] not in reference.indicator_units:
            continue
        code = target["region_code"].strip()
        region = "全市" if not code or code == reference.city_code or code not in regions else regions[code]["name"]
        if (indicator["indicator_id"], region) in seen:
            continue                                      # the earliest-due target of a series sets its course
        seen.add((indicator["indicator_id"], region))
        candidates = sorted(leads.get(target["task_id"], ()))
        r = rng(seed, "reporter", target["target_id"])
        org_id = r.choice(candidates) if candidates else STATISTICS_ORG
        start = documents.get(target["doc_id"], DEFAULT_ISSUED)
        series.setdefault(org_id, []).append(make_series(
            seed, target, reference.indicator_units[indicator["indicator_id"]], indicator["direction"], region,
            org_id, start))

    reporters = sorted(set(plans) | set(series))
    order = sorted(reporters, key=lambda o: rng(seed, "cadence", o).random())
    busy = [o for o in order if WEEKLY_TASKS[0] <= len(plans.get(o, ())) <= WEEKLY_TASKS[1]]
    weekly = set(busy[: round(WEEKLY_SHARE * len(order))])
    droppable = [o for o in order[::-1] if o != STATISTICS_ORG and len(plans.get(o, ())) >= 2]
    stops = {o: date(2016, rng(seed, "stop", o).randint(3, 10), 1) for o in droppable[:DROPOUTS]}
    orgs: dict[str, Org] = {}
    for org_id in reporters:
        r = rng(seed, "org", org_id)
        names = clerk_names(reference, organisations[org_id], aliases.get(org_id, []))
        if not names:
            continue                                      # no name a clerk could write resolves to it
        if len(names) > 1 and r.random() < 0.25:
            names = [names[r.randrange(1, len(names))]] + [n for n in names if n]
            names = list(dict.fromkeys(names))
        cadence = "weekly" if org_id in weekly else "monthly"
        anchor = r.choice((3, 4, 4, 4, 0)) if cadence == "weekly" else r.choice((20, 22, 24, 25, 25, 26, 27, 28))
        roll = r.random()
        if cadence == "weekly":
            file_type, encoding = ("csv", "utf-8-sig") if roll < 0.7 else ("csv", "gb18030") if roll < 0.85 else ("xlsx", None)
        else:
            file_type, encoding = ("xlsx", None) if roll < 0.88 else ("csv", "utf-8-sig") if roll < 0.96 else ("csv", "gb18030")
        orgs[org_id] = Org(org_id, tuple(names), cadence, anchor, file_type, encoding, stops.get(org_id), r.randrange(4))
    return World(orgs, {o: p for o, p in plans.items() if o in orgs}, {o: s for o, s in series.items() if o in orgs},
                 reference, dict(reference.indicator_units))
