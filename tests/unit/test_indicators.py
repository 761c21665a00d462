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
    assert by_name["管理成本占当年总支出比例"]["direction"] == "lower_is_better"        # 不得超过…的10%
    assert by_name["每天训练（含早操）时长"]["direction"] == "lower_is_better"          # 一般不得多于3.5个小时
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


# words that naming adds to a target's subject (indicators.measured_quantity), not printed on the line
GENERATED_WORDS = re.compile(r"数量|人数|户数|次数|人次|面积|比例|增长率|提高幅度|时长|天数|周期|学时|的企业|占|数")


def test_indicator_names_come_from_the_text_at_their_line(source, indicator_rows):
    # T6/T10 names are whole cells; a target's indicator is the subject or object of its phrase plus
    # the word that says what is measured (培育20家知识产权示范企业 → 知识产权示范企业数量): every
    # other character is on the line.
    for row in indicator_rows:
        window = "".join(source.line(n) for n in range(int(row["line"]), int(row["line"]) + 3))
        window = re.sub(r"\s", "", window)
        if "指标" in row["description"][:30]:
            assert row["name"] in window, row
        else:
            stem = GENERATED_WORDS.sub("", row["name"])
            assert all(c in window for c in stem), row


@pytest.mark.parametrize(
    ("line", "value", "name"),
    [
        (184, "7", "政府法律顾问人数"),                      # 按照市、县两级政府分别不少于7人、5人的标准，建立…法律顾问队伍
        (1162, "1.5", "残疾人就业比例"),                     # 不低于本单位在职职工人数的1.5%的比例安排残疾人就业
        (5838, "40", "医务人员经费支出占业务支出比例"),       # 逐步提高医务人员经费支出占业务支出（…）比例，力争到2017年占比不低于40%
        (624, "10", "管理成本占当年总支出比例"),             # 管理成本不得超过当年总支出的10%
        (780, "30", "科技企业孵化器数量"),                   # 全市科技企业孵化器达到30家
        (2375, "20", "知识产权示范企业数量"),                # 培育20家知识产权示范企业
        (2375, "10", "通过《企业知识产权管理规范》国家标准认证的企业数量"),
        (5212, "20", "固定资产投资增长率"),                  # 全市固定资产投资增长20%以上
        (1836, "10", "新增卫生乡镇数量"),
        (1836, "60", "新增卫生村数量"),                      # …、20个卫生社区和60个卫生村: the list's verb
        (1009, "1", "应急供应网点数量"),                     # 应急 is not the modal 应
        (1764, "60", "一般性转移支付占比"),                  # 一般性 is not the adverb 一般
        (5335, "2", "木本油料作物面积"),                     # 扩大种植以核桃…等为主的木本油料作物2—10万亩
        (232, "40", "行政执法人员年度培训学时"),             # 年度培训不少于40学时的规定
    ],
)
def test_indicator_names_name_the_measured_quantity(extraction, line, value, name):
    targets = find_targets(extraction.context)
    found = [t.indicator_name for t in targets if t.line == line and t.value == value]
    assert name in found, found


def test_the_same_quantity_in_two_documents_shares_one_indicator(extraction):
    targets = find_targets(extraction.context)
    # 知识产权试点企业: 达到100家 (2375) and 各县要培育10家以上 (2398)
    pilot = {t.indicator_id for t in targets if (t.line, t.value) in ((2375, "100"), (2398, "10"))}
    assert len(pilot) == 1
    # 限上商贸企业销售额占全市社会消费品零售总额比例: 达到25% (subject) and …的30% (share of a base)
    share = {t.indicator_id for t in targets if t.line == 6574 and t.unit == "%"}
    assert len(share) == 1
    # 全科医生人数 (9251 每万名居民2—3名, 9353 每万名城市居民2名以上) across the two standards
    doctors = {t.indicator_name for t in targets if t.line in (9251, 9353) and t.unit == "名"}
    assert doctors == {"合格的全科医生人数", "全科医生人数"}
