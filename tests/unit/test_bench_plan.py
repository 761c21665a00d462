"""The benchmark plans: the full run measures the histories issue 8 names; the smoke run stays tiny."""
from bench.run import Plan


def test_the_full_plan_measures_a_month_a_year_and_ten_years_of_city_history():
    plan = Plan()
    assert plan.histories == {"1 month": 31, "1 year": 365, "10 years": 3653}
    assert plan.history_scale == "city" and plan.daily_rows == 2_000
    # the report's ratio is the last history against the first: 10 years / 1 month
    assert list(plan.histories)[0] == "1 month" and list(plan.histories)[-1] == "10 years"


def test_the_smoke_plan_stays_small():
    plan = Plan.smoke()
    assert max(plan.histories.values()) <= 10 and plan.scales == {"city": 0.01} and plan.repeats == 1

