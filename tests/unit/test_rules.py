"""The row rules are declared once (submissions/rules.py): every rule of the bulk kind is also settled by the
bulk path's SQL, or says why it need not be; every reason code and message belongs to a declared rule."""
from __future__ import annotations

import pytest

from dagster_project.submissions import bulk_csv
from dagster_project.submissions.engine import blank
from dagster_project.submissions.formats import FIELDS
from dagster_project.submissions.reasons import FILE_CODES, MESSAGES, REASON_CODES
from dagster_project.submissions.rules import (BULK_KIND, DOUBTFUL, PLAN, PROGRESS_RULES, RULES, Rule, doubtful_sql,
                                               sure_bad_sql)


def test_every_rule_of_the_bulk_kind_has_a_sql_predicate_or_a_disposition():
    on_python_only = [(r.code, r.column) for r in RULES[BULK_KIND] if r.sql is None and r.bulk is None]
    assert not on_python_only, f"rules the bulk path's SQL does not check (large CSVs would load them): {on_python_only}"
    for rule in RULES[BULK_KIND]:
        assert rule.bulk in (None, DOUBTFUL, PLAN), rule
        assert rule.bulk != PLAN or rule.sql is None, f"{rule.code}: a plan rule never reaches SQL"


def test_the_bulk_path_runs_the_sql_compiled_from_the_declarations():
    assert bulk_csv._SURE_BAD == sure_bad_sql(PROGRESS_RULES)
    assert bulk_csv._DOUBTFUL == doubtful_sql(PROGRESS_RULES)
    for rule in PROGRESS_RULES:
        if rule.sql is not None:
            assert f"coalesce(({rule.sql}), false)" in bulk_csv._SURE_BAD + bulk_csv._DOUBTFUL, rule.code


def test_a_rule_on_the_python_path_only_cannot_be_compiled():
    new = Rule("invalid_status", "status", lambda t: blank(t, "status"))
    with pytest.raises(ValueError, match="invalid_status on status: no SQL predicate and no disposition"):
        sure_bad_sql((*PROGRESS_RULES, new))


def test_a_rule_is_a_row_level_reason_with_a_message():
    with pytest.raises(ValueError):
        Rule("unreadable_file", None, lambda t: blank(t, "status"))
    with pytest.raises(ValueError):
        Rule("future_date", "period", lambda t: blank(t, "period"), message_code="no_such_message")
    with pytest.raises(ValueError):
        Rule("future_date", "period", lambda t: blank(t, "period"), bulk="later")
    assert Rule("future_date", "period", lambda t: blank(t, "period")).message_code == "future_date"


def test_every_row_reason_and_every_message_belongs_to_a_declared_rule():
    declared = [rule for rules in RULES.values() for rule in rules]
    assert {r.code for r in declared} == set(REASON_CODES) - set(FILE_CODES)
    assert {r.message_code for r in declared} == set(MESSAGES)


def test_each_rule_checks_a_field_of_its_kind_or_the_whole_row():
    for kind, rules in RULES.items():
        assert {r.column for r in rules} <= {*FIELDS[kind], None}, kind
        assert {r.column for r in rules if r.code == "cell_too_long"} == set(FIELDS[kind]), kind


def test_each_kind_checks_its_long_cells_first_and_its_duplicates_last():
    for kind, rules in RULES.items():
        codes = [r.code for r in rules]
        first_other = next(i for i, c in enumerate(codes) if c != "cell_too_long")
        assert "cell_too_long" not in codes[first_other:], kind
        assert codes[-2:] == ["conflicting_rows", "duplicate_row"], kind


def test_every_declared_kind_has_its_rules_and_its_validator():
    """A kind declared in submissions/kinds/ without rules or a validator would load unchecked or not at all."""
    from dagster_project.submissions.kinds import KINDS
    from dagster_project.submissions.rules import RULES
    from dagster_project.submissions.sheets import VALIDATORS

    assert set(RULES) == set(KINDS) == set(VALIDATORS)
    for name, rules in RULES.items():
        codes = {rule.code for rule in rules}
        assert {"missing_value", "conflicting_rows", "duplicate_row"} <= codes, name
        assert {rule.column for rule in rules if rule.code == "missing_value"} == set(KINDS[name].required_fields), name
