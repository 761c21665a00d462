"""Score the task extractor against documents annotated by hand, the way the issue-3 judge scores it.

The fixtures (tests/fixtures/annotations/tasks_*.json) were written by reading the source line by
line, not from the extractor's output. Each task is ``[line, task_ref, lead, co, deadline_text,
deadline_date]``; lead and co are the printed names joined by 、. The documents were chosen for their
different ways of naming departments (source-catalog §4): prose subjects (廊政〔2015〕73号), separate
责任单位： lines (廊政〔2015〕91号), （A牵头，B等部门按职责分工负责） (〔2015〕24号), （牵头单位：X，配合单位：Y）
(廊政办〔2015〕45号), a 负责单位 table (廊政〔2015〕116号), vice-mayor groups (廊政办〔2015〕50号) and a
牵头/配合 table with body items (廊政〔2015〕59号, lines 155–306 only).

Scoring (as the judge does it): a task matches an annotated one of the same document whose line is
within ±3 (one to one, nearest first). Departments are compared as sets per role, a name counting as
its resolved org_id when it resolves, else as printed (whitespace removed). "named" compares the
specific bodies only (generic phrases such as 有关部门 and region governments dropped on both sides);
"all" keeps them. A deadline is right when both are empty, or the dates are equal and one text
contains the other.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from dagster_project.extraction import organizations
from dagster_project.extraction.context import ExtractionContext
from dagster_project.extraction.documents import find_documents
from dagster_project.extraction.source import remove_whitespace
from dagster_project.extraction.tasks import find_assignments, find_tasks

ANNOTATIONS = Path(__file__).resolve().parent.parent / "fixtures" / "annotations"
LINE_TOLERANCE = 3
BAR = 0.95


@dataclass(frozen=True)
class Annotated:
    line: int
    ref: str
    lead: tuple[str, ...]
    co: tuple[str, ...]
    deadline_text: str
    deadline_date: str


def _names(joined: str) -> tuple[str, ...]:
    return tuple(n for n in joined.split("、") if n) if joined else ()


def load_annotations() -> list[dict]:
    documents = []
    for path in sorted(ANNOTATIONS.glob("tasks_*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        # 、 inside 各县（市、区）政府 must not split it: names are joined by 、 only at bracket depth 0.
        data["tasks"] = [
            Annotated(line, ref, tuple(organizations.split_names(lead)) if lead else (),
                      tuple(organizations.split_names(co)) if co else (), text, date)
            for line, ref, lead, co, text, date in data["tasks"]
        ]
        data["file"] = path.name
        documents.append(data)
    return documents


def _key(name: str) -> str:
    resolution = organizations.resolve_name(name)
    return resolution.org_id or remove_whitespace(name)


def _is_specific(name: str) -> bool:
    resolution = organizations.resolve_name(name)
    return not resolution.generic and not resolution.region_code


def department_keys(names: tuple[str, ...] | list[str], named_only: bool) -> frozenset[str]:
    return frozenset(_key(n) for n in names if not named_only or _is_specific(n))


def deadline_right(expected: Annotated, text: str, date: str) -> bool:
    if not expected.deadline_text:
        return not text
    if not text or expected.deadline_date != date:
        return False
    want, got = remove_whitespace(expected.deadline_text), remove_whitespace(text)
    return want in got or got in want


def match(expected: list[Annotated], got_lines: list[int]) -> dict[int, int]:
    """annotated index → extracted index, one to one, nearest lines first, within ±LINE_TOLERANCE."""
    pairs = sorted(
        (abs(e.line - g), i, j)
        for i, e in enumerate(expected) for j, g in enumerate(got_lines)
        if abs(e.line - g) <= LINE_TOLERANCE
    )
    used_e, used_g, result = set(), set(), {}
    for _, i, j in pairs:
        if i not in used_e and j not in used_g:
            used_e.add(i)
            used_g.add(j)
            result[i] = j
    return result


@dataclass
class Score:
    annotated: int = 0
    extracted: int = 0
    matched: int = 0
    named_exact: int = 0
    all_exact: int = 0
    deadline_right: int = 0
    ref_right: int = 0

    def add(self, other: "Score") -> None:
        for field in self.__dataclass_fields__:
            setattr(self, field, getattr(self, field) + getattr(other, field))

    @property
    def precision(self) -> float:
        return self.matched / self.extracted if self.extracted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.annotated if self.annotated else 1.0

    def share(self, count: int) -> float:
        return count / self.matched if self.matched else 1.0

    def line(self, label: str) -> str:
        return (f"{label:<22} tasks {self.annotated:3d}/{self.extracted:3d} matched {self.matched:3d}  "
                f"P {self.precision:.3f} R {self.recall:.3f}  depts named {self.share(self.named_exact):.3f} "
                f"all {self.share(self.all_exact):.3f}  deadline {self.share(self.deadline_right):.3f}  "
                f"ref {self.share(self.ref_right):.3f}")


def score_document(document: dict, tasks, by_task) -> tuple[Score, list[str]]:
    first, last = document["lines"]
    mine = [t for t in tasks if t.doc_id == document["doc_id"] and first <= t.line <= last]
    expected: list[Annotated] = document["tasks"]
    pairs = match(expected, [t.line for t in mine])
    score = Score(annotated=len(expected), extracted=len(mine), matched=len(pairs))
    problems: list[str] = []
    for i, e in enumerate(expected):
        if i not in pairs:
            problems.append(f"missed {e.line} {e.ref}")
            continue
        task = mine[pairs[i]]
        rows = by_task.get(task.task_id, [])
        lead = [a.name_as_printed for a in rows if a.role == "lead"]
        co = [a.name_as_printed for a in rows if a.role == "co"]
        named = (department_keys(lead, True) == department_keys(e.lead, True)
                 and department_keys(co, True) == department_keys(e.co, True))
        full = (department_keys(lead, False) == department_keys(e.lead, False)
                and department_keys(co, False) == department_keys(e.co, False))
        score.named_exact += named
        score.all_exact += full
        if not full:
            problems.append(f"{e.line} departments: want {'、'.join(e.lead)} | {'、'.join(e.co)}; "
                            f"got {'、'.join(lead)} | {'、'.join(co)}")
        right = deadline_right(e, task.deadline_text, task.deadline_date)
        score.deadline_right += right
        if not right:
            problems.append(f"{e.line} deadline: want {e.deadline_text!r} {e.deadline_date}; "
                            f"got {task.deadline_text!r} {task.deadline_date}")
        score.ref_right += task.task_ref == e.ref
    matched = set(pairs.values())
    problems += [f"extra {t.line} {t.task_ref}" for j, t in enumerate(mine) if j not in matched]
    return score, problems


@pytest.fixture(scope="module")
def scored(source):
    ctx = ExtractionContext(source=source, documents=find_documents(source))
    tasks, assignments = find_tasks(ctx), find_assignments(ctx)
    by_task: dict[str, list] = {}
    for a in assignments:
        by_task.setdefault(a.task_id, []).append(a)
    per_document = {d["file"]: score_document(d, tasks, by_task) for d in load_annotations()}
    total = Score()
    for score, _ in per_document.values():
        total.add(score)
    report = [score.line(name.removeprefix("tasks_").removesuffix(".json")) for name, (score, _) in per_document.items()]
    report.append(total.line("TOTAL"))
    for name, (_, problems) in per_document.items():
        report += [f"  {name}: {p}" for p in problems]
    print("\n" + "\n".join(report))
    return per_document, total


def test_the_annotations_are_well_formed(source):
    documents = load_annotations()
    assert len(documents) == 7
    assert sum(len(d["tasks"]) for d in documents) == 26 + 13 + 16 + 14 + 24 + 52 + 37
    for document in documents:
        lines = [t.line for t in document["tasks"]]
        assert lines == sorted(lines) and len(set(lines)) == len(lines), document["file"]
        first, last = document["lines"]
        assert all(first <= n <= last for n in lines), document["file"]
        for task in document["tasks"]:
            window = remove_whitespace("".join(source.line(n) for n in range(task.line, task.line + 8)))
            for name in task.lead + task.co:   # every annotated name is printed in the task's text
                assert remove_whitespace(name) in window or name.endswith("副市长"), (task.line, name)


def test_scorer_matches_within_three_lines_one_to_one():
    expected = [Annotated(10, "", (), (), "", ""), Annotated(12, "", (), (), "", "")]
    assert match(expected, [11, 13, 30]) == {0: 0, 1: 1}
    assert match(expected, [16]) == {}
    assert match(expected, [12]) == {1: 0}


def test_precision_and_recall_of_tasks(scored):
    per_document, total = scored
    assert total.precision >= BAR and total.recall >= BAR, total.line("TOTAL")
    for name, (score, _) in per_document.items():
        assert score.precision >= 0.9 and score.recall >= 0.9, score.line(name)


def test_lead_and_co_departments_are_exact(scored):
    _, total = scored
    assert total.share(total.named_exact) >= BAR, total.line("TOTAL")
    assert total.share(total.all_exact) >= BAR, total.line("TOTAL")


def test_deadlines(scored):
    _, total = scored
    assert total.share(total.deadline_right) >= BAR, total.line("TOTAL")
