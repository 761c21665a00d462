"""A straight-line projection of a not-yet-due target from the trend of its observations.

The office asks of a target due next year: "at this pace, will we make it?". With at least three
observations of the target's indicator for its region, a least-squares line through (period end, value)
is evaluated at the due date. Fewer observations give no projection (a line through two points is a
guess, not a trend).
"""
from __future__ import annotations

from datetime import date

MIN_OBSERVATIONS = 3


def project(points: list[tuple[date, float]], when: date) -> float | None:
    """The least-squares line through ``points`` evaluated at ``when``; None with fewer than three points."""
    if len(points) < MIN_OBSERVATIONS:
        return None
    xs = [float(day.toordinal()) for day, _ in points]
    ys = [float(value) for _, value in points]
    mean_x = sum(xs) / len(xs)
    mean_y = sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    if spread == 0:
        return mean_y
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys)) / spread
    return mean_y + slope * (float(when.toordinal()) - mean_x)
