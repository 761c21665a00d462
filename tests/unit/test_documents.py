"""The document registry against the hand-made list of 82 documents (source-catalog §3)."""
from collections import Counter
from datetime import date

import pytest

from dagster_project.extraction.documents import classify_form, classify_genre, document_id

FORMS = {"direct": "direct", "印发通知": "issuing-notice", "转发通知": "forwarding-notice"}


def test_all_82_documents_are_found_in_order(extraction, oracle_documents):
    assert [d.doc_no for d in extraction.documents] == [o["doc_no"] for o in oracle_documents]


@pytest.mark.parametrize("field", ["title", "line_start", "line_end", "number_line", "date_line"])
def test_each_field_agrees_with_the_oracle(extraction, oracle_documents, field):
    mismatches = [
        (o["idx"], getattr(d, field), o[field])
        for d, o in zip(extraction.documents, oracle_documents)
        if getattr(d, field) != o[field]
    ]
    assert mismatches == []


def test_signature_dates_agree_and_two_documents_have_none(extraction, oracle_documents):
    got = [d.issued_on.isoformat() if d.issued_on else None for d in extraction.documents]
    assert got == [o["issued_on"] for o in oracle_documents]
    assert [d.doc_no for d in extraction.documents if d.issued_on is None] == ["廊政〔2015〕59号", "廊政〔2015〕118号"]


def test_forms_agree_with_the_oracle(extraction, oracle_documents):
    assert [d.form for d in extraction.documents] == [FORMS[o["form"]] for o in oracle_documents]
    assert Counter(d.form for d in extraction.documents) == {"direct": 46, "issuing-notice": 33, "forwarding-notice": 3}


def test_issuers(extraction):
    issuers = Counter(d.issuer for d in extraction.documents)
    assert issuers == {"廊坊市人民政府": 35, "廊坊市人民政府办公室": 46, "廊坊市人民政府、廊坊军分区": 1}
    assert extraction.documents[0].issuer == "廊坊市人民政府、廊坊军分区"


def test_genre_counts_match_the_catalogue(extraction):
    # source-catalog §0: 实施意见 27; 通知 20; 实施方案 8; 办法 6; 意见 4; 决定 3; 三定 3; 实施细则 2; nine singles.
    counts = Counter(d.genre for d in extraction.documents)
    assert counts["实施意见"] == 27 and counts["通知"] == 20 and counts["实施方案"] == 8
    assert counts["办法"] == 6 and counts["意见"] == 4 and counts["决定"] == 3 and counts["规定"] == 3
    assert counts["实施细则"] == 2
    singles = {"措施", "通报", "工作要点", "落实意见", "规划", "考核办法", "规则", "工作方案", "行动计划"}
    assert {g: counts[g] for g in singles} == {g: 1 for g in singles}


def test_doc_ids_are_unique_although_numbers_collide(extraction):
    ids = [d.doc_id for d in extraction.documents]
    assert len(set(ids)) == 82
    by_no = {d.doc_no: d.doc_id for d in extraction.documents}
    assert by_no["廊政〔2015〕91号"] != by_no["〔2015〕91号"]
    assert by_no["〔2015〕91号"] == "bare-office-2015-091"
    assert by_no["〔2015〕17号"] == "bare-gov-2015-017"


def test_bare_numbers_stay_bare(extraction):
    bare = [d.doc_no for d in extraction.documents if d.doc_no.startswith("〔")]
    assert len(bare) == 36 and "〔2015〕181号" in bare


def test_title_layout_spaces_are_removed(extraction):
    titles = {d.doc_no: d.title for d in extraction.documents}
    assert titles["廊政〔2015〕59号"] == "关于深入推进依法行政加快建设法治政府的实施意见"  # printed 实  施  意  见
    assert all(" " not in t and "\u3000" not in t for t in titles.values())


def test_document_id_slugs():
    assert document_id("廊政", "2015", "54", "廊坊市人民政府") == "lz-2015-054"
    assert document_id("廊政办", "2015", "40", "廊坊市人民政府办公室") == "lzb-2015-040"
    assert document_id(None, "2015", "181", "廊坊市人民政府办公室") == "bare-office-2015-181"


@pytest.mark.parametrize(
    "title, form, genre",
    [
        ("关于印发廊坊市中医药健康服务发展规划（2015—2020年）的通知", "issuing-notice", "规划"),
        ("转发市体育局等部门关于进一步加强运动员文化教育和运动员保障工作实施意见的通知", "forwarding-notice", "实施意见"),
        ("印发廊坊市推行环境污染第三方治理实施意见的通知", "issuing-notice", "实施意见"),
        ("关于印发政府向社会力量购买服务审计监督办法（试行）的通知", "issuing-notice", "办法"),
        ("关于清理规范市政府部门行政许可中介服务事项的决定", "direct", "决定"),
        ("关于调整廊坊市环境空气质量奖惩办法部分内容的通知", "direct", "通知"),
    ],
)
def test_form_and_genre_classification(title, form, genre):
    assert classify_form(title) == form
    assert classify_genre(title, form) == genre


def test_unknown_genre_is_an_error_not_a_guess():
    with pytest.raises(ValueError, match="genre"):
        classify_genre("关于某事的备忘", "direct")


def test_first_document_is_dated_from_its_signature(extraction):
    assert extraction.documents[0].issued_on == date(2015, 7, 28)
