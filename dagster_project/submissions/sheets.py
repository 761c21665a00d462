"""The kind validators: one sheet of cell texts → typed good rows and quarantine records, per kind
(任务进展 progress, 指标数据 indicators, 空气质量 air quality).

Each kind parses its cells into typed columns once (one parse per distinct text), runs its declared
rules (:mod:`.rules`) over them in order, and builds its good rows from the rows no rule flagged.
"""
from __future__ import annotations

from datetime import date
from typing import Callable

import numpy as np
import pandas as pd

from .cells import (date_column, map_unique, map_unique_many, numbers, parse_date, parse_index, parse_period,
                    parse_quarter, parse_status)
from .engine import Checks, SheetValidation, Typed, run_rules
from .formats import AIR_QUALITY, INDICATORS, PROGRESS, Sheet, nonblank
from .reference import Reference, lookup_key
from .rules import AIR_QUALITY_RULES, INDICATOR_RULES, PROGRESS_RULES, Rule


def _validate(sheet: Sheet, reference: Reference, today: date, label: str, show_sheet: bool,
              columns: Callable[[Sheet, Reference, date], dict[str, object]], rules: tuple[Rule, ...],
              good: Callable[[Typed, np.ndarray], pd.DataFrame]) -> SheetValidation:
    checks = Checks(sheet, label, today, show_sheet)
    typed = Typed(sheet, reference, today, checks, **columns(sheet, reference, today))
    run_rules(rules, typed)
    return SheetValidation(sheet, good(typed, ~checks.bad), checks.problems(), int(checks.bad.sum()))


def _organisations(sheet: Sheet, reference: Reference, task_ids: pd.Series | None) -> dict[str, pd.Series]:
    """org_id and why not (org_why), resolved per distinct name; ambiguous names narrowed by the row's task."""
    names = sheet.column("reported_by")
    org, code = map_unique_many(names, lambda n: reference.resolve_org(n)[0], lambda n: reference.resolve_org(n)[1])
    if task_ids is not None:
        for position in np.flatnonzero((code == "ambiguous_organization").to_numpy()):
            task = task_ids.iat[position]
            if isinstance(task, str):
                org_id, why = reference.resolve_org(names.iat[position], task)
                org.iat[position], code.iat[position] = org_id, why
    return {"org_id": org, "org_why": code, "reported_by": names}


# --- 任务进展 (progress) -------------------------------------------------------------------------------

def _progress_columns(sheet: Sheet, reference: Reference, today: date) -> dict[str, object]:
    task_id = map_unique(sheet.column("task_id"), lambda t: reference.tasks.get(lookup_key(t)))
    report_date, future = map_unique_many(sheet.column("report_date"), parse_date,
                                          lambda u: (parse_date(u) or today) > today)
    status = map_unique(sheet.column("status"), parse_status)
    percent, _ = numbers(sheet.column("percent_complete"))
    organisations = _organisations(sheet, reference, task_id)
    note = sheet.column("note")
    content = pd.DataFrame({
        "task_id": task_id, "report_date": report_date, "status": status, "percent_complete": percent,
        "note": note, "org_id": organisations["org_id"], "_row": sheet.row_numbers,
    })
    return {"task_id": task_id, "report_date": report_date, "report_date_future": future, "status": status,
            "percent": percent, "note": note, **organisations, "content": content}


def _progress_good(t: Typed, keep: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame({
        "sheet_name": t.sheet.name,
        "row_number": t.sheet.row_numbers[keep].astype("int64").to_numpy(),
        "task_id": t.task_id[keep].to_numpy(dtype=object),
        "report_date": date_column(t.report_date[keep]).to_numpy(),
        "status": t.status[keep].to_numpy(dtype=object),
        "percent_complete": t.percent[keep],
        "note": t.note[keep].where(nonblank(t.note[keep]), None).to_numpy(dtype=object),
        "reported_by": t.reported_by[keep].to_numpy(dtype=object),
        "org_id": t.org_id[keep].to_numpy(dtype=object),
    })


def validate_progress(sheet: Sheet, reference: Reference, today: date, label: str, show_sheet: bool) -> SheetValidation:
    return _validate(sheet, reference, today, label, show_sheet, _progress_columns, PROGRESS_RULES, _progress_good)


# --- 指标数据 (indicators) ----------------------------------------------------------------------------

def _indicator_columns(sheet: Sheet, reference: Reference, today: date) -> dict[str, object]:
    indicator_id = map_unique(sheet.column("indicator_id"), lambda t: reference.indicators.get(lookup_key(t)))
    region = map_unique(sheet.column("region"), lambda r: reference.regions.get(lookup_key(r)))
    period = sheet.column("period")
    start, end, future = map_unique_many(period, lambda u: (parse_period(u) or (None, None))[0],
                                         lambda u: (parse_period(u) or (None, None))[1],
                                         lambda u: (parse_period(u) or (today,))[0] > today)
    value, had_percent = numbers(sheet.column("value"))
    written_unit = sheet.column("unit")
    unit = np.where(~nonblank(written_unit) & had_percent, "%", written_unit.to_numpy(dtype=object))
    unit = pd.Series(unit, dtype=object)
    expected = map_unique(indicator_id, lambda i: reference.indicator_units.get(i, "")).fillna("")
    organisations = _organisations(sheet, reference, None)
    content = pd.DataFrame({
        "indicator_id": indicator_id, "region_code": region, "period_start": start, "period_end": end,
        "value": value, "org_id": organisations["org_id"], "_row": sheet.row_numbers,
    })
    return {"indicator_id": indicator_id, "region": region, "period": period, "period_start": start,
            "period_end": end, "period_future": future, "value": value, "unit": unit, "expected_unit": expected,
            "stored_unit": expected.where(expected != "", unit), **organisations, "content": content}


def _indicator_good(t: Typed, keep: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame({
        "sheet_name": t.sheet.name,
        "row_number": t.sheet.row_numbers[keep].astype("int64").to_numpy(),
        "indicator_id": t.indicator_id[keep].to_numpy(dtype=object),
        "region_code": t.region[keep].to_numpy(dtype=object),
        "period": t.period[keep].to_numpy(dtype=object),
        "period_start": date_column(t.period_start[keep]).to_numpy(),
        "period_end": date_column(t.period_end[keep]).to_numpy(),
        "value": t.value[keep],
        "unit": t.stored_unit[keep].where(t.stored_unit[keep] != "", None).to_numpy(dtype=object),
        "reported_by": t.reported_by[keep].to_numpy(dtype=object),
        "org_id": t.org_id[keep].to_numpy(dtype=object),
    })


def validate_indicators(sheet: Sheet, reference: Reference, today: date, label: str, show_sheet: bool) -> SheetValidation:
    return _validate(sheet, reference, today, label, show_sheet, _indicator_columns, INDICATOR_RULES, _indicator_good)


# --- 空气质量 (air quality) ---------------------------------------------------------------------------

def _air_quality_columns(sheet: Sheet, reference: Reference, today: date) -> dict[str, object]:
    station_id = map_unique(sheet.column("station"), lambda t: reference.stations.get(lookup_key(t)))
    quarter, quarter_end = map_unique_many(sheet.column("quarter"), lambda u: (parse_quarter(u) or (None, None))[0],
                                           lambda u: (parse_quarter(u) or (None, None))[1])
    outcome, index = map_unique_many(sheet.column("composite_index"), lambda u: parse_index(u)[0],
                                     lambda u: parse_index(u)[1])
    organisations = _organisations(sheet, reference, None)
    content = pd.DataFrame({"station_id": station_id, "quarter": quarter,
                            "composite_index": index.map(lambda v: None if v is None else str(v.normalize())),
                            "org_id": organisations["org_id"], "_row": sheet.row_numbers})
    return {"station_id": station_id, "quarter": quarter, "quarter_end": quarter_end, "index_outcome": outcome,
            "index": index, **organisations, "content": content}


def _air_quality_good(t: Typed, keep: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame({
        "sheet_name": t.sheet.name,
        "row_number": t.sheet.row_numbers[keep].astype("int64").to_numpy(),
        "station_id": t.station_id[keep].to_numpy(dtype=object),
        "quarter": t.quarter[keep].to_numpy(dtype=object),
        "quarter_end": date_column(t.quarter_end[keep]).to_numpy(),
        # text of the exact decimal: the loader casts it to decimal(18,4) in DuckDB, no float on the way
        "composite_index": np.array([format(v, "f") for v in t.index[keep]], dtype=object),
        "reported_by": t.reported_by[keep].to_numpy(dtype=object),
        "org_id": t.org_id[keep].to_numpy(dtype=object),
    })


def validate_air_quality(sheet: Sheet, reference: Reference, today: date, label: str,
                         show_sheet: bool) -> SheetValidation:
    """空气质量: 监测站, 季度 (YYYYQn), 综合指数 (> 0, ≤ 4 decimals), 填报单位. One row per station and quarter."""
    return _validate(sheet, reference, today, label, show_sheet, _air_quality_columns, AIR_QUALITY_RULES,
                     _air_quality_good)


VALIDATORS = {PROGRESS: validate_progress, INDICATORS: validate_indicators, AIR_QUALITY: validate_air_quality}
