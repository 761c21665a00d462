"""Organisations, aliases and the name resolver, on real forms of the source (source-catalog §4, §6, §9.6)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from dagster_project.extraction import organizations
from dagster_project.extraction.context import ExtractionContext
from dagster_project.extraction.documents import find_documents
from dagster_project.extraction.organization_registry import FUNCTIONAL_NAMES, KINDS, LEVELS
from dagster_project.extraction.organizations import (
    ALIAS_COLUMNS, ORGANIZATION_COLUMNS, NameResolution, resolve_name, split_names, unresolved,
)
from dagster_project.extraction.regions import REGIONS
from dagster_project.extraction.source import remove_whitespace

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.fixture(scope="module")
def tables(source):
    ctx = ExtractionContext(source=source, documents=find_documents(source))
    return {t.name: t for t in organizations.extract_tables(ctx)}


@pytest.fixture(scope="module")
def aliases(tables):
    return {row["alias"]: row for row in tables["organization_aliases"].rows}


@pytest.fixture(scope="module")
def orgs(tables):
    return {row["org_id"]: row for row in tables["organizations"].rows}


def org_of(name: str) -> str | None:
    return resolve_name(name).org_id


# --- the tables -------------------------------------------------------------------------------

def test_columns_are_the_interface(tables):
    assert tuple(tables["organizations"].columns) == ORGANIZATION_COLUMNS
    assert tuple(tables["organization_aliases"].columns) == ALIAS_COLUMNS


def test_every_alias_occurs_on_its_cited_line(tables, source):
    missing = [
        (row["alias"], row["line"]) for row in tables["organization_aliases"].rows
        if remove_whitespace(row["alias"]) not in remove_whitespace(source.line(row["line"]))
    ]
    assert missing == []


def test_aliases_are_unique_and_point_at_organisations(tables, orgs):
    names = [row["alias"] for row in tables["organization_aliases"].rows]
    assert len(names) == len(set(names))
    assert {row["org_id"] for row in tables["organization_aliases"].rows} <= set(orgs)


def test_every_alias_resolves_to_its_own_organisation(tables):
    wrong = [(r["alias"], r["org_id"], org_of(r["alias"])) for r in tables["organization_aliases"].rows
             if org_of(r["alias"]) != r["org_id"]]
    assert wrong == []


def test_every_registered_form_except_list_only_stems_was_found_in_the_text(aliases):
    # the registry may not invent forms: each prefixed or functional form must really occur
    # (a functional name may be printed only with 市 in front: 市住房保障主管部门 2075)
    unseen = [f for f, kind in organizations.FORM_KIND.items()
              if kind in (organizations.PREFIXED, organizations.FUNCTIONAL) and f not in aliases and "市" + f not in aliases]
    assert unseen == []


@pytest.mark.parametrize("alias, line", [
    ("市发改委", 274), ("市人力资源和社会保障局", 18), ("市编委办", 18), ("市卫计委", 689), ("卫计委", 3328),
    ("市计委", 7797), ("市卫生计生委", 5821), ("市卫生和计划生育委员会", 8278), ("发改委", 1619),
    ("工信局", 1619), ("人社局", 3028), ("地税局", 3238), ("教育局", 3940), ("编办", 9381), ("工商局", 9381),
    ("民政局", 9381), ("质监局", 9383), ("总工会", 9387), ("市审改办（市编办）", 5143), ("市教育厅", 6033),
    ("人行廊坊中心支行", 66), ("廊坊军分区", 1), ("廊坊开发区管委会", 8), ("三河市政府", 4758),
    ("商务局", 2802),   # 领导小组办公室设在商务局
])
def test_first_lines_agree_with_the_catalogue(aliases, alias, line):
    assert aliases[alias]["line"] == line


def test_bare_forms_are_not_taken_from_county_or_provincial_bodies(aliases, source):
    # 4284 永清县财政局; 9099 省体育局、教育厅 — neither is the city's body
    assert "永清县财政局" in source.line(4284)
    assert aliases["财政局"]["line"] == 3940
    assert "教育厅" not in aliases
    assert "三河市财政局" not in aliases


def test_organisation_rows(tables, orgs):
    rows = tables["organizations"].rows
    assert len(rows) == 136          # 122 named bodies + 市政府 + 2 predecessors + 11 region governments
    assert {r["kind"] for r in rows} <= set(KINDS)
    assert {r["level"] for r in rows} <= set(LEVELS)
    assert {r["parent_org_id"] for r in rows if r["parent_org_id"]} <= set(orgs)
    assert orgs["lf-human-resources"]["name"] == "廊坊市人力资源和社会保障局"
    assert orgs["lf-human-resources"]["short_name"] == "市人社局"
    assert orgs["lf-government"]["name"] == "廊坊市人民政府"
    assert orgs["lf-general-office"]["name"] == "廊坊市人民政府办公室"


def test_nested_bodies_have_their_parent(orgs):
    assert orgs["lf-approval-reform-office"]["parent_org_id"] == "lf-establishment-office"
    assert orgs["lf-healthcare-reform-office"]["parent_org_id"] == "lf-health-family-planning"
    assert orgs["lf-tcm-administration"]["parent_org_id"] == "lf-health-family-planning"


def test_reform_dates(orgs):
    assert orgs["lf-health-family-planning"]["valid_from"] == "2015-11-25"
    assert orgs["lf-health-bureau"]["valid_to"] == "2015-11-24"
    assert orgs["lf-population-family-planning"]["valid_to"] == "2015-11-24"
    assert orgs["lf-population-family-planning"]["line"] == 8382


def test_one_government_per_region(orgs):
    governments = {o.region_code: o.org_id for o in organizations.ALL_ORGANIZATIONS if o.kind == "region_government"}
    assert set(governments) == {r.region_code for r in REGIONS}
    assert governments["131082"] == "gov-sanhe" and governments["131071"] == "gov-langfang-edz"
    assert all(orgs[g]["parent_org_id"] == "" for g in governments.values())
    assert {orgs[g]["region_code"]: g for g in governments.values()} == governments
    assert {o["org_id"] for o in orgs.values() if o["region_code"]} == set(governments.values())


def test_organisation_line_is_where_one_of_its_aliases_first_occurs(tables):
    first: dict[str, int] = {}
    for row in tables["organization_aliases"].rows:
        first[row["org_id"]] = min(first.get(row["org_id"], 10**9), row["line"])
    wrong = [(r["org_id"], r["line"]) for r in tables["organizations"].rows
             if r["org_id"] in first and r["line"] != first[r["org_id"]]]
    assert wrong == []
    never_printed = [r["org_id"] for r in tables["organizations"].rows if r["org_id"] not in first]
    assert never_printed == ["lf-health-bureau"]


# --- the resolver -----------------------------------------------------------------------------

def test_the_six_ways_of_writing_the_peoples_bank(aliases):
    forms = ["人行廊坊市中心支行", "市人行", "人行廊坊中心支行", "市人民银行", "人民银行廊坊市中心支行", "中国人民银行廊坊中心支行"]
    assert {org_of(f) for f in forms} == {"lf-pboc"}
    assert all(f in aliases for f in forms)


def test_the_health_commission_forms_and_the_typo(aliases):
    forms = ["市卫计委", "市卫生计生委", "市卫生和计划生育委员会", "廊坊市卫生和计划生育委员会", "卫计委", "市计委"]
    assert {org_of(f) for f in forms} == {"lf-health-family-planning"}
    assert all(f in aliases for f in forms)


def test_the_ministry_typos_of_line_6033(source):
    line = source.line(6033)
    for typo, org in [("市教育厅", "lf-education"), ("市财政厅", "lf-finance"), ("市人力资源社会保障厅", "lf-human-resources")]:
        assert typo in line and org_of(typo) == org


@pytest.mark.parametrize("name, org", [
    ("工商局", "lf-industry-commerce"), ("编办", "lf-establishment-office"), ("质监局", "lf-quality-supervision"),
    ("民政局", "lf-civil-affairs"), ("地税局", "lf-local-tax"), ("总工会", "lf-trade-union"),
    ("卫计委", "lf-health-family-planning"), ("发改委", "lf-development-reform"), ("工信局", "lf-industry-it"),
    ("人社局", "lf-human-resources"), ("财政局", "lf-finance"), ("中医药管理局", "lf-tcm-administration"),
])
def test_list_forms_without_the_city_prefix(name, org):
    assert org_of(name) == org


@pytest.mark.parametrize("name, org", [
    ("发展改革部门", "lf-development-reform"), ("工业和信息化部门", "lf-industry-it"), ("工信部门", "lf-industry-it"),
    ("商务部门", "lf-commerce"), ("工商行政管理部门", "lf-industry-commerce"), ("工商部门", "lf-industry-commerce"),
    ("地方金融监管部门", "lf-financial-affairs"), ("安监部门", "lf-work-safety"),
    ("卫生计生部门", "lf-health-family-planning"), ("卫生计生行政部门", "lf-health-family-planning"),
    ("价格主管部门", "lf-prices"), ("价格部门", "lf-prices"), ("城乡规划主管部门", "lf-urban-planning"),
    ("市城乡规划主管部门", "lf-urban-planning"), ("国土资源主管部门", "lf-land-resources"),
    ("建设主管部门", "lf-construction"), ("建设部门", "lf-construction"), ("人民防空主管部门", "lf-civil-air-defence"),
    ("住房保障主管部门", "lf-housing"), ("文物主管部门", "lf-culture-media"), ("统计部门", "lf-statistics"),
    ("机构编制部门", "lf-establishment-office"), ("人力资源社会保障部门", "lf-human-resources"),
    ("新闻出版广电部门", "lf-culture-media"), ("市科学技术行政部门", "lf-science-technology"),
])
def test_functional_names_of_section_6_3(name, org):
    assert org_of(name) == org


def test_every_functional_name_is_an_alias_found_in_the_text(aliases):
    assert [name for name in FUNCTIONAL_NAMES if name not in aliases and "市" + name not in aliases] == []
    assert aliases["市建设部门"]["org_id"] == "lf-construction" and aliases["市建设部门"]["line"] == 5671


@pytest.mark.parametrize("name, org, code", [
    ("三河市政府", "gov-sanhe", "131082"), ("三河市人民政府", "gov-sanhe", "131082"),
    ("大厂县政府", "gov-dachang", "131028"), ("大厂回族自治县人民政府", "gov-dachang", "131028"),
    ("广阳区人民政府", "gov-guangyang", "131003"), ("霸州市政府", "gov-bazhou", "131081"),
    ("廊坊开发区管委会", "gov-langfang-edz", "131071"), ("开发区管委会", "gov-langfang-edz", "131071"),
    ("廊坊开发区", "gov-langfang-edz", "131071"), ("香河县", "gov-xianghe", "131024"),
])
def test_region_governments_resolve_to_their_region(name, org, code):
    assert resolve_name(name) == NameResolution(name, org_id=org, region_code=code)


@pytest.mark.parametrize("name", [
    "有关部门", "相关部门", "市政府各部门", "市政府有关部门", "市直有关部门", "市直相关部门", "各县（市、区）政府",
    "各县(市、区)政府", "各县(市、区）政府", "各县（市、区）人民政府", "各县(市、区)人民政府", "各县（市）政府",
    "各有关单位", "其他登记管理部门", "市质评委成员单位", "市农民工工作联席会议其他成员单位",
    "市农民工工作联席会议各成员单位", "市质量与名牌战略领导小组成员单位", "任务涉及的各应用示范单位", "相关应用单位",
    "各县级人民政府", "市政府相关部门",
])
def test_generic_phrases_are_generic(name):
    resolution = resolve_name(name)
    assert resolution.generic and resolution.org_id is None and resolution.resolved


@pytest.mark.parametrize("name", ["永清县财政局", "固安县公安局", "三河市财政局", "县财政局", "省教育厅", "国家统计局",
                                  "三河市燕郊镇人民政府", "贾永清"])
def test_county_provincial_and_national_bodies_do_not_resolve(name):
    assert not resolve_name(name).resolved


def test_normalisation_of_prefix_brackets_spaces_labels_and_roles():
    assert org_of("廊坊市财政局") == "lf-finance"
    assert org_of("市 财政局") == "lf-finance"
    assert org_of("市审改办(市编办)") == "lf-approval-reform-office"
    assert org_of("责任单位：市林业局") == "lf-forestry"
    assert org_of("市商务局牵头") == "lf-commerce"
    assert org_of("市工商局等有关市场监督管理部门") == "lf-industry-commerce"   # 3283


def test_qualified_functional_names_and_county_level_departments():
    assert org_of("批准登记的民政部门") == "lf-civil-affairs"                     # 638
    assert not resolve_name("永清县的民政部门").resolved
    assert resolve_name("各县（市、区）价格主管部门").generic                       # 6006
    assert resolve_name("县级畜牧兽医部门").generic                                # 7189
    assert org_of("市政府地方金融监管部门") == "lf-financial-affairs"              # 883


def test_unresolved_lists_only_the_unknown_names_once():
    assert unresolved(["市财政局", "某某局", "有关部门", "某某局", "永清县财政局"]) == ["某某局", "永清县财政局"]


def test_every_department_of_the_oracle_resolves_to_a_distinct_body():
    oracle = json.loads((FIXTURES / "source-documents.json").read_text(encoding="utf-8"))
    names = {name for doc in oracle for name in (doc.get("departments") or [])}
    assert len(names) == 122
    assert unresolved(sorted(names)) == []
    assert len({org_of(n) for n in names}) == 122
    # the oracle names a body by its commonest printed form, which is our short_name
    assert all(organizations.ORG_BY_ID[org_of(n)].short_name == n for n in names)


# --- split_names on real lists ------------------------------------------------------------------

@pytest.mark.parametrize("line, text, expected", [
    (2792, "责任单位：市财政局、市商务局、各县（市、区）政府、廊坊开发区管委会",
     ["市财政局", "市商务局", "各县（市、区）政府", "廊坊开发区管委会"]),
    (5218, "市建设局、市县城办、各县（市）政府负责，有关部门配合",
     ["市建设局", "市县城办", "各县（市）政府", "有关部门"]),
    (9387, "各县（市、区）政府，市司法局、总工会、卫计委等其他登记管理部门牵头，质监局配合",
     ["各县（市、区）政府", "市司法局", "总工会", "卫计委", "质监局"]),
    (843, "〔责任单位：市财政局、市科技局、市教育局、市工信局、市商务局；各县（市、区）政府、廊坊开发区管委会〕",
     ["市财政局", "市科技局", "市教育局", "市工信局", "市商务局", "各县（市、区）政府", "廊坊开发区管委会"]),
    (3228, "各县（市、区）政府、廊坊开发区管委会、市商务局分别负责",
     ["各县（市、区）政府", "廊坊开发区管委会", "市商务局"]),
    (323, "市审计局、市法制办等有关部门", ["市审计局", "市法制办"]),
    (9381, "工商局、编办、民政局及其他登记管理部门配合", ["工商局", "编办", "民政局", "其他登记管理部门"]),
    (9012, "〔各县(市、区)政府、廊坊开发区管委会、市质评委成员单位按职责分工负责〕",
     ["各县(市、区)政府", "廊坊开发区管委会", "市质评委成员单位"]),
    (6296, "市卫生计生委及中医药管理局", ["市卫生计生委", "中医药管理局"]),
    (5166, "市审改办（市编办）牵头组织", ["市审改办（市编办）"]),
    (259, "市政府各部门", ["市政府各部门"]),
    (3218, "人行廊坊市中心支行等相关部门及各县（市、区）政府、廊坊开发区管委会配合",
     ["人行廊坊市中心支行", "各县（市、区）政府", "廊坊开发区管委会"]),
    (5272 - 2, "市交通运输局、市商务局、市农业局、市质监局、市邮政管理局",
     ["市交通运输局", "市商务局", "市农业局", "市质监局", "市邮政管理局"]),
])
def test_split_names_on_real_lists(source, line, text, expected):
    assert text in source.line(line)
    names = split_names(text)
    assert names == expected
    assert all(resolve_name(n).resolved for n in names)


def test_split_keeps_names_with_an_inner_he_whole():
    assert split_names("市人力资源和社会保障局、市发展和改革委员会") == ["市人力资源和社会保障局", "市发展和改革委员会"]
    assert split_names("有关部门") == ["有关部门"]


def test_extraction_is_deterministic(source):
    # (speed is measured by the benchmarks, never asserted in a test)
    ctx = ExtractionContext(source=source, documents=find_documents(source))
    first = organizations.extract_tables(ctx)
    second = organizations.extract_tables(ExtractionContext(source=source, documents=find_documents(source)))
    assert [t.rows for t in first] == [t.rows for t in second]
