"""The dbt macros of target attainment, rendered by dbt itself and run on DuckDB: target_is_met over every
comparator at its boundaries (the truth table GX is held to in tests/unit/test_checks_comparators.py),
target_gap in each direction, ordered_sum and type_double. These macros are the one definition of
attainment: marts.fct_target_observation uses them, and the report and the checks read that mart."""
import duckdb
import pytest

from dagster_project.checks.comparators import approx_tolerance
from dagster_project.dbt_runner import invoke_dbt
from dagster_project.settings import load_settings
from tests.support.comparator_cases import CASES, GAP_CASES, TOL


@pytest.fixture(scope="module")
def render(tmp_path_factory):
    """dbt compile --inline: the SQL dbt renders for a snippet (its own target folder, in tmp)."""
    target = tmp_path_factory.mktemp("dbt_inline")
    settings = load_settings()

    def render(sql: str) -> str:
        # no --vars: dbt would parse the whole project again for every other set of vars
        result = invoke_dbt(settings, ["compile", "--quiet", "--inline", sql, "--target-path", str(target / "target"),
                                       "--log-path", str(target / "logs")])
        assert result.success, result.exception
        return result.result.results[0].node.compiled_code

    return render


def _number(value) -> str:
    return "cast(null as double)" if value is None else f"cast({value!r} as double)"


def _text(value) -> str:
    return "cast(null as varchar)" if value is None else f"'{value}'"


def test_target_is_met_decides_each_boundary_like_great_expectations(render):
    assert approx_tolerance(load_settings().dbt_project_dir) == TOL      # the var the macro reads
    rows = " union all ".join(
        f"select {n} as n, {_text(c)} as comparator, {_number(v)} as target_value, {_number(h)} as target_value_high,"
        f" {_text(d)} as direction, {_number(o)} as observed"
        for n, (c, v, h, d, o, _) in enumerate(CASES))
    sql = render("select n, {{ target_is_met('comparator', 'observed', 'target_value', 'target_value_high', 'direction') }}"
                 f" as met from ({rows}) as cases order by n")
    decided = dict(duckdb.connect().execute(sql).fetchall())
    assert decided == {n: case[-1] for n, case in enumerate(CASES)}


def test_no_observation_is_no_verdict(render):
    sql = render("select {{ target_is_met(\"'>='\", 'cast(null as double)', '1', 'null', \"'higher_is_better'\") }}")
    assert duckdb.connect().execute(sql).fetchall() == [(None,)]


def test_the_gap_is_zero_when_met_and_signed_towards_the_target(render):
    rows = " union all ".join(
        f"select {n} as n, {_text(c)} as comparator, {_number(o)} as observed, {_number(v)} as target_value,"
        f" {_number(h)} as target_value_high, {_text(d)} as direction"
        for n, (c, o, v, h, d, _) in enumerate(GAP_CASES))
    sql = render(
        "{% set met = target_is_met('comparator', 'observed', 'target_value', 'target_value_high', 'direction') %}"
        "select n, {{ target_gap('comparator', 'observed', 'target_value', 'target_value_high', 'direction', met) }}"
        f" as gap from ({rows}) as cases order by n")
    gaps = dict(duckdb.connect().execute(sql).fetchall())
    assert gaps == {n: case[-1] for n, case in enumerate(GAP_CASES)}


def test_ordered_sum_adds_in_the_given_order_on_duckdb_and_is_a_plain_sum_elsewhere(render):
    # floating-point addition is not associative: only a left-to-right sum in this order gives 1.0
    values = [1e16, 1.0, -1e16, 1.0]
    assert ((values[0] + values[1]) + values[2]) + values[3] == 1.0
    rows = " union all ".join(f"select {k} as k, cast({v!r} as double) as x" for k, v in enumerate(values))
    sql = render("select {{ ordered_sum('x', 'k') }} as total, {{ default__ordered_sum('x', 'k') }} as plain"
                 f" from ({rows}) as numbers")
    assert "order by k" in sql.split("as total")[0]
    assert "sum(x) as plain" in sql
    assert duckdb.connect().execute(sql).fetchone()[0] == 1.0


def test_type_double_is_an_eight_byte_float_unlike_dbt_type_float(render):
    sql = render("select typeof(cast(0.1 as {{ type_double() }})), cast(0.1 as {{ type_double() }}),"
                 " typeof(cast(0.1 as {{ dbt.type_float() }}))")
    kind, value, float_kind = duckdb.connect().execute(sql).fetchone()
    assert (kind, value) == ("DOUBLE", 0.1)
    assert float_kind == "FLOAT"        # why the marts do not use dbt.type_float(): 4 bytes on DuckDB
