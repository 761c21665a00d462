"""Every quoted value in the seeds occurs on (or across the lines starting at) the line it cites."""
import pytest

from dagster_project.extraction.source import remove_whitespace

# (table, quoted column, line column, how many lines the quote may run across)
QUOTED = [
    ("task_assignments", "name_as_printed", "line", 2),
    ("targets", "verbatim", "line", 2),
    ("organization_aliases", "alias", "line", 1),
    ("leading_groups", "name", "line", 3),
    ("leading_group_members", "person_name", "line", 1),
    # a table row's deadline cell sits below its task-text cell: allow the task's lines (see below)
    ("tasks", "deadline_text", "line", None),
]


def _text_from(source, line, span):
    return remove_whitespace("".join(source.line(n) for n in range(line, min(line + span, len(source) + 1))))


def _task_spans(extraction):
    """Lines from each task's cited line up to the next task of its document (or the document's end)."""
    ends = {d.doc_id: d.line_end for d in extraction.documents}
    tasks = sorted(extraction.table("tasks").rows, key=lambda t: (t["doc_id"], int(t["line"])))
    spans = {}
    for task, following in zip(tasks, tasks[1:] + [None]):
        same_doc = following is not None and following["doc_id"] == task["doc_id"]
        stop = int(following["line"]) if same_doc and int(following["line"]) > int(task["line"]) else ends[task["doc_id"]] + 1
        spans[task["task_id"]] = max(1, stop - int(task["line"]))
    return spans


@pytest.mark.parametrize("table, column, line_column, span", QUOTED, ids=[q[0] + "." + q[1] for q in QUOTED])
def test_quoted_values_occur_at_their_cited_line(extraction, source, table, column, line_column, span):
    rows = extraction.table(table).rows
    quoted = [r for r in rows if r[column]]
    assert quoted, f"{table}.{column} holds no value at all"
    spans = _task_spans(extraction) if span is None else {}
    missing = [
        (r[line_column], r[column]) for r in quoted
        if remove_whitespace(str(r[column]))
        not in _text_from(source, int(r[line_column]), span or spans[r["task_id"]])
    ]
    assert missing == []


def test_every_row_of_every_table_carries_a_source_line(extraction):
    for table in extraction.tables:
        if "line" not in table.columns:
            continue
        without = [r for r in table.rows if not str(r["line"]).isdigit()]
        assert without == [], table.name


def test_every_task_cites_a_line_inside_its_document(extraction):
    spans = {d.doc_id: (d.line_start, d.line_end) for d in extraction.documents}
    outside = [
        t["task_id"] for t in extraction.table("tasks").rows
        if not spans[t["doc_id"]][0] <= int(t["line"]) <= spans[t["doc_id"]][1]
    ]
    assert outside == []


def test_report_lists_per_document_counts_and_unresolved_names(extraction):
    from dagster_project.extraction.pipeline import report_lines

    lines = report_lines(extraction)
    assert any(line.startswith("lz-2015-054") for line in lines)
    unresolved_header = next(line for line in lines if line.startswith("unresolved named bodies"))
    count = int(unresolved_header.rsplit(":", 1)[1])
    assignments = extraction.table("task_assignments").rows
    assert count == sum(1 for a in assignments if not a["org_id"] and a["generic"] not in (True, "true"))
