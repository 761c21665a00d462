"""Indicators (source-catalog §5 指标体系, §8.2 T6/T10): the printed systems and the targets' shared indicators."""
from __future__ import annotations

import re

import pytest

from dagster_project.extraction.indicators import (
    assessment_indicator_system, normalise_name, three_level_indicator_system,
)
from dagster_project.extraction.targets import INDICATOR_COLUMNS, find_targets


@pytest.fixture(scope="module")
def indicator_rows(extraction):
    return extraction.table("indicators").rows


@pytest.fixture(scope="module")
def by_name(indicator_rows):
    return {r["name"]: r for r in indicator_rows}


def test_doc_23_annex_1_has_50_indicators_with_units(extraction):
    # 廊政〔2015〕118号 附件1 (T6): 50 three-level indicators, 12 kinds of unit, no target values
    system = three_level_indicator_system(extraction.context)
    assert len(system) == 50
    assert system[0].name == "服务外包企业" and system[0].line == 2837 and system[0].unit == "个"
    assert system[5].name == "年营业额10万美元及以上的企业数"      # line 2872: a definition, not a target
    assert system[15].name == "互联网宽带接入用户" and system[15].unit == "万户"
    assert "责任单位 市工信局" in system[15].description
    assert "二级指标 信息技术基础设施水平" in system[15].description
    assert {o.unit for o in system} == {
        "个", "万美元", "万元", "%", "万户", "人", "万人", "元/年", "元/月", "元/度", "元/平方米", "是/否",
    }
    assert system[-1].line == 3192


def test_doc_52_has_13_assessment_indicators(extraction):
    # 廊政办〔2015〕68号 (T10): 13 numbered indicators; 1–8 are rates named in the 考核要点 column
    system = assessment_indicator_system(extraction.context)
    assert len(system) == 13
    assert [o.name for o in system[:2]] == ["制造业产品质量合格率", "主要农产品质量安全监测合格率"]
    assert system[2].name.startswith("食品安全监督抽查合格率")
    assert system[7].name == "游客满意度"
    assert system[8].name == "质量宏观管理" and "质量发展规划制定与实施" in system[8].description
    assert "否决项" not in system[10].description       # the next row's 考核内容 is not a 考核要点
    assert "质量措施（60分）" in system[8].description


def test_the_systems_are_in_the_indicator_table(indicator_rows, by_name):
    assert "服务外包企业" in by_name and "质量宏观管理" in by_name
    assert by_name["服务外包企业"]["line"] == 2837


def test_an_indicator_is_shared_by_targets_that_measure_the_same_thing(extraction, by_name):
    targets = find_targets(extraction.context)
    # 制造业产品质量合格率: named by the assessment table (6373) and targeted by 〔2015〕168号 (8996)
    shared = by_name["制造业产品质量合格率"]
    assert shared["line"] == 6373
    assert [t.line for t in targets if t.indicator_id == shared["indicator_id"]] == [8996]
    # 现代化指标完成率 for 2015, 2016, 2017 (1062, 1064, 1066) is one indicator with three targets
    completion = [t for t in targets if t.doc_id == "lz-2015-074" and t.line in (1062, 1064, 1066)]
    assert len({t.indicator_id for t in completion}) == 1
    assert [t.due_date for t in completion] == ["2015-12-31", "2016-12-31", "2017-12-31"]
    # 科技服务业总收入 by 2017 and by 2020 (line 770)
    income = [t for t in targets if t.line == 770 and t.unit == "亿元"]
    assert len({t.indicator_id for t in income}) == 1


def test_doc_81_annex_2_standards_are_indicators_with_targets(by_name, extraction):
    targets = find_targets(extraction.context)
    row = by_name["县域内就诊率"]
    assert [t.value for t in targets if t.indicator_id == row["indicator_id"]] == ["90"]
    assert by_name["基层医疗卫生机构建设达标率"]["direction"] == "higher_is_better"


def test_direction_follows_the_comparator_and_wording(by_name):
    assert by_name["百元医疗收入（不含药品收入）中消耗的卫生材料"]["direction"] == "lower_is_better"   # 降到20元以下
    assert by_name["晴雨预报准确率"]["direction"] == "higher_is_better"


def test_names_are_normalised_for_sharing():
    assert normalise_name("全市 农村卫生厕所普及率") == "农村卫生厕所普及率"
    assert normalise_name("药占比（不含中药饮片）") == "药占比(不含中药饮片)"


def test_ids_are_stable_slugs_in_order_of_first_appearance(indicator_rows):
    assert indicator_rows and set(indicator_rows[0]) == set(INDICATOR_COLUMNS)
    ids = [r["indicator_id"] for r in indicator_rows]
    assert ids == [f"ind-{n:03d}" for n in range(1, len(ids) + 1)]
    lines = [int(r["line"]) for r in indicator_rows]
    assert lines == sorted(lines)
    assert len({r["name"] for r in indicator_rows}) == len(indicator_rows)
    assert all(r["direction"] in ("higher_is_better", "lower_is_better") for r in indicator_rows)


def test_every_target_points_at_an_indicator(extraction, indicator_rows):
    known = {r["indicator_id"] for r in indicator_rows}
    assert all(r["indicator_id"] in known for r in extraction.table("targets").rows)


def test_indicator_names_come_from_the_text_at_their_line(source, indicator_rows):
    # T6/T10 names are whole cells; a target's indicator is cut from its sentence, possibly as verb +
    # object around the value (聘请1名法律顾问 → 聘请法律顾问): every character is on the line.
    for row in indicator_rows:
        window = "".join(source.line(n) for n in range(int(row["line"]), int(row["line"]) + 3))
        window = re.sub(r"\s", "", window)
        if "指标" in row["description"][:30]:
            assert row["name"] in window, row
        else:
            name = row["name"] if row["name"] in window else row["name"].removesuffix("比例")   # 60%以上的X → X比例
            assert all(c in window for c in name), row
