"""The air-quality reward and penalty rules (〔2015〕126号 and its amendment 〔2015〕144号) as seed parameters.

Why a module of its own: every quarter the city ranks its 11 units on air quality and moves money
between them. The warehouse computes that in dbt from two seeds this module reads out of the text:

- ``air_quality_stations``: the monitoring stations whose quarterly composite index stands for a unit
  (126号 第三条: four national stations for the three districts, 广阳区 = the mean of two; 第四条: one
  provincial station per county). The text names the national stations; it does not name the eight
  provincial ones, so they are called ``<county full name>省控站`` and cite 第四条's line.
- ``air_quality_rules``: one row per rule version and ranking group with every parameter the engine
  needs (first quarter in force, members, points, reward and penalty places and amounts, the 144号
  surcharge, 第五条's rising-index penalty), each read from the line the row cites. A future amendment
  is then a seed change, not a code change.

Every number is parsed from the printed sentence (10分, 前两名, 50万元, 每高0.01加罚1万元); if the text
changes so that a sentence no longer parses, extraction fails loudly instead of writing a wrong rule.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .context import ExtractionContext
from .documents import Document
from .numbers import chinese_to_int, plain_decimal
from .regions import CITY_CODE, REGION_BY_CODE, REGIONS, resolve_region
from .seed_files import SeedTable

STATION_COLUMNS = ("station_id", "name", "kind", "region_code", "line")
RULE_COLUMNS = (
    "rule_id", "doc_id", "doc_no", "first_quarter", "in_force_line",
    "group_order", "group_name", "member_region_codes", "members_line",
    "first_place_points", "points_step", "points_line",
    "places_line", "reward_places", "reward_wan_yuan", "reward_equals_penalty", "reward_line",
    "penalty_places", "penalty_base_wan_yuan", "penalty_line",
    "surcharge_index_step", "surcharge_wan_yuan", "surcharge_line",
    "rising_index_penalty_wan_yuan", "rising_index_line",
)
ORIGINAL_DOC_NO = "〔2015〕126号"
AMENDMENT_DOC_NO = "〔2015〕144号"
# 126号 names no groups ("广阳区、安次区、廊坊开发区3个区单独…，其余8个县（市）…"): these are the labels the
# office uses for them; 144号 names its groups itself (市区组, 北片组, 南片组).
ORIGINAL_GROUP_NAMES = ("市区", "县（市）")
MEMBER_SEPARATOR = "|"

_NUMBER = r"(\d+(?:\.\d+)?|[一二两三四五六七八九十]+)"


class RuleTextError(ValueError):
    """A sentence the rules depend on is missing or reads differently."""


@dataclass(frozen=True)
class _Found:
    line: int
    match: re.Match[str]


def _document(ctx: ExtractionContext, doc_no: str) -> Document:
    matches = [d for d in ctx.documents if d.doc_no == doc_no]
    if len(matches) != 1:
        raise RuleTextError(f"expected one document numbered {doc_no}, found {len(matches)}")
    return matches[0]


def _find(ctx: ExtractionContext, doc: Document, pattern: str) -> _Found:
    """The first line of ``doc`` where ``pattern`` matches (whitespace removed from the line)."""
    regex = re.compile(pattern)
    for number, text in ctx.source.span(doc.line_start, doc.line_end):
        match = regex.search(re.sub(r"\s+", "", text))
        if match:
            return _Found(number, match)
    raise RuleTextError(f"{doc.doc_no} (lines {doc.line_start}–{doc.line_end}): no line matches {pattern!r}")


def _int(token: str) -> int:
    return int(token) if token.isdigit() else chinese_to_int(token)


def _region(name: str, where: str) -> str:
    code = resolve_region(name)
    if code is None or code == CITY_CODE:
        raise RuleTextError(f"{where}: {name!r} is not one of the 11 units")
    return code


def _quarter_of(day: date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def _units() -> list[str]:
    return [r.region_code for r in REGIONS if r.region_code != CITY_CODE]


# --- stations ---------------------------------------------------------------------------------------

def station_rows(ctx: ExtractionContext) -> list[dict[str, object]]:
    """The 4 national stations of 第三条 and one provincial station per county (第四条), by region code."""
    doc = _document(ctx, ORIGINAL_DOC_NO)
    national = _find(ctx, doc, r"第三条.*其中(.+?)代表广阳区空气质量")
    text = national.match.group(1)
    rows: list[dict[str, object]] = []
    stations: list[tuple[str, str]] = []        # (name, region_code)
    for name, place in re.findall(r"([^，。和]+?)监测点数据代表(.+?)空气质量", text):
        stations.append((name, _region(place, f"line {national.line}")))
    pair = re.search(r"([^，。]+?)和([^，。]+?)两个监测点数据的平均值代表(.+?)空气质量", national.match.group(0))
    if pair is None:
        raise RuleTextError(f"line {national.line}: the two stations averaged for 广阳区 are not printed as expected")
    mean_region = _region(pair.group(3), f"line {national.line}")
    stations += [(pair.group(1), mean_region), (pair.group(2), mean_region)]
    if len(stations) != 4:
        raise RuleTextError(f"line {national.line}: expected 4 national stations, read {stations}")
    counter: dict[str, int] = {}
    for name, code in stations:
        counter[code] = counter.get(code, 0) + 1
        rows.append({"station_id": f"aq-{code}-n{counter[code]}", "name": name, "kind": "national",
                     "region_code": code, "line": national.line})

    provincial = _find(ctx, doc, r"第四条" + _NUMBER + r"个县（市）所设的" + _NUMBER + r"个省控自动监测站")
    districts = {code for _, code in stations}
    counties = [code for code in _units() if code not in districts]
    if len(counties) != _int(provincial.match.group(2)):
        raise RuleTextError(f"line {provincial.line}: {provincial.match.group(2)} provincial stations printed, "
                            f"{len(counties)} counties known")
    for code in counties:
        rows.append({"station_id": f"aq-{code}-p1", "name": f"{REGION_BY_CODE[code].name}省控站",
                     "kind": "provincial", "region_code": code, "line": provincial.line})
    return sorted(rows, key=lambda r: str(r["station_id"]))


# --- rules ------------------------------------------------------------------------------------------

def _common_parameters(ctx: ExtractionContext, doc: Document) -> dict[str, object]:
    """Scoring (第二条) and the rising-index penalty (第五条) of 126号; 144号 keeps both."""
    points = _find(ctx, doc, r"两项的第一名均为" + _NUMBER + r"分，每下降一个名次降低" + _NUMBER + r"分")
    rising = _find(ctx, doc, r"第五条.*比上年度同期不降反升的，取消奖励资格，并给予" + _NUMBER + r"万元处罚")
    return {
        "first_place_points": _int(points.match.group(1)), "points_step": _int(points.match.group(2)),
        "points_line": points.line,
        "rising_index_penalty_wan_yuan": plain_decimal(rising.match.group(1)), "rising_index_line": rising.line,
    }


def _original_rows(ctx: ExtractionContext) -> list[dict[str, object]]:
    doc = _document(ctx, ORIGINAL_DOC_NO)
    if doc.issued_on is None:
        raise RuleTextError(f"{doc.doc_no} has no signature date")
    in_force = _find(ctx, doc, r"本办法自印发之日起施行")
    common = _common_parameters(ctx, doc)
    groups = _find(ctx, doc, r"(?:^|。)([^。]+?)" + _NUMBER + r"个区单独进行综合排名，其余" + _NUMBER + r"个县（市）进行综合排名")
    districts = [_region(n, f"line {groups.line}") for n in groups.match.group(1).split("、")]
    if len(districts) != _int(groups.match.group(2)):
        raise RuleTextError(f"line {groups.line}: {groups.match.group(1)} is not {groups.match.group(2)} districts")
    counties = [code for code in _units() if code not in districts]
    if len(counties) != _int(groups.match.group(3)):
        raise RuleTextError(f"line {groups.line}: 其余{groups.match.group(3)}个县（市） but {len(counties)} remain")
    district_amounts = _find(ctx, doc, r"第三条.*第一名给予" + _NUMBER + r"万元奖励，最后一名给予" + _NUMBER + r"万元处罚")
    county_amounts = _find(ctx, doc, r"第四条.*前" + _NUMBER + r"名给予各" + _NUMBER + r"万元奖励，后" + _NUMBER
                           + r"名给予各" + _NUMBER + r"万元处罚")
    base = {"rule_id": "aq-2015-126", "doc_id": doc.doc_id, "doc_no": doc.doc_no,
            "first_quarter": _quarter_of(doc.issued_on), "in_force_line": in_force.line, "members_line": groups.line,
            "reward_equals_penalty": False, "surcharge_index_step": None, "surcharge_wan_yuan": None,
            "surcharge_line": None, **common}
    return [
        {**base, "group_order": 1, "group_name": ORIGINAL_GROUP_NAMES[0],
         "member_region_codes": MEMBER_SEPARATOR.join(districts), "places_line": district_amounts.line,
         "reward_places": 1, "reward_wan_yuan": plain_decimal(district_amounts.match.group(1)),
         "reward_line": district_amounts.line, "penalty_places": 1,
         "penalty_base_wan_yuan": plain_decimal(district_amounts.match.group(2)), "penalty_line": district_amounts.line},
        {**base, "group_order": 2, "group_name": ORIGINAL_GROUP_NAMES[1],
         "member_region_codes": MEMBER_SEPARATOR.join(counties), "places_line": county_amounts.line,
         "reward_places": _int(county_amounts.match.group(1)),
         "reward_wan_yuan": plain_decimal(county_amounts.match.group(2)), "reward_line": county_amounts.line,
         "penalty_places": _int(county_amounts.match.group(3)),
         "penalty_base_wan_yuan": plain_decimal(county_amounts.match.group(4)), "penalty_line": county_amounts.line},
    ]


def _amendment_rows(ctx: ExtractionContext) -> list[dict[str, object]]:
    original = _document(ctx, ORIGINAL_DOC_NO)
    doc = _document(ctx, AMENDMENT_DOC_NO)
    common = _common_parameters(ctx, original)
    in_force = _find(ctx, doc, r"自(\d{4})年第" + _NUMBER + r"季度开始执行")
    first_quarter = f"{in_force.match.group(1)}Q{_int(in_force.match.group(2))}"
    groups = _find(ctx, doc, r"分为" + _NUMBER + r"组")
    found = re.findall(r"第([一二三四五六七八九十]+)组为([^，,]+?组)，包括：([^；。]+?)" + _NUMBER + r"个考核单位",
                       groups.match.string)
    if len(found) != _int(groups.match.group(1)):
        raise RuleTextError(f"line {groups.line}: 分为{groups.match.group(1)}组 but {len(found)} groups read")
    places = _find(ctx, doc, r"各组季度综合排名第" + _NUMBER + r"的为先进单位，综合排名最后" + _NUMBER + r"名为后进单位")
    amounts = _find(ctx, doc, r"以" + _NUMBER + r"万元为起罚基数.*?每高(\d+(?:\.\d+)?)，加罚" + _NUMBER + r"万元")
    mirrored = _find(ctx, doc, r"各组最后一名的罚款，等额奖励给同组第一名")
    rows = []
    seen: set[str] = set()
    for order, name, members, count in found:
        codes = [_region(n, f"line {groups.line}") for n in members.split("、")]
        if len(codes) != _int(count):
            raise RuleTextError(f"line {groups.line}: {name} lists {members} as {count} units")
        seen.update(codes)
        rows.append({
            "rule_id": "aq-2015-144", "doc_id": doc.doc_id, "doc_no": doc.doc_no, "first_quarter": first_quarter,
            "in_force_line": in_force.line, "group_order": _int(order), "group_name": name,
            "member_region_codes": MEMBER_SEPARATOR.join(codes), "members_line": groups.line, **common,
            "reward_places": 1, "reward_wan_yuan": None, "reward_equals_penalty": True, "reward_line": mirrored.line,
            "penalty_places": _int(places.match.group(2)), "penalty_base_wan_yuan": plain_decimal(amounts.match.group(1)),
            "places_line": places.line, "penalty_line": amounts.line, "surcharge_index_step": plain_decimal(amounts.match.group(2)),
            "surcharge_wan_yuan": plain_decimal(amounts.match.group(3)), "surcharge_line": amounts.line,
        })
        if _int(places.match.group(1)) != 1:
            raise RuleTextError(f"line {places.line}: the reward goes to 第{places.match.group(1)}, expected 第一")
    if seen != set(_units()):
        raise RuleTextError(f"line {groups.line}: the groups do not cover the 11 units exactly once")
    return rows


def rule_rows(ctx: ExtractionContext) -> list[dict[str, object]]:
    """One row per rule version and ranking group, in force order."""
    return _original_rows(ctx) + _amendment_rows(ctx)


def extract_tables(ctx: ExtractionContext) -> list[SeedTable]:
    return [SeedTable("air_quality_stations", STATION_COLUMNS, station_rows(ctx)),
            SeedTable("air_quality_rules", RULE_COLUMNS, rule_rows(ctx))]
