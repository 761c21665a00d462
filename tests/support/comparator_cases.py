"""Each comparator at its boundaries, and the gap in each direction: the cases the GX mapping
(tests/unit/test_checks_comparators.py) and the dbt macros target_is_met / target_gap
(tests/integration/test_target_macros.py) are both held to, so the two cannot drift apart."""

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

# (comparator, observed, value, value_high, direction, gap): 0 when met, signed towards the target, none without data
GAP_CASES = [
    (">=", 90, 95, None, "higher_is_better", 5),
    ("<=", 31, 30, None, "lower_is_better", 1),
    ("between", 3.5, 2, 3, "higher_is_better", 0.5),
    ("approx", 85, 90, None, "higher_is_better", 5),
    (">=", 96, 95, None, "higher_is_better", 0),
    (">=", None, 95, None, "higher_is_better", None),
]
