"""generate_demo_submissions: the files the departments would have sent, plus a few broken ones on purpose."""
from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

from ..submissions.formats import CHINESE_HEADERS, INDICATORS, PROGRESS, SHEET_TITLES
from .air_quality import ORG_ID as AQ_ORG_ID, REPORTED_BY as AQ_REPORTED_BY, air_quality_files
from .air_quality import write_file as write_air_quality_file
from .model import (IN_PROGRESS, NOT_STARTED, STATUS_TEXT, Org, World, build_world, note_for,
                    report_days, rng)
from .writers import SheetData, csv_bytes, xlsx_bytes

PROGRESS_HEADERS = [CHINESE_HEADERS[f] for f in ("task_id", "report_date", "status", "percent_complete", "note",
                                                 "reported_by")]
INDICATOR_HEADERS = [CHINESE_HEADERS[f] for f in ("indicator_id", "region", "period", "value", "unit", "reported_by")]
FORMULA_NOTES = ("=SUM(A1)", "+86 0316-2223456 联系人：王科长", "-nothing", "@张科长 请审核")
MONTHLY_SKIP = 0.08                            # chance that a monthly reporter misses a month
WRONG_UNITS = {"亿元": "万元", "万元": "元", "%": "‰", "个": "项", "家": "个", "次": "回", "项": "个", "人": "人次",
               "名": "人", "所": "个", "万人": "人", "万亩": "亩", "小时": "分钟", "天": "日"}


@dataclass
class ProgressRow:
    task_id: str
    day: date
    status: str
    percent: int
    note: str
    reported_by: str


@dataclass
class IndicatorRow:
    indicator_id: str
    region: str
    period: str
    value: float
    unit: str
    reported_by: str


@dataclass
class _Spec:
    """One file before it is written."""

    org: Org
    day: date                                 # the report day (填报日期)
    prev_day: date | None                     # the organisation's previous report day
    received: date
    name: str
    file_type: str
    encoding: str | None
    progress: list[ProgressRow] = field(default_factory=list)
    indicators: list[IndicatorRow] = field(default_factory=list)
    planted: str | None = None
    drop_header: str | None = None            # a required column the clerk deleted
    copy_of: "_Spec | None" = None            # an exact resend of another file

    @property
    def title_row(self) -> str | None:
        return f"{self.org.names[-1]}重点任务落实情况报送表（{self.day.year}年{self.day.month}月）" \
            if self.file_type == "xlsx" and self.org.style == 2 else None


@dataclass(frozen=True)
class DemoFile:
    """One generated file, as the manifest lists it."""

    name: str
    path: Path
    received_on: date
    org_id: str
    reported_by: str
    file_type: str                            # xlsx | csv
    encoding: str | None                      # utf-8-sig | gb18030 | gbk (csv only)
    progress_rows: int
    indicator_rows: int
    planted: str | None = None                # the key of the planted problem it carries, if any
    air_quality_rows: int = 0                 # rows of a 空气质量 sheet (市环保局's quarterly readings)


@dataclass(frozen=True)
class PlantedProblem:
    """A deliberately broken (or tricky) file and what the loader should make of it."""

    key: str
    file_name: str
    why: str
    expected_status: str                      # accepted | partially_accepted | rejected | already_loaded
    reason_codes: tuple[str, ...] = ()        # expected raw.quarantined_rows.reason_code values
    rows: tuple[int, ...] = ()                # Excel row numbers of the affected rows
    sheet: str | None = None
    related_file: str | None = None           # the earlier file it resends / corrects / replaces
    detail: dict[str, str] = field(default_factory=dict)


@dataclass
class DemoManifest:
    out_dir: Path
    start: date
    end: date
    seed: int
    files: list[DemoFile]                     # sorted by received_on, then name
    planted: list[PlantedProblem]

    @property
    def paths(self) -> list[Path]:
        return [f.path for f in self.files]

    @property
    def progress_rows(self) -> int:
        return sum(f.progress_rows for f in self.files)

    @property
    def indicator_rows(self) -> int:
        return sum(f.indicator_rows for f in self.files)

    @property
    def air_quality_rows(self) -> int:
        return sum(f.air_quality_rows for f in self.files)

    def planted_problem(self, key: str) -> PlantedProblem:
        return next(p for p in self.planted if p.key == key)

    def file(self, name: str) -> DemoFile:
        return next(f for f in self.files if f.name == name)

    def to_json(self) -> str:
        def plain(value: object) -> object:
            if isinstance(value, (date, Path)):
                return str(value)
            raise TypeError(type(value))
        return json.dumps({"start": self.start, "end": self.end, "seed": self.seed,
                           "files": [asdict(f) for f in self.files], "planted": [asdict(p) for p in self.planted]},
                          ensure_ascii=False, indent=1, default=plain)


# --- building the specs -----------------------------------------------------------------------------

def _safe(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]', "", text)


def _file_name(org: Org, day: date, kind: str, extension: str) -> str:
    short = _safe(org.names[0])
    word = "任务进展" if kind == PROGRESS else "指标数据"
    if org.style == 0:
        return f"{short}_{word}_{day:%Y%m%d}.{extension}"
    if org.style == 1:
        period = f"周报{day:%Y.%m.%d}" if org.cadence == "weekly" else f"{day.year}年{day.month}月报({day:%m%d})"
        return f"{short}{word}{period}.{extension}"
    if org.style == 2:
        return f"{day:%Y-%m-%d}{short}{word}报送.{extension}"
    return f"关于报送{day.month}月份{word}的报告（{short}）{day:%m%d}.{extension}"


def _specs(world: World, start: date, end: date, seed: int) -> list[_Spec]:
    specs: list[_Spec] = []
    for org_id in sorted(world.orgs):
        org = world.orgs[org_id]
        plans = world.plans.get(org_id, [])
        series = world.series.get(org_id, [])
        previous: date | None = None
        for day in report_days(org.cadence, org.anchor, start, end):
            if org.stop is not None and day >= org.stop:
                break
            r = rng(seed, "file", org_id, day.isoformat())
            if org.cadence == "monthly" and previous is not None and r.random() < MONTHLY_SKIP:
                continue                          # the clerk missed this month; next month's file catches up
            name = org.names[1] if len(org.names) > 1 and r.random() < 0.1 else org.names[0]
            progress = []
            for plan in plans:
                if plan.listed(day):
                    status, percent = plan.state(day)
                    note = "" if r.random() < 0.12 else note_for(seed, plan, status, day)
                    progress.append(ProgressRow(plan.task_id, day, status, percent, note, name))
            indicators = [IndicatorRow(s.indicator_id, s.region, text, s.value(period_end), s.unit, name)
                          for s in series for text, period_end in s.periods_ending(previous, day)]
            prev_day, previous = previous, day
            lag = r.choices((0, 1, 2, 3), (0.75, 0.15, 0.06, 0.04))[0]
            received = day + timedelta(days=lag)
            if day < start or received > end or not (progress or indicators):
                continue
            if org.file_type == "xlsx":
                kind = PROGRESS if progress else INDICATORS
                specs.append(_Spec(org, day, prev_day, received, _file_name(org, day, kind, "xlsx"), "xlsx",
                                   None, progress, indicators))
                continue
            for kind, rows in ((PROGRESS, progress), (INDICATORS, indicators)):
                if rows:
                    spec = _Spec(org, day, prev_day, received, _file_name(org, day, kind, "csv"), "csv", org.encoding)
                    (spec.progress if kind == PROGRESS else spec.indicators).extend(rows)
                    specs.append(spec)
    return specs


# --- rendering --------------------------------------------------------------------------------------

def _date_cell(org: Org, day: date, file_type: str) -> object:
    if org.style == 1:
        return f"{day.year}/{day.month}/{day.day}"
    if org.style == 2:
        return f"{day.year}年{day.month}月{day.day}日"
    return day if file_type == "xlsx" else day.isoformat()


def _percent_cell(org: Org, row: ProgressRow, file_type: str) -> object:
    if row.status == NOT_STARTED and org.style == 1:
        return None
    if org.style == 1:
        return row.percent / 100 if file_type == "xlsx" else f"{row.percent}%"
    return row.percent


def _value_cell(value: float, file_type: str) -> object:
    if value == int(value):
        value = int(value)
    return value if file_type == "xlsx" else str(value)


def _progress_cells(spec: _Spec) -> list[list[object]]:
    return [[row.task_id, _date_cell(spec.org, row.day, spec.file_type), STATUS_TEXT[row.status],
             _percent_cell(spec.org, row, spec.file_type), row.note, row.reported_by] for row in spec.progress]


def _indicator_cells(spec: _Spec) -> list[list[object]]:
    return [[row.indicator_id, row.region, row.period, _value_cell(row.value, spec.file_type), row.unit,
             row.reported_by] for row in spec.indicators]


def _drop(headers: list[str], rows: list[list[object]], header: str | None) -> tuple[list[str], list[list[object]]]:
    if header is None or header not in headers:
        return headers, rows
    position = headers.index(header)
    return ([h for i, h in enumerate(headers) if i != position],
            [[v for i, v in enumerate(row) if i != position] for row in rows])


def _render(spec: _Spec) -> bytes:
    stamp = datetime.combine(spec.day, time(9, 30))
    if spec.file_type == "xlsx":
        sheets = []
        if spec.progress:
            headers, rows = _drop(PROGRESS_HEADERS, _progress_cells(spec), spec.drop_header)
            formats = {}
            if spec.org.style in (0, 3) and spec.drop_header != PROGRESS_HEADERS[1]:
                formats[1] = "yyyy-mm-dd"
            if spec.org.style == 1:
                formats[headers.index(PROGRESS_HEADERS[3])] = "0%"
            sheets.append(SheetData(SHEET_TITLES[PROGRESS], headers, rows, formats, spec.title_row))
        if spec.indicators:
            sheets.append(SheetData(SHEET_TITLES[INDICATORS], INDICATOR_HEADERS, _indicator_cells(spec), {},
                                    spec.title_row))
        return xlsx_bytes(sheets, stamp)
    if spec.progress:
        headers, rows = _drop(PROGRESS_HEADERS, _progress_cells(spec), spec.drop_header)
    else:
        headers, rows = INDICATOR_HEADERS, _indicator_cells(spec)
    return csv_bytes(headers, rows, spec.encoding or "utf-8-sig")


def _first_row(spec: _Spec) -> int:
    """The Excel row number of the first data row."""
    return 3 if spec.title_row else 2


# --- planting the broken files ----------------------------------------------------------------------

class _Planter:
    def __init__(self, specs: list[_Spec], world: World, seed: int, end: date) -> None:
        self.specs = specs
        self.world = world
        self.seed = seed
        self.end = end
        self.used: set[int] = set()
        self.problems: list[tuple[PlantedProblem, _Spec, _Spec | None]] = []

    def pick(self, fraction: float, test) -> _Spec | None:
        candidates = [s for s in self.specs if id(s) not in self.used and s.copy_of is None and s.planted is None
                      and test(s)]
        if not candidates:
            return None
        spec = candidates[min(len(candidates) - 1, int(fraction * len(candidates)))]
        self.used.add(id(spec))
        return spec

    def later(self, day: date, days: int) -> date:
        return min(self.end, day + timedelta(days=days))

    def add(self, spec: _Spec) -> None:
        self.used.add(id(spec))
        self.specs.append(spec)

    def record(self, spec: _Spec, related: _Spec | None = None, **problem: object) -> None:
        self.problems.append((PlantedProblem(file_name=spec.name, **problem), spec, related))

    # each plant ---------------------------------------------------------------------------------
    def resent_duplicate(self) -> None:
        base = self.pick(0.2, lambda s: len(s.progress) >= 2)
        if base is None:
            return
        stem, extension = base.name.rsplit(".", 1)
        copy = replace(base, name=f"{stem}(1).{extension}", received=self.later(base.received, 3), copy_of=base,
                       planted="resent_duplicate")
        self.add(copy)
        self.record(copy, base, key=
            "resent_duplicate", why="the same file sent again under another name (same bytes): it must load once",
            expected_status="already_loaded")

    def missing_column(self) -> None:
        base = self.pick(0.3, lambda s: len(s.progress) >= 2)
        if base is None:
            return
        stem, extension = base.name.rsplit(".", 1)
        broken = replace(base, progress=list(base.progress), indicators=[], drop_header=CHINESE_HEADERS["status"],
                         planted="missing_column", copy_of=None)
        base.name = f"{stem}(修改后).{extension}"             # the clerk resends it fixed the same day
        self.add(broken)
        self.record(broken, base, key=
            "missing_column", why="the 状态 column was deleted: the whole file is rejected (the fixed file "
            "was resent the same day)", expected_status="rejected", reason_codes=("missing_columns",))

    def unknown_tasks(self) -> None:
        spec = self.pick(0.4, lambda s: len(s.progress) >= 4)
        if spec is None:
            return
        rows = []
        for position in (1, len(spec.progress) - 1):
            row = spec.progress[position]
            typo = re.sub(r"-0(\d\d)-", r"-\1-", row.task_id, count=1)
            if typo == row.task_id or typo.lower() in self.world.reference.tasks:
                typo = row.task_id[:-3] + "9" + row.task_id[-2:]
            if typo.lower() in self.world.reference.tasks:
                typo = row.task_id + "0"
            row.task_id = typo
            rows.append(_first_row(spec) + position)
        spec.planted = "unknown_tasks"
        self.record(spec, key=
            "unknown_tasks", why="two task ids mistyped among good rows: those rows are quarantined, the rest load",
            expected_status="partially_accepted", reason_codes=("unknown_task",), rows=tuple(rows),
            sheet=SHEET_TITLES[PROGRESS])

    def gbk_csv(self) -> None:
        def encodable(s: _Spec) -> bool:
            try:
                _render(replace(s, encoding="gbk"))
                return True
            except UnicodeEncodeError:
                return False
        spec = self.pick(0.45, lambda s: s.file_type == "csv" and s.encoding == "utf-8-sig" and encodable(s))
        if spec is None:
            return
        spec.encoding, spec.planted = "gbk", "gbk_csv"
        self.record(spec, key="gbk_csv", why="a CSV saved by Chinese Excel in GBK, otherwise good: it must load "
                    "completely", expected_status="accepted")

    def correction(self) -> None:
        def transition(s: _Spec) -> ProgressRow | None:
            plans = {p.task_id: p for p in self.world.plans.get(s.org.org_id, [])}
            for row in s.progress:
                plan = plans[row.task_id]
                if s.prev_day is not None and s.prev_day >= plan.start and plan.state(s.prev_day)[0] != row.status:
                    return row
            return None
        spec = self.pick(0.5, lambda s: s.received < self.end and transition(s) is not None)
        if spec is None:
            return
        row = transition(spec)
        plan = next(p for p in self.world.plans[spec.org.org_id] if p.task_id == row.task_id)
        truth = ProgressRow(row.task_id, row.day, row.status, row.percent, "更正：" + (row.note or "上次报送状态有误"),
                            row.reported_by)
        row.status, row.percent = plan.state(spec.prev_day)   # the clerk copied last period's line unchanged
        spec.planted = "correction_source"
        fix = _Spec(spec.org, spec.day, spec.prev_day, self.later(spec.received, 4),
                    f"更正_{spec.name.rsplit('.', 1)[0]}.csv", "csv", "utf-8-sig", [truth], planted="correction")
        self.add(fix)
        self.record(fix, spec, key=
            "correction", why=f"re-reports {row.task_id} on {row.day} as {STATUS_TEXT[truth.status]} (the earlier "
            f"file said {STATUS_TEXT[row.status]}): the later row supersedes", expected_status="accepted", rows=(2,),
            sheet=SHEET_TITLES[PROGRESS],
            detail={"task_id": row.task_id, "report_date": row.day.isoformat(), "org_id": spec.org.org_id,
                    "old_status": row.status, "new_status": truth.status})

    def formula_notes(self, file_type: str, notes: tuple[str, ...], fraction: float) -> None:
        spec = self.pick(fraction, lambda s: s.file_type == file_type and len(s.progress) >= len(notes))
        if spec is None:
            return
        for row, note in zip(spec.progress, notes):
            row.note = note
        key = f"formula_notes_{file_type}"
        spec.planted = key
        self.record(spec, key=key, why="进展说明 cells that look like formulas (" + " | ".join(notes) + "): kept as text",
            expected_status="accepted", rows=tuple(range(_first_row(spec), _first_row(spec) + len(notes))), sheet=SHEET_TITLES[PROGRESS],
            detail={"notes": json.dumps(list(notes), ensure_ascii=False)})

    def percent_120(self) -> None:
        spec = self.pick(0.65, lambda s: len(s.progress) >= 2 and any(r.status == IN_PROGRESS for r in s.progress))
        if spec is None:
            return
        position = next(i for i, r in enumerate(spec.progress) if r.status == IN_PROGRESS)
        spec.progress[position].percent = 120
        spec.planted = "percent_120"
        self.record(spec, key="percent_120", why="完成进度 120: the row is quarantined",
                    expected_status="partially_accepted", reason_codes=("percent_out_of_range",),
                    rows=(_first_row(spec) + position,), sheet=SHEET_TITLES[PROGRESS])

    def future_date(self) -> None:
        spec = self.pick(0.7, lambda s: len(s.progress) >= 2)
        if spec is None:
            return
        row = spec.progress[-1]
        year = str(row.day.year)
        row.day = row.day.replace(year=int(year[:2] + year[3] + year[2]))        # 2015 → 2051: digits swapped
        spec.planted = "future_date"
        self.record(spec, key="future_date", why=f"填报日期 typed as {row.day}: the row is quarantined",
                    expected_status="partially_accepted", reason_codes=("future_date",),
                    rows=(_first_row(spec) + len(spec.progress) - 1,), sheet=SHEET_TITLES[PROGRESS])

    def wrong_unit(self) -> None:
        spec = self.pick(0.75, lambda s: len(s.progress) + len(s.indicators) >= 2
                         and any(r.unit for r in s.indicators))
        if spec is None:
            return
        position = next(i for i, r in enumerate(spec.indicators) if r.unit)
        row = spec.indicators[position]
        wrong = WRONG_UNITS.get(row.unit, "个" if row.unit != "个" else "项")
        detail = {"indicator_id": row.indicator_id, "expected": row.unit, "written": wrong}
        row.unit = wrong
        spec.planted = "wrong_unit"
        self.record(spec, key="wrong_unit", why=f"单位 {wrong} instead of {detail['expected']}: the row is quarantined",
                    expected_status="partially_accepted", reason_codes=("unit_mismatch",),
                    rows=(_first_row(spec) + position,), sheet=SHEET_TITLES[INDICATORS], detail=detail)


def generate_demo_submissions(seeds_dir: Path, out_dir: Path, start: date = date(2015, 7, 1),
                              end: date = date(2016, 12, 31), seed: int = 20151231) -> DemoManifest:
    """Write the departments' submissions received from ``start`` to ``end`` into ``out_dir``.

    Deterministic: the same seeds, window and seed give byte-identical files (and the same manifest).
    The simulated world does not depend on the window, so a shorter window is a slice of a longer one
    (except for the planted files, which are placed inside whatever window is asked for).
    """
    if end < start:
        raise ValueError(f"end {end} is before start {start}")
    world = build_world(Path(seeds_dir), seed)
    specs = _specs(world, start, end, seed)
    specs.sort(key=lambda s: (s.received, s.name))
    planter = _Planter(specs, world, seed, end)
    planter.resent_duplicate()
    planter.missing_column()
    planter.unknown_tasks()
    planter.gbk_csv()
    planter.correction()
    planter.formula_notes("xlsx", FORMULA_NOTES, 0.55)
    planter.formula_notes("csv", FORMULA_NOTES[:2], 0.6)
    planter.percent_120()
    planter.future_date()
    planter.wrong_unit()

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    taken: set[str] = set()
    for spec in sorted(specs, key=lambda s: (s.received, s.copy_of is not None, s.name)):
        stem, extension = spec.name.rsplit(".", 1)
        n = 2
        while spec.name in taken:
            spec.name = f"{stem}({n}).{extension}"
            n += 1
        taken.add(spec.name)
    rendered: dict[int, bytes] = {}
    files: list[DemoFile] = []
    for spec in sorted(specs, key=lambda s: (s.copy_of is not None, s.received, s.name)):
        data = rendered[id(spec.copy_of)] if spec.copy_of is not None else _render(spec)
        rendered[id(spec)] = data
        path = out_dir / spec.name
        path.write_bytes(data)
        moment = datetime.combine(spec.received, time(17, 0)).timestamp()
        os.utime(path, (moment, moment))
        reported = spec.progress[0].reported_by if spec.progress else spec.indicators[0].reported_by
        files.append(DemoFile(spec.name, path, spec.received, spec.org.org_id, reported, spec.file_type,
                              spec.encoding if spec.file_type == "csv" else None, len(spec.progress),
                              len(spec.indicators), spec.planted))
    for aq_file in air_quality_files(Path(seeds_dir), start, end, seed):
        path = write_air_quality_file(aq_file, out_dir)
        files.append(DemoFile(aq_file.name, path, aq_file.received, AQ_ORG_ID, AQ_REPORTED_BY, "xlsx", None, 0, 0,
                              None, len(aq_file.rows)))
    files.sort(key=lambda f: (f.received_on, f.name))
    planted = [replace(p, file_name=spec.name, related_file=related.name if related else None)
               for p, spec, related in planter.problems]
    return DemoManifest(out_dir, start, end, seed, files, planted)
