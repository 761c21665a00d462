"""The kind validators: one sheet of cell texts → typed good rows and quarantine records, per kind
(任务进展 progress, 指标数据 indicators, 空气质量 air quality).
"""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from .cells import (date_column, flags, map_unique, map_unique_many, numbers, parse_date, parse_index, parse_period,
                    parse_quarter, parse_status, unit_matches)
from .engine import Checks, SheetValidation, _assigned, _duplicates, _formula, _long_cells, _required
from .formats import AIR_QUALITY, INDICATORS, PROGRESS, Sheet, nonblank
from .reference import Reference, lookup_key


def _dates(checks: Checks, sheet: Sheet, name: str, today: date) -> pd.Series:
    column = _required(checks, sheet, name)
    parsed, future = map_unique_many(column, parse_date, lambda u: (parse_date(u) or today) > today)
    failing = parsed.isna().to_numpy()
    _formula(checks, column, name, failing)
    checks.flag(failing, name, "invalid_date")
    checks.flag(future.to_numpy(dtype=bool), name, "future_date")
    return parsed


def _organisations(checks: Checks, sheet: Sheet, reference: Reference,
                   task_ids: pd.Series | None) -> tuple[pd.Series, pd.Series]:
    """(org_id, reported_by) — resolved per distinct name; ambiguous names narrowed by the row's task."""
    names = _required(checks, sheet, "reported_by")
    org, code = map_unique_many(names, lambda n: reference.resolve_org(n)[0], lambda n: reference.resolve_org(n)[1])
    if task_ids is not None:
        for position in np.flatnonzero((code == "ambiguous_organization").to_numpy()):
            task = task_ids.iat[position]
            if isinstance(task, str):
                org_id, why = reference.resolve_org(names.iat[position], task)
                org.iat[position], code.iat[position] = org_id, why
    for reason in ("unknown_organization", "ambiguous_organization"):
        checks.flag((code == reason).to_numpy(), "reported_by", reason)
    return org, names



# --- the two kinds of sheet -------------------------------------------------------------------------

def validate_progress(sheet: Sheet, reference: Reference, today: date, label: str, show_sheet: bool) -> SheetValidation:
    checks = Checks(sheet, label, today, show_sheet)
    _long_cells(checks, sheet)
    raw_task = _required(checks, sheet, "task_id")
    task_id = map_unique(raw_task, lambda t: reference.tasks.get(lookup_key(t)))
    checks.flag(task_id.isna().to_numpy(), "task_id", "unknown_task")

    report_date = _dates(checks, sheet, "report_date", today)

    raw_status = _required(checks, sheet, "status")
    status = map_unique(raw_status, parse_status)
    checks.flag(status.isna().to_numpy(), "status", "invalid_status")

    raw_percent = sheet.column("percent_complete")
    percent, _ = numbers(raw_percent)
    failing = np.isnan(percent) & nonblank(raw_percent)
    _formula(checks, raw_percent, "percent_complete", failing)
    checks.flag(failing, "percent_complete", "invalid_percent")
    checks.flag((percent < 0) | (percent > 100), "percent_complete", "percent_out_of_range")

    org_id, reported_by = _organisations(checks, sheet, reference, task_id)
    both = (task_id.notna() & org_id.notna()).to_numpy() & checks.ok("task_id") & checks.ok("reported_by")
    assigned = _assigned(reference, task_id.to_numpy(dtype=object), org_id.to_numpy(dtype=object), both)
    checks.flag(~assigned, "reported_by", "organization_not_assigned",
                task_id=task_id.to_numpy(dtype=object))

    note = sheet.column("note")
    typed = pd.DataFrame({
        "task_id": task_id, "report_date": report_date, "status": status, "percent_complete": percent,
        "note": note, "org_id": org_id, "_row": sheet.row_numbers,
    })
    _duplicates(checks, typed, ["task_id", "report_date", "org_id"], "任务编号、填报日期和填报单位")

    keep = ~checks.bad
    good = pd.DataFrame({
        "sheet_name": sheet.name,
        "row_number": sheet.row_numbers[keep].astype("int64").to_numpy(),
        "task_id": task_id[keep].to_numpy(dtype=object),
        "report_date": date_column(report_date[keep]).to_numpy(),
        "status": status[keep].to_numpy(dtype=object),
        "percent_complete": percent[keep],
        "note": note[keep].where(nonblank(note[keep]), None).to_numpy(dtype=object),
        "reported_by": reported_by[keep].to_numpy(dtype=object),
        "org_id": org_id[keep].to_numpy(dtype=object),
    })
    return SheetValidation(sheet, good, checks.problems(), int(checks.bad.sum()))


def validate_indicators(sheet: Sheet, reference: Reference, today: date, label: str, show_sheet: bool) -> SheetValidation:
    checks = Checks(sheet, label, today, show_sheet)
    _long_cells(checks, sheet)
    raw_indicator = _required(checks, sheet, "indicator_id")
    indicator_id = map_unique(raw_indicator, lambda t: reference.indicators.get(lookup_key(t)))
    checks.flag(indicator_id.isna().to_numpy(), "indicator_id", "unknown_indicator")

    raw_region = _required(checks, sheet, "region")
    region = map_unique(raw_region, lambda r: reference.regions.get(lookup_key(r)))
    checks.flag(region.isna().to_numpy(), "region", "unknown_region")

    raw_period = _required(checks, sheet, "period")
    start, end, future = map_unique_many(raw_period, lambda u: (parse_period(u) or (None, None))[0],
                                          lambda u: (parse_period(u) or (None, None))[1],
                                          lambda u: (parse_period(u) or (today,))[0] > today)
    failing = start.isna().to_numpy()
    _formula(checks, raw_period, "period", failing)
    checks.flag(failing, "period", "invalid_period")
    checks.flag(future.to_numpy(dtype=bool), "period", "future_date", message_code="future_period")

    raw_value = _required(checks, sheet, "value")
    value, had_percent = numbers(raw_value)
    _formula(checks, raw_value, "value", np.isnan(value))
    checks.flag(np.isnan(value), "value", "non_numeric_value")

    written_unit = sheet.column("unit")
    unit = np.where(~nonblank(written_unit) & had_percent, "%", written_unit.to_numpy(dtype=object))
    unit = pd.Series(unit, dtype=object)
    expected = map_unique(indicator_id, lambda i: reference.indicator_units.get(i, "")).fillna("")
    pair = pd.Series(unit.astype(str) + "\x1f" + expected.astype(str), dtype=object)
    matches = flags(pair, unit_matches)
    checks.flag(~matches & indicator_id.notna().to_numpy(), "unit", "unit_mismatch",
                indicator_id=indicator_id.to_numpy(dtype=object), expected=expected.to_numpy(dtype=object))
    stored_unit = expected.where(expected != "", unit)

    org_id, reported_by = _organisations(checks, sheet, reference, None)

    typed = pd.DataFrame({
        "indicator_id": indicator_id, "region_code": region, "period_start": start, "period_end": end,
        "value": value, "org_id": org_id, "_row": sheet.row_numbers,
    })
    _duplicates(checks, typed, ["indicator_id", "region_code", "period_start", "period_end", "org_id"],
                "指标编号、地区、统计期和填报单位")

    keep = ~checks.bad
    good = pd.DataFrame({
        "sheet_name": sheet.name,
        "row_number": sheet.row_numbers[keep].astype("int64").to_numpy(),
        "indicator_id": indicator_id[keep].to_numpy(dtype=object),
        "region_code": region[keep].to_numpy(dtype=object),
        "period": raw_period[keep].to_numpy(dtype=object),
        "period_start": date_column(start[keep]).to_numpy(),
        "period_end": date_column(end[keep]).to_numpy(),
        "value": value[keep],
        "unit": stored_unit[keep].where(stored_unit[keep] != "", None).to_numpy(dtype=object),
        "reported_by": reported_by[keep].to_numpy(dtype=object),
        "org_id": org_id[keep].to_numpy(dtype=object),
    })
    return SheetValidation(sheet, good, checks.problems(), int(checks.bad.sum()))



def validate_air_quality(sheet: Sheet, reference: Reference, today: date, label: str,
                         show_sheet: bool) -> SheetValidation:
    """空气质量: 监测站, 季度 (YYYYQn), 综合指数 (> 0, ≤ 4 decimals), 填报单位. One row per station and quarter."""
    checks = Checks(sheet, label, today, show_sheet)
    _long_cells(checks, sheet)
    raw_station = _required(checks, sheet, "station")
    station_id = map_unique(raw_station, lambda t: reference.stations.get(lookup_key(t)))
    checks.flag(station_id.isna().to_numpy(), "station", "unknown_station")

    raw_quarter = _required(checks, sheet, "quarter")
    quarter, quarter_end = map_unique_many(raw_quarter, lambda u: (parse_quarter(u) or (None, None))[0],
                                            lambda u: (parse_quarter(u) or (None, None))[1])
    failing = quarter.isna().to_numpy()
    _formula(checks, raw_quarter, "quarter", failing)
    checks.flag(failing, "quarter", "invalid_quarter")
    not_ended = np.array([isinstance(end, date) and end > today for end in quarter_end], dtype=bool)
    checks.flag(not_ended, "quarter", "quarter_not_ended")

    raw_index = _required(checks, sheet, "composite_index")
    outcome, index = map_unique_many(raw_index, lambda u: parse_index(u)[0], lambda u: parse_index(u)[1])
    non_numeric = (outcome == "non_numeric").to_numpy()
    _formula(checks, raw_index, "composite_index", non_numeric)
    checks.flag(non_numeric, "composite_index", "non_numeric_value", message_code="non_numeric_index")
    checks.flag((outcome == "range").to_numpy(), "composite_index", "index_out_of_range")
    checks.flag((outcome == "decimals").to_numpy(), "composite_index", "too_many_decimals")

    org_id, reported_by = _organisations(checks, sheet, reference, None)

    typed = pd.DataFrame({"station_id": station_id, "quarter": quarter,
                          "composite_index": index.map(lambda v: None if v is None else str(v.normalize())),
                          "org_id": org_id, "_row": sheet.row_numbers})
    _duplicates(checks, typed, ["station_id", "quarter"], "监测站和季度")

    keep = ~checks.bad
    good = pd.DataFrame({
        "sheet_name": sheet.name,
        "row_number": sheet.row_numbers[keep].astype("int64").to_numpy(),
        "station_id": station_id[keep].to_numpy(dtype=object),
        "quarter": quarter[keep].to_numpy(dtype=object),
        "quarter_end": date_column(quarter_end[keep]).to_numpy(),
        # text of the exact decimal: the loader casts it to decimal(18,4) in DuckDB, no float on the way
        "composite_index": np.array([format(v, "f") for v in index[keep]], dtype=object),
        "reported_by": reported_by[keep].to_numpy(dtype=object),
        "org_id": org_id[keep].to_numpy(dtype=object),
    })
    return SheetValidation(sheet, good, checks.problems(), int(checks.bad.sum()))


VALIDATORS = {PROGRESS: validate_progress, INDICATORS: validate_indicators, AIR_QUALITY: validate_air_quality}

