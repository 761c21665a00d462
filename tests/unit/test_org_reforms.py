"""The 2015 reform rows read from the three 三定 regulations (source lines 8345–8850, source-catalog §6.2)."""
from __future__ import annotations

import pytest

from dagster_project.extraction import org_reforms, organizations
from dagster_project.extraction.context import ExtractionContext
from dagster_project.extraction.documents import find_documents
from dagster_project.extraction.org_reforms import CHANGES, REFORM_COLUMNS
from dagster_project.extraction.source import remove_whitespace


@pytest.fixture(scope="module")
def rows(source):
    ctx = ExtractionContext(source=source, documents=find_documents(source))
    (table,) = org_reforms.extract_tables(ctx)
    assert tuple(table.columns) == REFORM_COLUMNS
    return table.rows


def movements(rows, change):
    return [(r["from_org_id"], r["to_org_id"], r["line"]) for r in rows if r["change"] == change]


def test_three_regulations_each_establish_their_body(rows):
    established = [(r["org_id"], r["doc_id"], r["effective_on"], r["line"]) for r in rows if r["change"] == "established"]
    assert established == [
        ("lf-health-family-planning", "bare-office-2015-158", "2015-11-25", 8364),
        ("lf-quality-supervision", "bare-office-2015-159", "2015-11-25", 8562),
        ("lf-industry-commerce", "bare-office-2015-160", "2015-11-25", 8698),
    ]


def test_duties_moved_between_bodies(rows):
    assert movements(rows, "function_transferred") == [
        ("lf-development-reform", "lf-health-family-planning", 8380),        # 医改办职责
        ("lf-population-family-planning", "lf-development-reform", 8382),    # 人口发展战略
        ("lf-health-family-planning", "lf-food-drug", 8384),                 # 食品安全综合协调
        ("lf-quality-supervision", "lf-food-drug", 8568),                    # 生产环节食品安全
        ("lf-quality-supervision", "lf-food-drug", 8570),                    # 化妆品生产许可
        ("lf-industry-commerce", "lf-food-drug", 8704),                      # 流通环节食品安全
    ]


def test_predecessors_merged_into_the_health_commission(rows):
    assert movements(rows, "merged") == [
        ("lf-health-bureau", "lf-health-family-planning", 8364),
        ("lf-population-family-planning", "lf-health-family-planning", 8382),
    ]
    assert all("推断" in r["detail"] for r in rows if r["change"] == "merged")


def test_bodies_attached_to_internal_units(rows):
    assert movements(rows, "attached") == [
        ("lf-healthcare-reform-office", "lf-health-family-planning", 8452),
        ("lf-tcm-administration", "lf-health-family-planning", 8468),
    ]


def test_details_quote_their_line(rows, source):
    quoted = [r for r in rows if r["change"] != "merged"]
    assert quoted and all(remove_whitespace(str(r["detail"])) in remove_whitespace(source.line(r["line"])) for r in quoted)


def test_rows_are_in_source_order_and_reference_known_bodies(rows):
    assert [r["line"] for r in rows] == sorted(r["line"] for r in rows)
    known = set(organizations.ORG_BY_ID)
    assert all(r["org_id"] in known and r["to_org_id"] in known for r in rows)
    assert all(r["from_org_id"] in known for r in rows if r["change"] != "established")
    assert {r["change"] for r in rows} <= set(CHANGES)


def test_predecessor_validity_ends_the_day_before_the_regulation():
    health = organizations.ORG_BY_ID["lf-health-family-planning"]
    assert health.valid_from == "2015-11-25"
    assert organizations.ORG_BY_ID["lf-health-bureau"].valid_to == "2015-11-24"
