"""Targets scored against hand annotations, the way the issue-3 judge scores them.

The fixtures in ``tests/fixtures/annotations/targets_*.json`` were annotated by reading the source
lines (source-catalog §1 and §5: what counts as a target, what is a rule parameter), NOT from the
extractor's output, for seven documents that the extractor's own tests do not use. Each annotation
gives line, comparator, value (value_high for ranges), unit, due year and a short verbatim.

Matching follows the judge: same document, line within ±2, same value; then comparator, unit and
due year are checked on the matched pairs. An annotation marked ``"optional": true`` is a borderline
case (printed as a standard but arguably a rule parameter): a prediction that matches it is
neither rewarded nor penalised. Run ``python tests/unit/test_target_annotations.py`` for the
per-document table.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from dagster_project.extraction.source import remove_whitespace

ANNOTATIONS = Path(__file__).resolve().parent.parent / "fixtures" / "annotations"
LINE_TOLERANCE = 2
BAR = 0.95


def load_annotations() -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(ANNOTATIONS.glob("targets_*.json"))]


@dataclass
class DocumentScore:
    doc_id: str
    gold: int
    predicted: int
    matched: int
    attribute_errors: list[str]
    missed: list[str]
    spurious: list[str]
    attributes_checked: int
    wrong_pairs: list[tuple[tuple, tuple]]   # (wanted, got) as (comparator, value_high, unit, due year)

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0


def _due_year(row: dict) -> int | None:
    return int(row["due_date"][:4]) if row["due_date"] else None


def score_document(annotation: dict, rows: list[dict]) -> DocumentScore:
    """Greedy one-to-one matching: exact line first, then the nearest line within the tolerance."""
    gold = list(annotation["targets"])
    predicted = [r for r in rows if r["doc_id"] == annotation["doc_id"]]
    free_gold = set(range(len(gold)))
    pairs: list[tuple[dict, dict]] = []
    unmatched_predictions = []
    for distance in range(LINE_TOLERANCE + 1):
        still = []
        for row in (predicted if distance == 0 else unmatched_predictions):
            hit = next(
                (i for i in sorted(free_gold)
                 if gold[i]["value"] == row["value"] and abs(gold[i]["line"] - int(row["line"])) == distance),
                None,
            )
            if hit is None:
                still.append(row)
            else:
                free_gold.discard(hit)
                pairs.append((gold[hit], row))
        unmatched_predictions = still
    real_pairs = [(g, r) for g, r in pairs if not g.get("optional")]
    errors, wrong_pairs = [], []
    for g, r in real_pairs:
        got = (r["comparator"], r["value_high"], r["unit"], _due_year(r))
        want = (g["comparator"], g["value_high"], g["unit"], g["due_year"])
        if got != want:
            errors.append(f"{g['line']} {g['verbatim']}: want {want}, got {got}")
            wrong_pairs.append((want, got))
    return DocumentScore(
        doc_id=annotation["doc_id"],
        gold=sum(1 for g in gold if not g.get("optional")),
        predicted=len(predicted) - (len(pairs) - len(real_pairs)),
        matched=len(real_pairs),
        attribute_errors=errors,
        missed=[f"{gold[i]['line']} {gold[i]['value']}{gold[i]['unit']} {gold[i]['verbatim']}"
                for i in sorted(free_gold) if not gold[i].get("optional")],
        spurious=[f"{r['line']} {r['value']}{r['unit']} {r.get('verbatim', '')}" for r in unmatched_predictions],
        attributes_checked=len(real_pairs),
        wrong_pairs=wrong_pairs,
    )


def attribute_accuracy(scores: list[DocumentScore]) -> dict[str, float]:
    """Share of matched (non-optional) targets whose comparator (with value_high) / unit / due year is right."""
    checked = sum(s.attributes_checked for s in scores)
    wrong = {"comparator": 0, "unit": 0, "due_year": 0}
    for want, got in (pair for s in scores for pair in s.wrong_pairs):
        wrong["comparator"] += want[:2] != got[:2]
        wrong["unit"] += want[2] != got[2]
        wrong["due_year"] += want[3] != got[3]
    return {k: 1 - v / checked if checked else 1.0 for k, v in wrong.items()}


def score_all(rows: list[dict]) -> tuple[list[DocumentScore], dict[str, float]]:
    scores = [score_document(a, rows) for a in load_annotations()]
    gold = sum(s.gold for s in scores)
    predicted = sum(s.predicted for s in scores)
    matched = sum(s.matched for s in scores)
    precision = matched / predicted if predicted else 1.0
    recall = matched / gold if gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    totals = {"gold": gold, "predicted": predicted, "matched": matched,
              "precision": precision, "recall": recall, "f1": f1}
    totals.update(attribute_accuracy(scores))
    return scores, totals


def report(rows: list[dict]) -> str:
    scores, totals = score_all(rows)
    out = [f"{'doc':24} gold pred match   P     R"]
    for s in scores:
        out.append(f"{s.doc_id:24} {s.gold:4} {s.predicted:4} {s.matched:5} {s.precision:5.2f} {s.recall:5.2f}")
        out += [f"    missed   {m}" for m in s.missed]
        out += [f"    spurious {m}" for m in s.spurious]
        out += [f"    attr     {m}" for m in s.attribute_errors]
    out.append(" ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in totals.items()))
    return "\n".join(out)


# --- the fixtures themselves ----------------------------------------------------------------------------
@pytest.mark.parametrize("annotation", load_annotations(), ids=lambda a: a["doc_id"])
def test_annotations_are_well_formed_and_quote_their_lines(source, extraction, annotation):
    doc = extraction.context.document(annotation["doc_id"])
    assert [doc.line_start, doc.line_end] == annotation["lines"]
    for g in annotation["targets"]:
        assert doc.line_start <= g["line"] <= doc.line_end
        assert remove_whitespace(g["verbatim"]) in remove_whitespace(source.line(g["line"])), g
        assert g["comparator"] in (">=", "<=", "=", ">", "<", "between", "approx")
        assert (g["comparator"] == "between") == bool(g["value_high"]), g
        assert g["due_year"] is None or 2015 <= g["due_year"] <= 2025


def test_annotations_cover_the_seven_documents_of_the_brief():
    assert sorted(a["doc_id"] for a in load_annotations()) == [
        "bare-office-2015-168", "lz-2015-063", "lz-2015-065", "lz-2015-072", "lz-2015-091", "lz-2015-115",
        "lzb-2015-063",
    ]
    assert sum(1 for a in load_annotations() for g in a["targets"] if not g.get("optional")) == 80


def test_the_scorer_penalises_misses_spurious_rows_and_wrong_attributes():
    annotation = {"doc_id": "d", "targets": [
        {"line": 10, "comparator": ">=", "value": "5", "value_high": "", "unit": "家", "due_year": 2017,
         "verbatim": "x"},
        {"line": 12, "comparator": "=", "value": "7", "value_high": "", "unit": "个", "due_year": None,
         "verbatim": "y"},
        {"line": 14, "comparator": "=", "value": "8", "value_high": "", "unit": "元", "due_year": None,
         "verbatim": "z", "optional": True},
    ]}

    def row(line, value, comparator="=", unit="个", due=""):
        return {"doc_id": "d", "line": line, "value": value, "value_high": "", "comparator": comparator,
                "unit": unit, "due_date": due}

    score = score_document(annotation, [row(11, "5", ">=", "家", "2017-12-31"), row(12, "9"), row(14, "8")])
    assert (score.gold, score.predicted, score.matched) == (2, 2, 1)   # the optional match is neutral
    assert len(score.missed) == 1 and len(score.spurious) == 1 and score.attribute_errors == []
    wrong = score_document(annotation, [row(12, "5", "=", "家", "2017-12-31"), row(14, "7")])
    assert wrong.matched == 2 and len(wrong.attribute_errors) == 1   # ±2 lines match; comparator wrong
    assert attribute_accuracy([wrong]) == {"comparator": 0.5, "unit": 1.0, "due_year": 1.0}
    assert score_document(annotation, [row(15, "5", ">=", "家")]).matched == 0   # 3 lines off: no match


# --- the extractor against the fixtures -------------------------------------------------------------------
@pytest.fixture(scope="module")
def rows(extraction):
    return extraction.table("targets").rows


def test_targets_reach_the_judges_bar_on_the_annotated_documents(rows):
    scores, totals = score_all(rows)
    assert totals["f1"] >= BAR, report(rows)
    for attribute in ("comparator", "unit", "due_year"):
        assert totals[attribute] >= BAR, (attribute, report(rows))


def test_no_annotated_document_falls_far_below_the_bar(rows):
    scores, _ = score_all(rows)
    weak = {s.doc_id: (round(s.precision, 2), round(s.recall, 2)) for s in scores
            if min(s.precision, s.recall) < 0.85}
    assert weak == {}, report(rows)


if __name__ == "__main__":   # pragma: no cover - a developer's report
    from dagster_project.extraction.pipeline import extract

    source_path = Path(__file__).resolve().parents[2] / "sources" / "langfang-2015-policy-documents.txt"
    print(report(extract(source_path).table("targets").rows))
