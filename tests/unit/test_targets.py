"""Quantitative targets (source-catalog §1, §5): forms, rule parameters, provenance, hand-annotated documents."""
from __future__ import annotations

import re
from collections import Counter

import pytest

from dagster_project.extraction.source import remove_whitespace
from dagster_project.extraction.targets import COMPARATORS, TARGET_COLUMNS, find_mentions, find_targets


@pytest.fixture(scope="module")
def targets(extraction):
    return find_targets(extraction.context)


@pytest.fixture(scope="module")
def rows(extraction):
    return extraction.table("targets").rows


def on_line(targets, line):
    return [t for t in targets if t.line == line]


def one(targets, line, value, unit=None):
    found = [t for t in on_line(targets, line) if t.value == value and (unit is None or t.unit == unit)]
    assert len(found) == 1, (line, value, [(t.value, t.unit, t.verbatim) for t in on_line(targets, line)])
    return found[0]


# --- the forms of §5, each on a real line ------------------------------------------------------------
@pytest.mark.parametrize(
    ("line", "value", "unit", "comparator", "verbatim"),
    [
        (9349, "95", "%", ">=", "基层医疗卫生机构建设达标率≥95%"),                     # ≥
        (924, "100", "家", ">=", "全市企业挂牌上市总数力争达到100家以上"),               # 以上
        (232, "40", "学时", ">=", "严格落实行政执法人员年度培训不少于40学时"),            # 不少于
        (5836, "80", "%", ">=", "专业技术人员在县级公立医院所占比例不低于80%"),          # 不低于
        (184, "1", "名", ">=", "政府工作部门和乡镇至少聘请1名法律顾问"),                # 至少
        (843, "1", "家", ">=", None),                                                  # 最少
        (5823, "20", "元", "<=", "百元医疗收入（不含药品收入）中消耗的卫生材料降到20元以下"),  # 以下 / 降到
        (624, "10", "%", "<=", "基金会工作人员工资福利和行政办公支出等管理成本不得超过当年总支出的10%"),  # 不得超过
        (6139, "5", "%", "<=", None),                                                  # 一般不超过…的5%
        (9095, "3.5", "个小时", "<=", "每天训练（含早操）一般不得多于3.5个小时"),         # 不得多于
        (928, "100", "家", "approx", "储备数量动态保持在100家左右"),                     # 左右
        (5823, "30", "%", "approx", "县级公立医院药占比（不含中药饮片）总体降到30%左右"),   # 降到…左右
        (1060, "88", "%", ">=", "晴雨预报准确率提高到88%以上"),                          # 提高到
        (9351, "90", "%", "approx", "县域内就诊率提高到90%左右"),
        (1082, "95", "%", ">", None),                                                  # 超过
        (2379, "4000", "件", ">", "专利申请量突破4000件"),                               # 突破
        (1828, "6.8", "万户", "=", "完成6.8万户农村户厕改造任务"),                         # printed unit kept
        (770, "125", "亿元", "=", "科技服务业总收入达到125亿元"),                          # plain 达到
        (9022, "5", "个百分点", "=", "各县（市、区）规上制造业企业通过质量管理体系认证率提高5个百分点"),
    ],
)
def test_comparator_forms(targets, line, value, unit, comparator, verbatim):
    target = one(targets, line, value, unit)
    assert target.comparator == comparator
    if verbatim is not None:
        assert target.verbatim == verbatim


@pytest.mark.parametrize(
    ("line", "low", "high", "unit"),
    [
        (9251, "2", "3", "名"),        # 2—3名 (U+2014)
        (243, "2", "3", "次"),         # 每年至少组织2—3次; the table's 2-3次 (line 588) is the same target
        (5996, "3", "5", "年"),        # 每3-5年 (ASCII hyphen)
        (1009, "10", "15", "天"),      # 10至15天
        (5335, "2", "10", "万亩"),     # 2—10万亩
        (785, "1", "2", "个"),         # 1至2个
    ],
)
def test_ranges_are_between(targets, line, low, high, unit):
    found = [t for t in on_line(targets, line) if (t.value, t.value_high, t.unit) == (low, high, unit)]
    assert [t.comparator for t in found] == ["between"]
    assert not on_line(targets, 588)


def test_respectively_lists_give_one_target_per_value_with_its_own_indicator(targets, rows):
    # 9366: …社区卫生服务中心、乡镇卫生院、社区卫生服务站、村卫生室占同类机构比例分别达到100%、100%、85%、70%
    listed = [t for t in on_line(targets, 9366) if t.comparator == "="]
    assert [t.value for t in listed] == ["100", "100", "85", "70"]
    assert [t.indicator_name for t in listed] == [
        "提供中医药服务的社区卫生服务中心占同类机构比例",
        "提供中医药服务的乡镇卫生院占同类机构比例",
        "提供中医药服务的社区卫生服务站占同类机构比例",
        "提供中医药服务的村卫生室占同类机构比例",
    ]
    assert len({r["indicator_id"] for r in rows if r["line"] == 9366}) == 5
    # 184: 按照市、县两级政府分别不少于7人、5人的标准 → two >= targets, scope 市 / 县两级政府
    seven, five = one(targets, 184, "7", "人"), one(targets, 184, "5", "人")
    assert (seven.comparator, five.comparator) == (">=", ">=")
    assert seven.scope != five.scope


def test_numbers_in_chinese_characters(targets):
    # 9351: 至少拥有一所二级甲等综合医院和一所二级甲等中医医院 → two targets of 1, both >=
    assert [(t.value, t.comparator) for t in on_line(targets, 9351) if t.unit == "所"] == [("1", ">="), ("1", ">=")]
    assert one(targets, 5976, "1", "所").verbatim == "原则上每个行政村有一所集体举办的村卫生室"
    assert one(targets, 5602, "2", "场").verbatim == "举办两场残疾人就业专场招聘会"      # 两 → 2
    assert one(targets, 804, "100", "名").verbatim == "选派百名高技能科技特派员"          # 百名 → 100
    assert one(targets, 804, "1", "万名").unit == "万名"                                  # 万名: unit kept
    assert one(targets, 9121, "1", "次").comparator == ">="                               # 每年至少召开一次


def test_full_width_percent_and_spaced_percent_are_normalised(targets):
    # 2379: 增长15％以上 (full-width ％); 5844: 覆盖30％以上 in the 20l5 line
    assert one(targets, 2379, "15", "%").verbatim == "专利申请量和授权量增长15％以上"
    assert one(targets, 5844, "30", "%").due_date == "2015-12-31"
    # 1422: 「12 %」 with a space is a tax deduction ceiling: the mention parses, the rule is not a target
    mentions = find_mentions(1422, "在年度利润总额12 %以内的部分")
    assert [(m.value, m.unit, m.comparator) for m in mentions] == [("12", "%", "<=")]
    assert not on_line(targets, 1422)


def test_doubling_and_approximations(targets):
    doubling = one(targets, 1690, "2", "倍")
    assert (doubling.comparator, doubling.verbatim) == (">=", "平均收入比2010年翻一番以上")
    assert one(targets, 1690, "100", "万").comparator == "approx"          # 近百万
    assert one(targets, 1690, "60", "万").comparator == "approx"           # 60万左右


def test_clock_times_frequencies_and_relative_years(targets):
    # 6584: 营业时间延长至22时，周末及节假日营业时间延长至22时30分 → 22 and 22.5 (decimal hours, unit 时)
    assert [(t.value, t.unit) for t in on_line(targets, 6584)] == [("22", "时"), ("22.5", "时")]
    # 8953: 综合性事项每季度、专项工作每个月向市政府报告一次 → one frequency target per subject
    assert [(t.value, t.unit, t.scope) for t in on_line(targets, 8953)] == [
        ("1", "次", "综合性事项"), ("1", "次", "专项工作")]
    # 9160: 到明年2月份…全部实现…信用信息7天“双公示” (明年 = the year after the document's)
    publicity = one(targets, 9160, "7", "天")
    assert publicity.due_date == "2016-02-29"
    # 6574: 在“十二五”末…达到800亿元…的基础上 is the 2015 level the document (of 2015-12-31) still requires
    assert one(targets, 6574, "800", "亿元").due_date == "2015-12-31"
    assert one(targets, 6574, "1270", "亿元").due_date == "2020-12-31"


# --- what must NOT be a target (§1 规则参数, 纯时限, 现状) ------------------------------------------------
@pytest.mark.parametrize(
    ("line", "why"),
    [
        (5669, "water-price tiers: 超过定额小于20%…按政府规定水价的1.5倍征收"),
        (5665, "price mark-ups: 每吨加价不低于4元"),
        (7014, "reimbursement bands: 0—10万元部分…补偿70%"),
        (7393, "fines: 以50万元为起罚基数…加罚1万元"),
        (6333, "score grades: A级（108分及以上）"),
        (1149, "a subsidy mark-up: 上浮30%"),
        (2387, "an interest subsidy: 贷款总额1%最高不超过20万元的贴息"),
        (3987, "subsidies: 20%…最高不超过80万元"),
        (4549, "tax rates: 减按15%的税率"),
        (1559, "prize money: 4万元、2万元、0.5万元"),
        (3871, "overdue surcharges: 逾期6个月以内的增加15%"),
        (4000, "thresholds: 20万元以上大中型仪器设备资源数据库"),
        (18, "a pure time limit: 在6个月内"),
        (8947, "pure time limits: 7个工作日内"),
        (190, "the current state: 273项改革任务"),
        (8438, "an organisation chart: 设19个内设机构"),
        (4152, "a list label: 模范集体名单（30个）"),
    ],
)
def test_rule_parameters_time_limits_and_facts_are_not_targets(targets, line, why):
    assert on_line(targets, line) == [], why


def test_only_the_variety_targets_of_line_975_count(targets):
    # 以我市6个省级农作物新品种区域试验站为依托 describes the present; 5年内推广…3—5个 is a target
    assert [(t.value, t.value_high) for t in on_line(targets, 975)] == [("3", "5"), ("2", "3"), ("4", "5")]


def test_subsidy_bands_of_843_are_not_targets_but_its_goals_are(targets):
    assert [(t.comparator, t.value, t.unit) for t in on_line(targets, 843)] == [(">=", "1", "家"), ("=", "40", "家")]


# --- provenance and shape -----------------------------------------------------------------------------
def test_every_verbatim_occurs_on_its_line(source, rows):
    for row in rows:
        text = remove_whitespace(source.line(int(row["line"])))
        assert remove_whitespace(row["verbatim"]) in text, row
        assert row["verbatim"]


def test_values_units_and_comparators_are_well_formed(rows):
    assert rows and set(rows[0]) == set(TARGET_COLUMNS)
    for row in rows:
        assert re.fullmatch(r"\d+(?:\.\d+)?", row["value"]), row
        assert row["comparator"] in COMPARATORS
        assert (row["comparator"] == "between") == bool(row["value_high"]), row
        assert "％" not in row["unit"] and " " not in row["unit"]
        assert row["due_date"] == "" or re.fullmatch(r"20\d\d-\d\d-\d\d", row["due_date"])
        assert row["indicator_id"].startswith("ind-")


def test_ids_are_per_document_and_in_source_order(rows):
    ids = [r["target_id"] for r in rows]
    assert len(set(ids)) == len(ids)
    for row in rows:
        assert re.fullmatch(rf"{re.escape(row['doc_id'])}-g\d{{3}}", row["target_id"])
    per_doc: dict[str, list[int]] = {}
    for row in rows:
        per_doc.setdefault(row["doc_id"], []).append(int(row["line"]))
    assert all(lines == sorted(lines) for lines in per_doc.values())


def test_a_target_repeated_in_the_annex_table_counts_once(targets):
    # 廊政〔2015〕59号: the body (184–243) is repeated in the table (314–588); 廊政〔2015〕75号 likewise.
    assert [t.line for t in targets if t.doc_id == "lz-2015-059"] == [184, 184, 184, 213, 217, 232, 238, 243]
    assert not [t for t in targets if t.doc_id == "lz-2015-075" and t.line > 1217]


def test_due_dates_from_time_anchors(targets):
    assert one(targets, 770, "125").due_date == "2017-12-31"       # 到2017年
    assert one(targets, 770, "195").due_date == "2020-12-31"       # 到2020年 later on the same line
    assert one(targets, 614, "1").due_date == "2017-12-31"         # 到2017年底
    assert one(targets, 6574, "1270").due_date == "2020-12-31"     # 到“十三五”末
    assert one(targets, 5602, "3000").due_date == "2015-12-31"     # 年底前
    assert one(targets, 9355, "70").due_date == "2017-12-31"       # 到2017年，…达到以下标准： (line 9347)
    assert one(targets, 1828, "6.8").due_date == "2015-12-31"      # 到2015年底完成
    assert one(targets, 232, "40").due_date == ""                   # a standing standard


def test_scopes(targets):
    assert one(targets, 9353, "2").scope == "每万名城市居民"
    assert one(targets, 1820, "1").scope == "每100户"
    assert one(targets, 1828, "80").scope == "全市"
    quotas = on_line(targets, 7313)
    assert [(t.value, t.scope) for t in quotas] == [
        ("150", "三河市、廊坊开发区"),
        ("100", "香河县、广阳区、安次区、固安县、霸州市"),
        ("60", "大厂县、永清县、文安县、大城县"),
    ]


# --- hand-annotated documents, checked exactly --------------------------------------------------------
# (line, comparator, value, value_high, unit, due year) — annotated by reading the lines, not the output.
HAND_ANNOTATED = {
    # 〔2015〕181号 分级诊疗, lines 9219–9366 (the oracle says 18; we read 19: both 一所 of 9351 count)
    "bare-office-2015-181": [
        (9251, "between", "2", "3", "名", None),
        (9349, ">=", "95", "", "%", 2017),
        (9349, ">=", "65", "", "%", 2017),
        (9351, ">=", "1", "", "所", 2017),
        (9351, ">=", "1", "", "所", 2017),
        (9351, "approx", "90", "", "%", 2017),
        (9353, ">=", "2", "", "名", 2017),
        (9353, ">=", "1", "", "名", 2017),
        (9353, ">=", "30", "", "%", 2017),
        (9355, ">=", "70", "", "%", 2017),
        (9357, ">=", "50", "", "%", 2017),
        (9359, ">=", "80", "", "%", 2017),
        (9361, ">=", "10", "", "%", 2017),
        (9364, ">=", "40", "", "%", 2017),
        (9366, "=", "100", "", "%", 2017),
        (9366, "=", "100", "", "%", 2017),
        (9366, "=", "85", "", "%", 2017),
        (9366, "=", "70", "", "%", 2017),
        (9366, ">=", "30", "", "%", 2017),
    ],
    # 廊政〔2015〕74号 气象现代化, lines 1038–1125 (oracle 20); 3KM×3KM is one target
    "lz-2015-074": [
        (1060, ">=", "88", "", "%", 2017),
        (1060, ">=", "30", "", "分钟", 2017),
        (1060, ">=", "70", "", "%", 2017),
        (1060, ">=", "95", "", "%", 2017),
        (1062, "=", "70", "", "%", 2015),
        (1064, "=", "85", "", "%", 2016),
        (1066, "=", "95", "", "%", 2017),
        (1072, "=", "36", "", "个", 2017),
        (1072, "=", "1", "", "个", 2017),
        (1072, "=", "1", "", "个", 2017),
        (1072, "=", "2", "", "个", 2017),
        (1072, "=", "3", "", "个", 2017),
        (1072, "=", "27", "", "个", 2017),
        (1082, ">", "95", "", "%", 2017),
        (1082, ">", "90", "", "%", 2017),
        (1091, "=", "3", "", "KM", 2017),
        (1091, "=", "3", "", "小时", 2017),
        (1107, ">=", "80", "", "分", 2017),
        (1113, "=", "100", "", "%", 2017),
    ],
    # 廊政办〔2015〕44号 稳增长, lines 5191–5253 (oracle 25); 10亿元以上 is a project class, not a target
    "lzb-2015-044": [
        (5212, "=", "33", "", "项", None),
        (5212, "=", "120", "", "项", None),
        (5212, "=", "93", "", "项", None),
        (5212, "=", "1000", "", "项", 2015),
        (5212, "=", "300", "", "项", 2015),
        (5212, "=", "700", "", "项", 2015),
        (5212, ">=", "20", "", "%", 2015),
        (5212, "=", "100", "", "%", 2015),
        (5216, ">=", "15", "", "%", 2015),
        (5218, "=", "35", "", "项", None),
        (5218, "=", "1", "", "个", None),
        (5218, "=", "1", "", "个", None),
        (5220, "=", "248", "", "所", None),
        (5220, "=", "1.6", "", "万套", None),
        (5220, "=", "113", "", "项", None),
        (5222, "between", "1", "2", "个", None),
        (5222, "=", "15", "", "万户", None),
        (5232, "=", "24", "", "家", 2015),
        (5232, "=", "40", "", "家", 2015),
        (5238, ">=", "60", "", "%", None),
        (5253, "=", "1", "", "次", None),
        (5253, "=", "1", "", "次", None),
        (5253, "=", "1", "", "次", None),
        (5253, "=", "1", "", "次", None),
    ],
}


@pytest.mark.parametrize("doc_id", sorted(HAND_ANNOTATED))
def test_hand_annotated_documents_exactly(targets, doc_id):
    got = [
        (t.line, t.comparator, t.value, t.value_high, t.unit, int(t.due_date[:4]) if t.due_date else None)
        for t in targets if t.doc_id == doc_id
    ]
    assert got == HAND_ANNOTATED[doc_id]


# --- per-document counts against the oracle -----------------------------------------------------------
TOLERANCE = 3          # per document, |ours - n_targets|
TOTAL_TOLERANCE = 15   # over all 82 documents, the sum of |ours - n_targets|


def test_per_document_counts_are_close_to_the_oracle(extraction, oracle_documents, rows):
    ours = Counter(r["doc_id"] for r in rows)
    differences = {
        d.doc_no: (ours.get(d.doc_id, 0), o["n_targets"])
        for d, o in zip(extraction.documents, oracle_documents)
        if ours.get(d.doc_id, 0) != o["n_targets"]
    }
    assert all(abs(a - b) <= TOLERANCE for a, b in differences.values()), differences
    assert sum(abs(a - b) for a, b in differences.values()) <= TOTAL_TOLERANCE, differences
    exact = sum(1 for d in extraction.documents if d.doc_no not in differences)
    assert exact >= 70, differences   # of 82 documents


def test_documents_without_targets_get_none(extraction, oracle_documents, rows):
    ours = Counter(r["doc_id"] for r in rows)
    spurious = {d.doc_no: ours[d.doc_id] for d, o in zip(extraction.documents, oracle_documents)
                if o["n_targets"] == 0 and ours.get(d.doc_id)}
    assert spurious == {}


def test_privacy_lines_are_not_cited(rows):
    assert not {r["line"] for r in rows} & {5155, 7450, 9192, 9198}
