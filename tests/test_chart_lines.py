"""website/chart_lines.py: which figures of a metric chart are the days of a line."""

from __future__ import annotations

import pandas as pd

from toolkit.website.chart_lines import line_rows

FIVE = [f"2024-01-0{d}" for d in range(1, 6)]


def rows(subjects: list[str], days: list[str], sources: list[str] | None = None) -> pd.DataFrame:
    n = len(days)
    return pd.DataFrame(
        {
            "claim_id": [f"C{i + 1:04d}" for i in range(n)],
            "source_id": sources or ["S0001"] * n,
            "metric_id": ["killed"] * n,
            "claimant_id": ["someone"] * n,
            "subject": subjects,
            "period_end": days,
            "count_type": ["cumulative"] * n,
            "current": [True] * n,
            "locator": [f"/{i}/x" for i in range(n)],
        }
    )


def test_a_line_is_of_one_claimant_metric_and_subject() -> None:
    """Five running totals of one claimant make a line; five on five days split between two
    subjects (each side's losses) stay points, as do a source's two figures on one day."""
    line, shadowed = line_rows(rows(["north"] * 5, FIVE))
    assert line.all() and not shadowed.any()
    line, shadowed = line_rows(rows(["north"] * 3 + ["south"] * 2, FIVE))
    assert not line.any() and not shadowed.any()
    line, _ = line_rows(rows(["north"] * 6, [*FIVE, FIVE[3]]))
    assert not line.any()  # one source, two figures of one day: item by item, points


def test_a_second_reporters_figures_of_the_lines_days_are_set_apart() -> None:
    """Two compilations (two sources) of one claimant's days: the line takes each day's first claim
    by ID, the other compilation's figures of those days are neither the line nor points, and a
    day only the second gives is a day of the line."""
    days = [*FIVE, *FIVE[:4], "2024-01-06"]
    line, shadowed = line_rows(rows(["north"] * 10, days, ["S0001"] * 5 + ["S0002"] * 5))
    assert line.tolist() == [True] * 5 + [False] * 4 + [True]
    assert shadowed.tolist() == [False] * 5 + [True] * 4 + [False]
