"""The air-quality rule seeds: every parameter read from 〔2015〕126号 / 144号 at the line it cites.

The extractor is not registered in the pipeline by this module's author, so the test runs it directly on
the source text and compares with the committed seeds byte for byte.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from dagster_project.extraction import air_quality
from dagster_project.extraction.context import ExtractionContext
from dagster_project.extraction.documents import find_documents
from dagster_project.extraction.seed_files import render_csv
from dagster_project.extraction.source import SourceText
from tests.conftest import SOURCE_PATH

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture(scope="module")
def ctx() -> ExtractionContext:
    source = SourceText.read(SOURCE_PATH)
    return ExtractionContext(source=source, documents=find_documents(source))


@pytest.fixture(scope="module")
def tables(ctx):
    return {t.name: t for t in air_quality.extract_tables(ctx)}


def _line(ctx, number) -> str:
    return re.sub(r"\s+", "", ctx.source.line(int(number)))


def test_committed_seeds_equal_the_extraction(tables):
    for table in tables.values():
        assert (SEEDS / table.file_name).read_bytes() == render_csv(table).encode("utf-8"), table.file_name


def test_stations_are_the_four_national_and_eight_provincial_ones(ctx, tables):
    rows = tables["air_quality_stations"].rows
    national = {(r["name"], r["region_code"]) for r in rows if r["kind"] == "national"}
    assert national == {("药材公司", "131002"), ("开发区", "131071"), ("北华航天学院", "131003"),
                        ("环境监测监理中心", "131003")}
    provincial = sorted(r["name"] for r in rows if r["kind"] == "provincial")
    assert provincial == sorted(["三河市省控站", "大厂回族自治县省控站", "香河县省控站", "固安县省控站", "永清县省控站",
                                 "霸州市省控站", "文安县省控站", "大城县省控站"])
    for row in rows:
        if row["kind"] == "national":
            assert row["name"] + "监测点" in _line(ctx, row["line"]) or row["name"] in _line(ctx, row["line"])
        else:
            assert "省控自动监测站" in _line(ctx, row["line"])
    assert len({r["station_id"] for r in rows}) == 12


def test_rule_versions_groups_and_amounts(tables):
    rows = {(r["rule_id"], r["group_name"]): r for r in tables["air_quality_rules"].rows}
    assert sorted(rows) == [("aq-2015-126", "县（市）"), ("aq-2015-126", "市区"), ("aq-2015-144", "北片组"),
                            ("aq-2015-144", "南片组"), ("aq-2015-144", "市区组")]
    city = rows[("aq-2015-126", "市区")]
    assert (city["first_quarter"], city["member_region_codes"], city["reward_places"], city["reward_wan_yuan"],
            city["penalty_places"], city["penalty_base_wan_yuan"]) == ("2015Q3", "131003|131002|131071", 1, "50", 1, "50")
    counties = rows[("aq-2015-126", "县（市）")]
    assert (counties["reward_places"], counties["penalty_places"]) == (2, 2)
    assert len(counties["member_region_codes"].split("|")) == 8
    north = rows[("aq-2015-144", "北片组")]
    assert north["member_region_codes"] == "131082|131028|131024"
    assert rows[("aq-2015-144", "南片组")]["member_region_codes"] == "131022|131023|131081|131026|131025"
    for row in rows.values():
        assert (row["first_place_points"], row["points_step"], row["rising_index_penalty_wan_yuan"]) == (10, 1, "100")
        if row["rule_id"] == "aq-2015-144":
            assert (row["first_quarter"], row["reward_equals_penalty"], row["reward_wan_yuan"]) == ("2015Q4", True, None)
            assert (row["penalty_base_wan_yuan"], row["surcharge_index_step"], row["surcharge_wan_yuan"]) == ("50", "0.01", "1")


def test_every_parameter_occurs_at_the_line_it_cites(ctx, tables):
    evidence = {
        "in_force_line": lambda r: "本办法自印发之日起施行" if r["rule_id"].endswith("126") else "自2015年第四季度开始执行",
        "points_line": lambda r: f"第一名均为{r['first_place_points']}分",
        "penalty_line": lambda r: f"{r['penalty_base_wan_yuan']}万元",
        "rising_index_line": lambda r: f"给予{r['rising_index_penalty_wan_yuan']}万元处罚",
        "surcharge_line": lambda r: f"每高{r['surcharge_index_step']}，加罚{r['surcharge_wan_yuan']}万元",
        "members_line": lambda r: "、".join(["广阳区", "安次区", "廊坊开发区"]) if "市区" in r["group_name"] else (
            "其余8个县（市）" if r["group_name"] == "县（市）" else r["group_name"] + "，包括"),
    }
    for row in tables["air_quality_rules"].rows:
        for column, text in evidence.items():
            if row[column] is None:
                assert column == "surcharge_line" and row["rule_id"].endswith("126")
                continue
            assert text(row) in _line(ctx, row[column]), (row["rule_id"], row["group_name"], column)
        doc = ctx.document(row["doc_id"])
        assert doc.doc_no == row["doc_no"]


def test_a_changed_sentence_fails_loudly(ctx):
    lines = list(ctx.source.lines)
    number = next(n for n, line in enumerate(lines, start=1) if "每高0.01，加罚1万元" in line)
    lines[number - 1] = lines[number - 1].replace("每高0.01，加罚1万元", "每高一点，加罚一些")
    changed = ExtractionContext(source=SourceText(ctx.source.path, tuple(lines)), documents=ctx.documents)
    with pytest.raises(air_quality.RuleTextError, match="144号"):
        air_quality.rule_rows(changed)
