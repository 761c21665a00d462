"""Each comparator, through Great Expectations, at its boundaries — and the Python twin of the dbt macro agrees."""
import pandas as pd
import pytest

from dagster_project.checks.comparators import expectation_kwargs, expected_text, gap, is_met

TOL = 0.05
# (comparator, value, value_high, direction, observed, met)
CASES = [
    (">=", 95, None, "higher_is_better", 95, True),
    (">=", 95, None, "higher_is_better", 94.99, False),
    (">", 4, None, "higher_is_better", 4, False),
    (">", 4, None, "higher_is_better", 4.01, True),
    ("<=", 30, None, "lower_is_better", 30, True),
    ("<=", 30, None, "lower_is_better", 30.01, False),
    ("<", 30, None, "lower_is_better", 30, False),
    ("<", 30, None, "lower_is_better", 29.99, True),
    ("between", 2, 3, "higher_is_better", 2, True),
    ("between", 2, 3, "higher_is_better", 3, True),
    ("between", 2, 3, "higher_is_better", 1.99, False),
    ("between", 2, 3, "higher_is_better", 3.01, False),
    ("approx", 90, None, "higher_is_better", 85.5, True),     # exactly 5% below
    ("approx", 90, None, "higher_is_better", 94.5, True),     # exactly 5% above
    ("approx", 90, None, "higher_is_better", 85.4, False),
    ("approx", 90, None, "higher_is_better", 94.6, False),
    ("=", 10, None, "higher_is_better", 12, True),            # 达到10家 is met by 12
    ("=", 10, None, "higher_is_better", 9, False),
    ("=", 10, None, "lower_is_better", 9, True),
    ("=", 10, None, "lower_is_better", 11, False),
]


def test_the_python_twin_matches_the_truth_table():
    for comparator, value, high, direction, observed, met in CASES:
        assert is_met(comparator, observed, value, high, direction, TOL) is met, (comparator, value, observed)


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


def test_gap_is_zero_when_met_and_signed_towards_the_target():
    assert gap(">=", 90, 95, None, "higher_is_better", False) == 5
    assert gap("<=", 31, 30, None, "lower_is_better", False) == 1
    assert gap("between", 3.5, 2, 3, "higher_is_better", False) == 0.5
    assert gap("approx", 85, 90, None, "higher_is_better", False) == 5
    assert gap(">=", 96, 95, None, "higher_is_better", True) == 0
    assert gap(">=", None, 95, None, "higher_is_better", None) is None


def test_an_unknown_comparator_is_refused_and_texts_read_well():
    with pytest.raises(ValueError, match="unknown comparator"):
        expectation_kwargs("~", 1, None, "higher_is_better", TOL)
    assert expected_text("approx", 90, None, "higher_is_better", TOL, "%") == "90% ±5%"
    assert expected_text(">=", 95, None, "higher_is_better", TOL, "%") == "≥ 95%"
