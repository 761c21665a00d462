"""Regions: codes, groups of 〔2015〕144号, and the place-name cautions of source-catalog §7."""
from __future__ import annotations

import re

import pytest

from dagster_project.extraction import regions
from dagster_project.extraction.context import ExtractionContext
from dagster_project.extraction.documents import find_documents
from dagster_project.extraction.regions import REGION_COLUMNS, find_regions, resolve_region

CODES = {
    "廊坊市": "131000", "安次区": "131002", "广阳区": "131003", "固安县": "131022", "永清县": "131023",
    "香河县": "131024", "大城县": "131025", "文安县": "131026", "大厂回族自治县": "131028", "霸州市": "131081",
    "三河市": "131082", "廊坊经济技术开发区": "131071",
}


@pytest.fixture(scope="module")
def rows(source):
    ctx = ExtractionContext(source=source, documents=find_documents(source))
    (table,) = regions.extract_tables(ctx)
    assert tuple(table.columns) == REGION_COLUMNS
    return {row["name"]: row for row in table.rows}


def test_eleven_units_and_the_city_with_their_codes(rows):
    assert {name: row["region_code"] for name, row in rows.items()} == CODES


def test_kinds(rows):
    assert rows["三河市"]["kind"] == "county_level_city"
    assert rows["大厂回族自治县"]["kind"] == "autonomous_county"
    assert rows["安次区"]["kind"] == "district"
    assert rows["固安县"]["kind"] == "county"
    assert rows["廊坊经济技术开发区"]["kind"] == "development_zone"
    assert rows["廊坊市"]["kind"] == "city"


def test_air_quality_groups_are_those_of_line_7387(rows, source):
    line = source.line(regions.AQ_GROUP_LINE)
    printed = {
        group: re.search(group + r"，包括：(.+?)\d+个考核单位", line).group(1).split("、")
        for group in ("市区组", "北片组", "南片组")
    }
    assert printed == {"市区组": ["广阳区", "安次区", "廊坊开发区"], "北片组": ["三河市", "大厂县", "香河县"],
                       "南片组": ["固安县", "永清县", "霸州市", "文安县", "大城县"]}
    for group, members in printed.items():
        assert {rows_by_code(rows)[resolve_region(m)]["aq_group"] for m in members} == {group}
    assert rows["廊坊市"]["aq_group"] == ""


def rows_by_code(rows):
    return {row["region_code"]: row for row in rows.values()}


def test_each_region_is_named_on_its_line(rows, source):
    for row in rows.values():
        region = regions.REGION_BY_CODE[row["region_code"]]
        assert any(form in source.line(row["line"]) for form in region.forms), row


def test_first_lines(rows):
    # catalogue §7: 安次/广阳 18; 大城 first really at 1107 (三河、大厂、香河 …), 廊坊开发区 8
    assert rows["安次区"]["line"] == 18 and rows["广阳区"]["line"] == 18
    assert rows["廊坊经济技术开发区"]["line"] == 8
    assert rows["三河市"]["line"] == 1107


@pytest.mark.parametrize("text, code", [
    ("三河", "131082"), ("三河市", "131082"), ("大厂县", "131028"), ("大厂回族自治县", "131028"), ("开发区", "131071"),
    ("廊坊开发区", "131071"), ("廊坊经济技术开发区", "131071"), ("131082", "131082"), ("全市", "131000"),
    ("廊坊市", "131000"), ("三河市政府", "131082"), ("廊坊开发区管委会", "131071"), ("大城县人民政府", "131025"),
    (" 香河 ", "131024"), ("三河市燕郊镇", "131082"),
])
def test_resolve_region(text, code):
    assert resolve_region(text) == code


@pytest.mark.parametrize("text", ["贾永清", "张永清", "扩大城镇", "各县（市、区）", "市区", "北京", ""])
def test_resolve_region_rejects(text):
    assert resolve_region(text) is None


def test_personal_names_and_kuoda_chengzhen_are_not_places(source):
    # 5553 以上工作由贾永清副市长负责; 1704, 3449, 3639 扩大城镇; 5218 加大城镇
    assert "贾永清" in source.line(5553) and find_regions(source.line(5553)) == []
    for n, phrase in ((1704, "扩大城镇"), (3449, "扩大城镇"), (3639, "扩大城镇"), (5218, "加大城镇")):
        assert phrase in source.line(n)
        assert all(code != "131025" for _, _, code in find_regions(source.line(n)))


def test_find_regions_on_the_group_line(source):
    codes = [code for _, _, code in find_regions(source.line(7387))]
    assert set(codes) == set(CODES.values()) - {"131000"}
