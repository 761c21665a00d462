"""The 11 regional units of Langfang (10 county-level divisions and 廊坊开发区), plus the city itself.

Why a module of its own: tasks, targets and organisations all need to turn a printed place
(三河, 大厂县, 开发区, 全市) into one stable key, and the naive substring test is wrong in the
source (source-catalog §7): 永清 is also part of the personal names 贾永清/张永清, and 大城 is part
of 扩大城镇. The regex cautions live here, once.

Keys are the national administrative division codes (GB/T 2260) of the county-level divisions
(安次区 131002 … 三河市 131082) and of the city (廊坊市 131000, used for 全市 scope). 廊坊开发区
(廊坊经济技术开发区) is a functional zone, not an administrative division, so it has no GB/T 2260
code; the project uses 131071, the code the statistical division code tables (统计用区划代码) give
the zone. The air-quality group (aq_group) of each unit comes from 〔2015〕144号, line 7387.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .context import ExtractionContext
from .seed_files import SeedTable
from .source import remove_whitespace

REGION_COLUMNS = ("region_code", "name", "short_name", "kind", "aq_group", "line")

CITY_CODE = "131000"
DEVELOPMENT_ZONE_CODE = "131071"
AQ_GROUP_LINE = 7387


@dataclass(frozen=True)
class Region:
    region_code: str
    name: str             # full official name
    short_name: str       # the form printed most often in lists
    kind: str             # district | county | county_level_city | autonomous_county | development_zone | city
    aq_group: str         # 市区组 | 北片组 | 南片组 ("" for the city)
    forms: tuple[str, ...]  # every way the text writes it (the line search and resolve_region use these)


# Reviewed data (source-catalog §7, 〔2015〕144号 line 7387 for the groups).
REGIONS: tuple[Region, ...] = (
    Region("131000", "廊坊市", "廊坊", "city", "", ("廊坊市",)),
    Region("131002", "安次区", "安次", "district", "市区组", ("安次区", "安次")),
    Region("131003", "广阳区", "广阳", "district", "市区组", ("广阳区", "广阳")),
    Region("131022", "固安县", "固安", "county", "南片组", ("固安县", "固安")),
    Region("131023", "永清县", "永清", "county", "南片组", ("永清县", "永清")),
    Region("131024", "香河县", "香河", "county", "北片组", ("香河县", "香河")),
    Region("131025", "大城县", "大城", "county", "南片组", ("大城县", "大城")),
    Region("131026", "文安县", "文安", "county", "南片组", ("文安县", "文安")),
    Region("131028", "大厂回族自治县", "大厂", "autonomous_county", "北片组", ("大厂回族自治县", "大厂县", "大厂")),
    Region("131081", "霸州市", "霸州", "county_level_city", "南片组", ("霸州市", "霸州")),
    Region("131082", "三河市", "三河", "county_level_city", "北片组", ("三河市", "三河")),
    Region(DEVELOPMENT_ZONE_CODE, "廊坊经济技术开发区", "廊坊开发区", "development_zone", "市区组",
           ("廊坊经济技术开发区", "廊坊开发区")),
)
REGION_BY_CODE: dict[str, Region] = {r.region_code: r for r in REGIONS}

# Extra exact names resolve_region accepts beyond the printed forms (short lookups, not for line search).
_EXTRA_NAMES: dict[str, str] = {
    "全市": CITY_CODE, "廊坊": CITY_CODE, "开发区": DEVELOPMENT_ZONE_CODE, "经济技术开发区": DEVELOPMENT_ZONE_CODE,
    "燕郊": "131082", "燕郊高新区": "131082", "燕郊高新技术产业开发区": "131082", "胜芳": "131081",
    "大厂高新区": "131028", "固安高新区": "131022",
}

# Personal names (贾永清, 张永清) and 扩大城镇 / 大城市 must not count as places (source-catalog §7).
_FORM_GUARDS: dict[str, str] = {"永清": r"(?<![贾张])", "大城": r"(?<!扩)"}
_FORM_TAILS: dict[str, str] = {"大城": r"(?![镇市])"}


def _form_pattern(form: str) -> str:
    return _FORM_GUARDS.get(form, "") + re.escape(form) + _FORM_TAILS.get(form, "")


_ANY_FORM = re.compile("|".join(
    _form_pattern(f) for f in sorted({f for r in REGIONS if r.region_code != CITY_CODE for f in r.forms},
                                     key=len, reverse=True)))
_CODE_BY_FORM: dict[str, str] = {f: r.region_code for r in REGIONS for f in r.forms}
_GOVERNMENT_SUFFIX = re.compile(r"(人民政府|政府|管理委员会|管委会)$")


def _exact_lookup() -> dict[str, str]:
    table = {r.region_code: r.region_code for r in REGIONS}
    table.update(_CODE_BY_FORM)
    table.update(_EXTRA_NAMES)
    return table


_EXACT = _exact_lookup()


@lru_cache(maxsize=4096)
def resolve_region(text: str) -> str | None:
    """The region code a printed place refers to (三河, 三河市, 大厂县, 开发区, 131082, 全市 → 131000).

    Also accepts a region government's name (三河市政府, 廊坊开发区管委会) and a place inside one unit
    that starts with its name (三河市燕郊镇 → 三河市). Returns None for anything else, including
    generic phrases (各县（市、区）) and personal names (贾永清).
    """
    name = remove_whitespace(text)
    if not name:
        return None
    if name in _EXACT:
        return _EXACT[name]
    bare = _GOVERNMENT_SUFFIX.sub("", name)
    if bare and bare in _EXACT and bare != name:
        return _EXACT[bare]
    match = _ANY_FORM.match(name)
    if match and len(match.group(0)) >= 3:   # only full names as a prefix: 三河市燕郊镇, not 永清西城物流园 guesses
        return _CODE_BY_FORM[match.group(0)]
    return None


def resolve_region_name(text: str) -> str | None:
    """Like ``resolve_region`` but for a name that is only a region or its government (三河, 三河市政府,
    开发区管委会), never a place inside one (三河市燕郊镇) nor 全市."""
    name = remove_whitespace(text)
    if name.isdigit():
        return None
    bare = _GOVERNMENT_SUFFIX.sub("", name)
    for candidate in (name, bare):
        code = _EXACT.get(candidate)
        if code and candidate not in _NOT_A_GOVERNED_REGION:
            return code
    return None


_NOT_A_GOVERNED_REGION = frozenset({"全市", "廊坊", "燕郊", "燕郊高新区", "燕郊高新技术产业开发区", "胜芳", "大厂高新区",
                                    "固安高新区"})


def find_regions(text: str) -> list[tuple[int, str, str]]:
    """Every mention of a county-level unit in ``text``: (offset, form, region_code), with §7's cautions."""
    return [(m.start(), m.group(0), _CODE_BY_FORM[m.group(0)]) for m in _ANY_FORM.finditer(text)]


def first_lines(ctx: ExtractionContext) -> dict[str, int]:
    """The first line where each region's name (any form) occurs."""
    found: dict[str, int] = {}
    city = REGION_BY_CODE[CITY_CODE].forms[0]
    for number, line in enumerate(ctx.source.lines, start=1):
        if CITY_CODE not in found and city in line:
            found[CITY_CODE] = number
        for _, _, code in find_regions(line):
            found.setdefault(code, number)
        if len(found) == len(REGIONS):
            break
    return found


def region_rows(ctx: ExtractionContext) -> list[dict[str, object]]:
    """One row per unit, in code order (the city 131000 first, 廊坊开发区 131071 between 大厂 and 霸州)."""
    lines = first_lines(ctx)
    return [
        {"region_code": r.region_code, "name": r.name, "short_name": r.short_name, "kind": r.kind,
         "aq_group": r.aq_group, "line": lines.get(r.region_code, "")}
        for r in sorted(REGIONS, key=lambda r: r.region_code)
    ]


def extract_tables(ctx: ExtractionContext) -> list[SeedTable]:
    return [SeedTable("regions", REGION_COLUMNS, region_rows(ctx))]
