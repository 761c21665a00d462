"""Leading groups, committees, joint conferences and their members (source-catalog §6.4, §9.3, §9.4, §9.7).

Expected counts were made by hand from the source lines cited next to them.
"""
from __future__ import annotations

import re
from collections import Counter

import pytest

from dagster_project.extraction import leading_groups as lg
from dagster_project.extraction import organizations
from dagster_project.extraction.context import ExtractionContext
from dagster_project.extraction.documents import find_documents
from dagster_project.extraction.organizations import NameResolution
from dagster_project.extraction.source import remove_whitespace


@pytest.fixture(scope="module")
def ctx(source) -> ExtractionContext:
    # Only this extractor runs: the other modules are being written at the same time.
    return ExtractionContext(source=source, documents=find_documents(source))


@pytest.fixture(scope="module")
def tables(ctx):
    return {t.name: t for t in lg.extract_tables(ctx)}


@pytest.fixture(scope="module")
def groups(tables):
    return tables["leading_groups"].rows


@pytest.fixture(scope="module")
def members(tables):
    return tables["leading_group_members"].rows


def _group(groups, doc_id, name_part=""):
    found = [g for g in groups if g["doc_id"] == doc_id and name_part in g["name"]]
    assert len(found) == 1, found
    return found[0]


def _members_of(members, group_id):
    return [m for m in members if m["group_id"] == group_id]


def _member_at(members, line):
    found = [m for m in members if m["line"] == line]
    assert len(found) == 1, found
    return found[0]


# --- which bodies ---------------------------------------------------------------------------


def test_documents_with_a_member_list_are_exactly_the_oracles_17(groups, ctx, oracle_documents):
    with_list = {ctx.document(g["doc_id"]).doc_no for g in groups if g["has_member_list"]}
    assert with_list == {o["doc_no"] for o in oracle_documents if o["has_leading_group_list"]}
    assert len(with_list) == 17


def test_the_13_groups_of_151_are_listed_in_the_order_of_its_index_lines_7579_7607(groups, source):
    got = [g["name"] for g in groups if g["doc_id"] == "bare-office-2015-151"]
    index = [re.sub(r"^\d+\.", "", remove_whitespace(source.line(n))) for n in range(7579, 7608)]
    assert got == [entry for entry in index if entry]
    assert len(got) == 13


def test_group_ids_are_per_document_slugs_in_source_order(groups):
    assert len({g["group_id"] for g in groups}) == len(groups)
    by_doc: dict[str, list[dict]] = {}
    for g in groups:
        by_doc.setdefault(g["doc_id"], []).append(g)
    for doc_id, rows in by_doc.items():
        assert [g["group_id"] for g in rows] == [f"{doc_id}-grp{n:02d}" for n in range(1, len(rows) + 1)]
        assert [g["line"] for g in rows] == sorted(g["line"] for g in rows)


def test_names_come_from_the_list_title_or_the_intro_sentence(groups):
    # Title above the list, two lines joined and 成员名单 dropped (38 + 40).
    g = _group(groups, "lz-2015-054")
    assert (g["name"], g["line"]) == ("廊坊市军人随军家属就业安置工作领导小组", 38)
    # Title wrapped over two lines (7933–7935).
    g = _group(groups, "bare-office-2015-151", "薄弱学校")
    assert (g["name"], g["line"]) == ("市全面改善义务教育薄弱学校基本办学条件领导小组", 7933)
    # No title: the sentence introducing the list (6755, 7334 “…联席会议制度”, 4020 “聘任…为…”).
    assert _group(groups, "bare-office-2015-096")["name"] == "廊坊市邮件、快件安全管理工作领导小组"
    assert _group(groups, "bare-office-2015-141")["name"] == "廊坊市企业上市工作联席会议"
    assert (_group(groups, "bare-gov-2015-017")["name"], _group(groups, "bare-gov-2015-017")["line"]) == (
        "第三届政府法制咨询委员会", 4020)


def test_bodies_only_mentioned_have_no_member_list(groups):
    g = _group(groups, "lz-2015-063")
    assert (g["name"], g["line"], g["has_member_list"]) == ("廊坊市促进慈善事业健康发展领导小组", 651, False)
    # Two bodies on one line (6606) keep their order on the line.
    assert [g["name"] for g in groups if g["line"] == 6606] == ["促消费领导协调小组", "廊坊市促消费联席会议"]
    mentioned = [g for g in groups if not g["has_member_list"]]
    assert len(mentioned) == len(lg.PROSE_GROUPS) - 1   # all but 〔2015〕135号, which names its members


def test_kinds(groups):
    kinds = {g["name"]: g["kind"] for g in groups}
    assert kinds["廊坊市标准化委员会"] == "committee"
    assert kinds["市全民健身工作联席会议"] == "joint_conference"
    assert kinds["促消费领导协调小组"] == "leading_group"
    assert kinds["市质评委"] == "committee"


def test_every_name_is_printed_on_its_line(groups, source):
    for g in groups:
        window = "".join(remove_whitespace(source.line(n)) for n in range(g["line"], min(g["line"] + 4, len(source) + 1)))
        assert g["name"] in window, g


# --- offices --------------------------------------------------------------------------------


@pytest.mark.parametrize("doc_id, name_part, office", [
    ("lz-2015-054", "", "市人社局"),                 # 74 “领导小组办公室设在市人社局”
    ("bare-gov-2015-031", "", "市工信局"),           # 4760
    ("bare-office-2015-115", "", "市发改委"),        # 6977 “领导小组下设办公室，办公室设在市发改委”
    ("bare-gov-2015-022", "", "市统计局"),           # 4349, in the body: the list (4413) names none
    ("bare-office-2015-151", "学生军训", "廊坊军分区"),  # 7985
    ("bare-office-2015-151", "新型农村合作医疗", "市计委"),  # 7797, misprint of 市卫计委 (§9.6)
    ("bare-office-2015-163", "", "市环保局"),        # 8885 “专家委下设联络办公室，设在市环保局”
    ("bare-office-2015-146", "", "市商务局"),        # 7450, a line that also has a phone number
    ("bare-gov-2015-017", "", ""),                   # no office printed
])
def test_office_seat_as_printed(ctx, doc_id, name_part, office):
    found = [g for g in lg.find_leading_groups(ctx) if g.doc_id == doc_id and name_part in g.name]
    assert len(found) == 1
    assert found[0].office_as_printed == office


# --- members --------------------------------------------------------------------------------


@pytest.mark.parametrize("doc_id, expected", [
    ("lz-2015-054", 16),            # 42–72: 1 组长, 3 副组长, 12 成员
    ("bare-gov-2015-017", 31),      # 4022–4085: 名誉主任, 主任, 29 委员 (4026 is the label line only)
    ("bare-office-2015-096", 10),   # 6757–6775: 1 + 2 + 7
    ("bare-office-2015-107", 39),   # 6829–6905
    ("bare-office-2015-155", 29),   # 8227–8298: 1 主任, 2 副主任, 26 委员
    ("bare-office-2015-135", 4),    # 7224: named in the sentence
])
def test_member_counts_per_document(groups, members, doc_id, expected):
    ids = {g["group_id"] for g in groups if g["doc_id"] == doc_id}
    assert sum(1 for m in members if m["group_id"] in ids) == expected


def test_member_counts_of_the_13_groups_of_151(groups, members):
    counts = [len(_members_of(members, g["group_id"])) for g in groups if g["doc_id"] == "bare-office-2015-151"]
    # 7611–7657, 7663–7763, 7769–7795, 7801–7849, 7855–7903, 7909–7929, 7937–7949, 7955–7983,
    # 7989–8013, 8019–8067, 8073–8129, 8135–8167 (8161–8163 is one member), 8173–8223
    assert counts == [24, 51, 14, 25, 25, 11, 7, 15, 13, 25, 29, 16, 26]


def test_roles_by_rank(groups, members):
    g = _group(groups, "lz-2015-054")
    roles = Counter(m["role"] for m in _members_of(members, g["group_id"]))
    assert roles == {"组长": 1, "副组长": 3, "成员": 12}
    g = _group(groups, "bare-office-2015-151", "全民健身")   # 8073 “召 集 人：”, 8075 “副召集人：”, 8079 “成□□员：”
    roles = Counter(m["role"] for m in _members_of(members, g["group_id"]))
    assert roles == {"召集人": 1, "副召集人": 2, "成员": 26}
    g = _group(groups, "bare-office-2015-156")               # 8310 “组□□□长：”, 8312 “常务副组长：”, 8314 “副□组□长：”
    roles = Counter(m["role"] for m in _members_of(members, g["group_id"]))
    assert roles == {"组长": 1, "常务副组长": 1, "副组长": 4, "成员": 9}
    assert _member_at(members, 7336)["role"] == "主持人"
    assert _member_at(members, 4022)["role"] == "名誉主任"
    assert _member_at(members, 4028)["role"] == "委员"


@pytest.mark.parametrize("line, role, name, position", [
    (42, "组长", "李波", "市委常委、市政府常务副市长"),     # “组  长：李  波  市委常委…”: ASCII padding everywhere
    (5031, "组长", "贾永清", "市政府副市长"),               # “组　长：贾永清  市政府副市长”: mixed padding
    (6923, "组长", "冯韶慧", "市长"),                       # “组  长：冯韶慧  市长”
    (4708, "组长", "王曦", "副市长"),                       # “组  长：王　曦　副市长”
    (8073, "召集人", "刘文萍", "市政府副市长"),             # “召 集 人：”
])
def test_padding_is_removed_from_labelled_lines(source, line, role, name, position):
    parsed = lg.parse_member_line(source.line(line))
    assert (parsed.label, parsed.person_name, parsed.position_text) == (role, name, position)


def test_unlabelled_lines_inherit_the_rank_above(members):
    assert (_member_at(members, 6761)["role"], _member_at(members, 6761)["person_name"]) == ("副组长", "弓耀宗")
    assert (_member_at(members, 64)["role"], _member_at(members, 64)["person_name"]) == ("成员", "穆强")


def test_label_line_with_a_remark_is_no_member(source, members):
    parsed = lg.parse_member_line(source.line(4026))   # “委　　员：（以姓氏笔画为序）”
    assert (parsed.label, parsed.person_name, parsed.note) == ("委员", None, "（以姓氏笔画为序）")
    assert not [m for m in members if m["line"] == 4026]


def test_wrapped_unit_name_is_joined(members):
    m = _member_at(members, 8161)      # 8161 “…廊坊市分” + 8163 “公司副总经理”
    assert m["person_name"] == "马新跃"
    assert m["position_text"] == "廊坊邮政速递物流股份有限公司廊坊市分公司副总经理"
    assert not [x for x in members if x["line"] == 8163]
    assert _member_at(members, 8165)["person_name"] == "耿强"   # the next member is still read


def test_name_variants_are_kept_as_printed(members):
    assert _member_at(members, 5035)["person_name"] == "左德江"
    assert _member_at(members, 7619)["person_name"] == "左德江"
    assert _member_at(members, 6941)["person_name"] == "左得江"
    assert _member_at(members, 7757)["person_name"] == "辛谨"
    assert _member_at(members, 8057)["person_name"] == "辛瑾"


def test_special_names(members, source):
    assert _member_at(members, 6895)["person_name"] == "爱新觉罗·闿娜"
    assert _member_at(members, 6895)["position_text"] == "市妇联副主席"
    # 4268 is from the honours list of 〔2015〕21号 (no group), the only place names carry notes.
    parsed = lg.parse_member_line(source.line(4268))   # “胡　倩（女，回族）　广阳区民族宗教事务局副主任科员”
    assert parsed.person_name == "胡倩"
    assert parsed.position_text == "（女，回族）广阳区民族宗教事务局副主任科员"


def test_members_named_in_a_sentence_7224(groups, members):
    g = _group(groups, "bare-office-2015-135")
    got = [(m["role"], m["person_name"], m["position_text"], m["line"]) for m in _members_of(members, g["group_id"])]
    assert got == [
        ("组长", "冯韶慧", "市委副书记、市长", 7224),
        ("常务副组长", "贾永清", "市委常委、副市长", 7224),
        ("办公室主任", "胡志福", "市政府副秘书长", 7224),
        ("办公室主任", "范增英", "市商务局局长", 7224),
    ]


def test_a_sentence_with_a_title_but_no_person_names_nobody():
    # 937 “建立由市长任组长，相关副市长为副组长…”; 9121 “成立由主管副市长任组长…”
    assert lg.parse_prose_members("建立由市长任组长，相关副市长为副组长", 937) == []
    assert lg.parse_prose_members("成立由主管副市长任组长，市体育局", 9121) == []


def test_every_member_value_is_printed_from_its_line(members, source):
    for m in members:
        window = "".join(remove_whitespace(source.line(n)) for n in range(m["line"], m["line"] + 4))
        assert m["person_name"] in window, m
        assert remove_whitespace(m["position_text"]) in window, m


# --- privacy --------------------------------------------------------------------------------


def test_contact_details_never_reach_the_output(tables, members):
    text = "\n".join(str(v) for t in tables.values() for row in t.rows for v in row.values())
    assert "@" not in text
    assert not re.search(r"\d{3,4}—\d{7,8}|\d{7,}", text)
    assert "李振东" not in text                      # 7450 “办公室联系人：李振东，联系电话：…”
    assert not [m for m in members if m["line"] in (5155, 7450, 9192, 9198)]


# --- organisation ids -----------------------------------------------------------------------

FAKE_REGISTRY = {
    "市政府": "lf-government", "市委": "lf-cpc", "市人社局": "lf-hrss", "廊坊海关": "langfang-customs",
    "市卫计委": "lf-health", "市综合执法局": "lf-enforcement", "三河市政府": "gov-sanhe", "市政府金融办": "lf-finance-office",
    "广阳区": "gov-guangyang",
}


@pytest.fixture
def fake_resolver(monkeypatch):
    def resolve_name(name: str) -> NameResolution:
        return NameResolution(name_as_printed=name, org_id=FAKE_REGISTRY.get(name))

    monkeypatch.setattr(organizations, "resolve_name", resolve_name)


@pytest.mark.parametrize("position, org_id", [
    ("市委常委、市政府常务副市长", "lf-government"),   # 42: the LAST part that resolves
    ("市委常委、常务副市长", "lf-government"),         # 6925: a city-leadership title alone
    ("副市长", "lf-government"),                       # 4379
    ("市委副书记、市长", "lf-government"),             # 7224
    ("市人社局局长", "lf-hrss"),                       # 46
    ("市人社局就业服务局局长", "lf-hrss"),             # 4738: unknown sub-unit backs off to its parent
    ("市综合执法局党组副书记、调研员", "lf-enforcement"),  # 6853: a bare title part changes nothing
    ("廊坊海关副关长、缉私分局局长", "langfang-customs"),  # 8159
    ("三河市政府市长", "gov-sanhe"),                   # 6957: a county's 市长 is not the city's
    ("中国政法大学", ""),                               # 4022: unknown stays empty
    ("广阳区委常委、常务副区长", "gov-guangyang"),     # 68: 广阳区委 unknown, backs off to 广阳区
    ("广阳区人民法院", ""),                             # 4083: a court never backs off to its region
])
def test_position_resolution(fake_resolver, position, org_id):
    assert lg.resolve_position(position) == org_id


def test_office_and_member_org_ids_are_filled_through_the_resolver(fake_resolver, source):
    ctx = ExtractionContext(source=source, documents=find_documents(source))
    found = {g.name: g for g in lg.find_leading_groups(ctx)}
    assert found["市新型农村合作医疗领导小组"].office_org_id == "lf-health"   # 7797 市计委 corrected
    assert found["廊坊市军人随军家属就业安置工作领导小组"].office_org_id == "lf-hrss"
    assert found["廊坊市军人随军家属就业安置工作领导小组"].members[0].org_id == "lf-government"


def test_extraction_is_deterministic(source):
    # (speed is measured by the benchmarks, never asserted in a test)
    runs = []
    for _ in range(2):
        ctx = ExtractionContext(source=source, documents=find_documents(source))
        runs.append([t.rows for t in lg.extract_tables(ctx)])
    assert runs[0] == runs[1]
