"""The hand-reviewed policy area of each document."""
from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest

from dagster_project.extraction import policy_areas as pa
from dagster_project.extraction.context import ExtractionContext
from dagster_project.extraction.documents import find_documents

CORE_AREAS = ("法治政府", "医疗卫生", "科技创新", "金融", "生态环境", "农业农村", "社会保障", "营商环境",
              "城市建设", "机构编制", "质量标准", "文化体育")


@pytest.fixture(scope="module")
def ctx(source) -> ExtractionContext:
    return ExtractionContext(source=source, documents=find_documents(source))


@pytest.fixture(scope="module")
def rows(ctx):
    (table,) = pa.extract_tables(ctx)
    assert table.name == "document_policy_areas"
    assert tuple(table.columns) == ("doc_id", "policy_area")
    return table.rows


def test_exactly_one_row_per_document_in_source_order(rows, ctx):
    assert len(rows) == 82
    assert [r["doc_id"] for r in rows] == [d.doc_id for d in ctx.documents]


def test_the_list_is_the_core_twelve_plus_at_most_four(rows):
    assert set(CORE_AREAS) <= set(pa.POLICY_AREAS)
    assert len(pa.POLICY_AREAS) <= len(CORE_AREAS) + 4
    assert {r["policy_area"] for r in rows} <= set(pa.POLICY_AREAS)
    for area, definition in pa.POLICY_AREAS.items():
        zh, _, en = definition.partition(" / ")
        assert zh and en, area          # every area has a zh and an en definition


def test_every_area_is_used(rows):
    used = Counter(r["policy_area"] for r in rows)
    assert set(used) == set(pa.POLICY_AREAS)
    # The three 三定 regulations (8345–8850) and nothing else are 机构编制.
    assert used["机构编制"] == 3


@pytest.mark.parametrize("doc_id, area", [
    ("lz-2015-059", "法治政府"),          # 依法行政加快建设法治政府: the title says it
    ("bare-gov-2015-024", "金融"),        # 科技金融深度融合: its measures are 科技信贷, 担保, 上市 (4427 ff.)
    ("bare-office-2015-158", "机构编制"), # 卫计委主要职责内设机构和人员编制规定
    ("bare-office-2015-125", "社会保障"), # 城镇居民大病保险: social medical insurance, not health services
    ("bare-office-2015-107", "医疗卫生"), # 爱国卫生运动委员会
    ("lzb-2015-052", "生态环境"),         # 差别水价: aims at 节约用水 (5653)
    ("bare-office-2015-164", "生态环境"), # 土地管理和矿产资源领域专项整治
    ("lz-2015-086", "政务管理"),          # 市对下转移支付: public finance
    ("bare-office-2015-135", "商贸流通"), # 服务外包示范城市, led by 市商务局 (7224)
])
def test_spot_checks(rows, doc_id, area):
    assert {r["doc_id"]: r["policy_area"] for r in rows}[doc_id] == area


def test_a_document_without_an_entry_fails_loudly(ctx, monkeypatch):
    table = dict(pa.DOCUMENT_POLICY_AREAS)
    del table["lz-2015-054"]
    monkeypatch.setattr(pa, "DOCUMENT_POLICY_AREAS", table)
    with pytest.raises(ValueError, match="lz-2015-054"):
        pa.extract_tables(ctx)


def test_an_entry_for_an_unknown_document_fails_loudly(ctx):
    renamed = [replace(d, doc_id="lz-2015-999") if d.doc_id == "lz-2015-054" else d for d in ctx.documents]
    with pytest.raises(ValueError, match="lz-2015-054"):
        pa.extract_tables(ExtractionContext(source=ctx.source, documents=renamed))


def test_an_area_outside_the_list_fails_loudly(ctx, monkeypatch):
    monkeypatch.setattr(pa, "DOCUMENT_POLICY_AREAS", {**pa.DOCUMENT_POLICY_AREAS, "lz-2015-054": "就业"})
    with pytest.raises(ValueError, match="就业"):
        pa.extract_tables(ctx)
