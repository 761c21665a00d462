"""Demo air-quality readings: what 市环保局 would send each quarter for the reward and penalty engine.

Why a module: 〔2015〕126号 ranks the units every quarter on their stations' quarterly composite index and
its change on a year earlier, so the demo needs every station's value from 2014Q3 (the year before the
first evaluated quarter, 2015Q3) through 2016Q4. One ``空气质量`` workbook per quarter, from 市环保局,
about ten days after the quarter ends; quarters that ended before the demo window are sent together on
its first day (the office collects the back data when it starts). One later correction file restates a
station's value, to show that the file received last wins.

Values are plausible, not real: a station level (the southern counties dirtier, the development zone
cleaner), a season (winter about 1.5 times summer), a yearly improvement of about 8 % and noise, so
that some units get better and some worse from one year to the next. Two decimals, as published.
Deterministic: ``rng(seed, "air_quality", station, quarter)``.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from ..submissions.formats import AIR_QUALITY, CHINESE_HEADERS, SHEET_TITLES
from .model import _working_day, read_seed, rng
from .writers import SheetData, xlsx_bytes

ORG_ID = "lf-environment"
REPORTED_BY = "市环保局"
FIRST_QUARTER = (2014, 3)
LAST_QUARTER = (2016, 4)
LAG_DAYS = 10
HEADERS = [CHINESE_HEADERS[f] for f in ("station", "quarter", "composite_index", "reported_by")]
SEASON = {1: 1.35, 2: 0.95, 3: 0.75, 4: 1.3}
# relative level of a unit's air (1.0 = the city average); 〔2015〕144号's southern group is dirtier
LEVEL = {"131002": 1.0, "131003": 1.02, "131071": 0.93, "131082": 0.97, "131028": 0.95, "131024": 0.99,
         "131022": 1.04, "131023": 1.03, "131081": 1.08, "131026": 1.1, "131025": 1.12}
BASE_INDEX = 9.6                                # a 2014 city quarter at season 1.0
YEARLY_IMPROVEMENT = 0.08
CORRECTION = ("2015Q4", 0.12, 20)               # quarter, change of one station's value, days after the original


@dataclass(frozen=True)
class AirQualityFile:
    name: str
    received: date
    rows: list[list[object]]                    # 监测站, 季度, 综合指数, 填报单位


def quarters(first: tuple[int, int] = FIRST_QUARTER, last: tuple[int, int] = LAST_QUARTER) -> list[tuple[int, int]]:
    out, (year, quarter) = [], first
    while (year, quarter) <= last:
        out.append((year, quarter))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return out


def quarter_end(year: int, quarter: int) -> date:
    return (date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)) - timedelta(days=1)


def reading(seed: int, station_id: str, region_code: str, year: int, quarter: int) -> float:
    """The station's quarterly composite index, two decimals."""
    r = rng(seed, "air_quality", station_id, f"{year}Q{quarter}")
    years = year - 2014 + (quarter - 1) / 4
    value = BASE_INDEX * LEVEL.get(region_code, 1.0) * SEASON[quarter] * (1 - YEARLY_IMPROVEMENT) ** years
    return round(value * r.uniform(0.88, 1.12), 2)


def air_quality_files(seeds_dir: Path, start: date, end: date, seed: int) -> list[AirQualityFile]:
    """The quarterly files received from ``start`` to ``end`` (none if the stations seed is missing)."""
    if not (Path(seeds_dir) / "air_quality_stations.csv").exists():
        return []
    stations = sorted(read_seed(Path(seeds_dir), "air_quality_stations"), key=lambda s: s["station_id"])
    files: list[AirQualityFile] = []
    for year, quarter in quarters():
        last_day = quarter_end(year, quarter)
        if last_day > end:
            continue
        received = min(_working_day(max(last_day + timedelta(days=LAG_DAYS), start)), end)
        label = f"{year}Q{quarter}"
        rows = [[s["name"], label, reading(seed, s["station_id"], s["region_code"], year, quarter), REPORTED_BY]
                for s in stations]
        files.append(AirQualityFile(f"市环保局_空气质量_{label}.xlsx", received, rows))
        if label == CORRECTION[0]:
            r = rng(seed, "air_quality", "correction", label)
            row = list(rows[r.randrange(len(rows))])
            row[2] = round(float(row[2]) + CORRECTION[1], 2)
            fixed = min(received + timedelta(days=CORRECTION[2]), end)
            files.append(AirQualityFile(f"市环保局_空气质量_{label}_更正.xlsx", fixed, [row]))
    return files


def write_file(file: AirQualityFile, out_dir: Path) -> Path:
    """Write the workbook (reproducible bytes) with its mtime at 17:00 of the day received."""
    stamp = datetime.combine(file.received, time(9, 30))
    data = xlsx_bytes([SheetData(SHEET_TITLES[AIR_QUALITY], HEADERS, file.rows, {2: "0.00"})], stamp)
    path = Path(out_dir) / file.name
    path.write_bytes(data)
    moment = datetime.combine(file.received, time(17, 0)).timestamp()
    os.utime(path, (moment, moment))
    return path
