"""The 16 printed ways of naming responsible bodies (source-catalog §4, forms A–P), on real lines."""
from __future__ import annotations

import pytest

from dagster_project.extraction.assignments import (
    CO,
    LEAD,
    LinedText,
    bracket_groups,
    find_annotations,
    find_prose_subjects,
    find_responsibility_lines,
    parse_group_closer,
    parse_phrase,
    split_printed,
)
from dagster_project.extraction.context import ExtractionContext
from dagster_project.extraction.documents import find_documents
from dagster_project.extraction.tables import find_tables


def lined(source, first: int, last: int | None = None, tab_cell: bool = False) -> LinedText:
    parts = [(n, source.line(n)) for n in range(first, (last or first) + 1)]
    return LinedText.build(parts, separator="、" if tab_cell else "")


def roles(found) -> list[tuple[str, str]]:
    return [(p.name, p.role) for p in found]


@pytest.fixture(scope="module")
def tables(source):
    ctx = ExtractionContext(source=source, documents=find_documents(source))
    return {t.table_id: t for t in find_tables(ctx)}


# --- 4.1 tables -------------------------------------------------------------------------------------
def test_form_a_separate_lead_and_co_columns(tables):
    row = tables["T1"].rows[4]   # 287 | 288
    lead = parse_phrase(LinedText.build(row.cells[2].parts, "、"), LEAD)
    co = parse_phrase(LinedText.build(row.cells[3].parts, "、"), CO)
    assert roles(lead) == [("市工商局", LEAD), ("市政务办", LEAD)]
    assert roles(co) == [("市国税局", CO), ("市地税局", CO), ("市质监局", CO)]
    assert {p.line for p in lead} == {287} and {p.line for p in co} == {288}


def test_form_b_one_column_list_is_all_lead(source):
    found = parse_phrase(lined(source, 669), LEAD)
    assert [p.name for p in found] == ["市民政局", "市国税局", "市地税局", "市科技局", "市财政局", "市工商局", "市文广新局"]
    assert {p.role for p in found} == {LEAD}
    # 2499: the trailing 等部门 is "etc.", not a body.
    assert [p.name for p in parse_phrase(lined(source, 2499))][-1] == "市林业局"


def test_form_c_lead_and_co_in_one_cell(source):
    assert roles(parse_phrase(lined(source, 2647))) == [
        ("市发改委", LEAD), ("市商务局", LEAD), ("市国税局", CO), ("市地税局", CO), ("市质监局", CO)]
    found = roles(parse_phrase(lined(source, 2642)))
    assert found[0] == ("市商务局", LEAD) and found[-2:] == [("各县（市、区）政府", CO), ("廊坊开发区管委会", CO)]
    assert roles(parse_phrase(lined(source, 3238))) == [
        ("市国税局", LEAD), ("地税局", LEAD), ("市财政局", CO), ("市商务局", CO)]
    assert roles(parse_phrase(lined(source, 3243)))[2:] == [("各县（市、区）政府", CO), ("廊坊开发区管委会", CO)]
    # 3228 分别负责 with no lead before it: all lead; 3293 X、Y负责: lead.
    assert {p.role for p in parse_phrase(lined(source, 3228))} == {LEAD}
    assert roles(parse_phrase(lined(source, 3293))) == [("廊坊海关", LEAD), ("人行廊坊市中心支行", LEAD)]


def test_form_d_one_department_per_line_with_blank_lines(tables):
    cell = tables["T8"].rows[0].cells[3]   # 3476, then 3478 … 3492 continuation lines
    found = parse_phrase(LinedText.build(cell.parts, "、"), CO)
    assert [p.name for p in found] == [
        "市发改委", "市人社局", "市国土局", "市农业局", "市建设局", "市房管局", "市卫计委", "市教育局", "市民政局"]
    assert [p.line for p in found] == [3476, 3478, 3480, 3482, 3484, 3486, 3488, 3490, 3492]
    t3 = tables["T3"].rows[0].cells[3]   # 1229 市财政局, 1231 市残联
    assert [(p.name, p.line) for p in parse_phrase(LinedText.build(t3.parts, "、"), CO)] == [
        ("市财政局", 1229), ("市残联", 1231)]


# --- 4.2 bracketed annotations -------------------------------------------------------------------
def test_form_e_trailing_bracket_list(source):
    assert roles(find_annotations(lined(source, 776))) == [
        ("市科技局", LEAD), ("市发改委", LEAD), ("市教育局", LEAD), ("市工信局", LEAD)]
    # 778: 〔…〕 because （市、区） nests inside; brackets are matched by depth.
    assert [p.name for p in find_annotations(lined(source, 778))] == ["市科技局", "各县（市、区）政府", "廊坊开发区管委会"]
    # 799: the typo 市教育局是工信局 is two bodies.
    assert [p.name for p in find_annotations(lined(source, 799))][2:4] == ["市教育局", "工信局"]


def test_form_f_labelled_responsibility_bracket(source):
    found = find_annotations(lined(source, 843))
    assert [p.name for p in found] == [
        "市财政局", "市科技局", "市教育局", "市工信局", "市商务局", "各县（市、区）政府", "廊坊开发区管委会"]
    assert {p.role for p in found} == {LEAD}
    # 2351: two annotations in one item, both kept in printed order.
    assert [p.name for p in find_annotations(lined(source, 2351))] == [
        "中国银监会廊坊监管分局", "市人民银行", "市发改委", "市财政局", "市政府金融办"]
    # 2792: （责任单位：…各县（市、区）政府…） nests round brackets.
    assert [p.name for p in find_annotations(lined(source, 2792))][-2:] == ["各县（市、区）政府", "廊坊开发区管委会"]


def test_form_g_separate_responsibility_line(source):
    found = find_responsibility_lines([(1826, source.line(1826))])
    assert [(p.name, p.role, p.line) for p in found] == [
        ("市卫计委", LEAD, 1826), ("市环保局", LEAD, 1826), ("市水务局", LEAD, 1826)]
    assert len(find_responsibility_lines([(1822, source.line(1822))])) == 9


def test_form_h_huitong(source):
    found = roles(find_annotations(lined(source, 1694)))
    assert found[0] == ("市人社局", LEAD) and found[1] == ("市发改委", CO) and ("人行廊坊中心支行", CO) in found
    found = roles(find_annotations(lined(source, 1696)))
    assert found[:3] == [("市人社局", LEAD), ("市教育局", LEAD), ("市发改委", CO)]
    assert roles(find_annotations(lined(source, 1740))) == [
        ("国家统计局廊坊调查队", LEAD), ("市农民工工作联席会议其他成员单位", CO)]
    assert {p.role for p in find_annotations(lined(source, 1738))} == {LEAD}


def test_form_i_lead_with_others_by_duty(source):
    found = roles(find_annotations(lined(source, 4429)))
    assert found[0] == ("人行廊坊市中心支行", LEAD) and {r for _, r in found[1:]} == {CO} and len(found) == 7
    assert {p.role for p in find_annotations(lined(source, 4427))} == {LEAD}   # no 牵头: all lead
    # 9012: half-width 各县(市、区) inside a full-width bracket.
    assert [p.name for p in find_annotations(lined(source, 9012))][0] == "各县(市、区)政府"


def test_form_j_responsible_with_relevant_departments(source):
    assert roles(find_annotations(lined(source, 5212))) == [("市发改委", LEAD), ("有关部门", CO)]
    assert roles(find_annotations(lined(source, 5218))) == [
        ("市建设局", LEAD), ("市县城办", LEAD), ("各县（市）政府", LEAD), ("有关部门", CO)]


def test_form_k_labels_lead_and_co(source):
    found = roles(find_annotations(lined(source, 5266)))
    assert found[0] == ("市商务局", LEAD) and found[-1] == ("市供销社", CO) and len(found) == 7
    assert roles(find_annotations(lined(source, 5464))) == [("市政务办", LEAD), ("市政府有关部门", CO)]
    assert roles(find_annotations(lined(source, 5466)))[:3] == [
        ("市发改委", LEAD), ("市政务办", LEAD), ("市政府信用办", LEAD)]


def test_form_l_short_names_without_city_prefix(source):
    assert roles(find_annotations(lined(source, 9381))) == [
        ("市质监局", LEAD), ("工商局", CO), ("编办", CO), ("民政局", CO), ("其他登记管理部门", CO)]
    assert roles(find_annotations(lined(source, 9387))) == [
        ("各县（市、区）政府", LEAD), ("市司法局", LEAD), ("总工会", LEAD), ("卫计委", LEAD),
        ("其他登记管理部门", LEAD), ("质监局", CO)]


# --- 4.3 prose ------------------------------------------------------------------------------------
def test_form_m_body_as_subject_in_prose(source):
    # 1030: 负责, 负责, then 市粮食局统筹抓好 (another verb); 市有关部门 / 各级财政部门 are not bodies.
    assert roles(find_prose_subjects(lined(source, 1030))) == [
        ("市农业局", LEAD), ("市国土资源局", LEAD), ("市粮食局", LEAD)]
    assert roles(find_prose_subjects(lined(source, 7294))) == [("市工信局", LEAD)]
    found = roles(find_prose_subjects(lined(source, 5166)))
    assert found[0] == ("市审改办（市编办）", LEAD) and ("市法制办", CO) in found
    assert roles(find_prose_subjects(lined(source, 1619))) == [
        ("市科技局", LEAD), ("市财政局", CO), ("发改委", CO), ("工信局", CO)]
    found = roles(find_prose_subjects(lined(source, 2257)))   # 市发改委会同市财政局……等部门，建立……
    assert found[0] == ("市发改委", LEAD) and found[-1] == ("中国银监会廊坊监管分局", CO) and len(found) == 7
    # 18: "X是……的牵头单位；市编委办负责……；市人力资源和社会保障局根据……", in printed order.
    assert roles(find_prose_subjects(lined(source, 18))) == [
        ("廊坊军分区", LEAD), ("市编委办", LEAD), ("市人力资源和社会保障局", LEAD)]
    # 9121: 市编办负责同志 is a person, not the verb 负责.
    assert roles(find_prose_subjects(lined(source, 9121))) == [("市体育局", LEAD)]


def test_form_m_bodies_acting_with_other_verbs(source):
    # 9399 市工商局、质监局尽快完成 (the bare 质监局 continues a list); 5155 市审改办（市编办）组织市政府有关部门.
    assert roles(find_prose_subjects(lined(source, 9399))) == [("市工商局", LEAD), ("质监局", LEAD)]
    assert roles(find_prose_subjects(lined(source, 5155))) == [("市审改办（市编办）", LEAD)]
    # 985 农业发展银行等金融机构要…; 989 财政部门要… (a functional name), 农业发展银行要…
    assert roles(find_prose_subjects(lined(source, 985))) == [("农业发展银行", LEAD)]
    assert roles(find_prose_subjects(lined(source, 989))) == [("财政部门", LEAD), ("农业发展银行", LEAD)]
    # 5772 …市工业和信息化局做好配合: the subject helps.
    assert ("市工业和信息化局", CO) in roles(find_prose_subjects(lined(source, 5772)))
    # Not bodies: 1999 红十字会要… (bare, the kind of body in general), 1013 粮食、工商、质监、物价等部门要…,
    # 1864 各县（市、区）政府、廊坊开发区管委会要… (regions) — only 市爱国卫生运动委员会要… is kept there.
    assert find_prose_subjects(lined(source, 1999)) == []
    assert find_prose_subjects(lined(source, 1013)) == []
    assert roles(find_prose_subjects(lined(source, 1864))) == [("市爱国卫生运动委员会", LEAD)]


def test_form_n_functional_names(source):
    found = [p.name for p in find_prose_subjects(lined(source, 4351))]
    assert found[:2] == ["统计部门", "发展改革部门"]
    assert "工业和信息化部门" in [p.name for p in find_prose_subjects(lined(source, 881))]


def test_form_o_vice_mayor_groups(source):
    found = parse_group_closer(5529, source.line(5529))
    assert [(p.name, p.role, p.line) for p in found] == [("李波常务副市长", LEAD, 5529), ("喻华锋副市长", CO, 5529)]
    assert roles(parse_group_closer(5553, source.line(5553))) == [("贾永清副市长", LEAD), ("喻华锋副市长", CO)]
    assert roles(parse_group_closer(5626, source.line(5626))) == [("王彦涛副市长", LEAD)]
    assert parse_group_closer(5509, source.line(5509)) == []


def test_form_p_office_hosted_by(source):
    assert roles(find_prose_subjects(lined(source, 4349))) == [("市统计局", LEAD)]   # 领导小组办公室设在市统计局
    assert roles(find_prose_subjects(lined(source, 937))) == [("市政府金融办", LEAD)]


# --- building blocks ------------------------------------------------------------------------------
def test_brackets_are_matched_by_depth(source):
    text = lined(source, 9387).text
    groups = [text[a:b] for a, b in bracket_groups(text)]
    assert groups[-1].startswith("（各县（市、区）政府，") and groups[-1].endswith("质监局配合）")


def test_split_keeps_nested_brackets_and_drops_etc(source):
    lt = LinedText.build([(323, "市审计局、市法制办等有关部门")])
    assert split_printed(lt) == [("市审计局", 323), ("市法制办", 323)]
    lt = LinedText.build([(1, "各县（市、区）政府、廊坊开发区管委会")])
    assert [n for n, _ in split_printed(lt)] == ["各县（市、区）政府", "廊坊开发区管委会"]


def test_glosses_in_brackets_are_not_departments(source):
    # 2269 （PPP）, 603 （国发〔2014〕61号）-style references name no body.
    assert find_annotations(lined(source, 2269)) == []
    assert find_annotations(LinedText.build([(1, "认真贯彻《国发〔2014〕67号》文件（以下简称《办法》）。")])) == []
