"""Each comparator, through Great Expectations, at its boundaries — the same truth table the dbt macro
target_is_met is held to (tests/integration/test_target_macros.py), so GX and dbt agree."""
import pandas as pd
import pytest

from dagster_project.checks.comparators import expectation_kwargs, expected_text
from tests.support.comparator_cases import CASES, TOL


def test_great_expectations_decides_each_boundary_like_the_macro():
    import great_expectations as gx
    from great_expectations.expectations.registry import get_expectation_impl

    context = gx.get_context(mode="ephemeral")
    batch = context.data_sources.add_pandas("p").add_dataframe_asset("a").add_batch_definition_whole_dataframe("all")
    rows, expectations = [], []
    for number, (comparator, value, high, direction, observed, _) in enumerate(CASES):
        key = f"case{number:02d}"
        rows.append({"target_id": key, "observed_value": float(observed), "abs_deviation": abs(observed - value)})
        kwargs = expectation_kwargs(comparator, value, high, direction, TOL)
        impl = get_expectation_impl("expect_column_values_to_be_between")
        expectations.append(impl(**kwargs, row_condition=f'target_id=="{key}"', condition_parser="pandas",
                                 meta={"key": key}))
    suite = context.suites.add(gx.ExpectationSuite(name="boundaries", expectations=expectations))
    definition = context.validation_definitions.add(gx.ValidationDefinition(name="b", data=batch, suite=suite))
    result = definition.run(batch_parameters={"dataframe": pd.DataFrame(rows)})
    decided = {r.expectation_config.meta["key"]: r.success for r in result.results}
    expected = {f"case{n:02d}": case[-1] for n, case in enumerate(CASES)}
    assert decided == expected


def test_an_unknown_comparator_is_refused_and_texts_read_well():
    with pytest.raises(ValueError, match="unknown comparator"):
        expectation_kwargs("~", 1, None, "higher_is_better", TOL)
    assert expected_text("approx", 90, None, "higher_is_better", TOL, "%") == "90% ±5%"
    assert expected_text(">=", 95, None, "higher_is_better", TOL, "%") == "≥ 95%"
