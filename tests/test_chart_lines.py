"""website/chart_lines.py: which figures of a metric chart are the days of a line."""

from __future__ import annotations

import pandas as pd

from toolkit.website.chart_lines import line_rows


def test_a_line_is_of_one_claimant_metric_and_subject() -> None:
    """website/chart_lines.line_rows: five running totals of one claimant make a line; five on five
    days split between two subjects (each side's losses) stay points, as do two figures on one day."""

    def rows(subjects: list[str], days: list[str]) -> pd.DataFrame:
        n = len(days)
        return pd.DataFrame(
            {
                "metric_id": ["killed"] * n,
                "claimant_id": ["someone"] * n,
                "subject": subjects,
                "period_end": days,
                "count_type": ["cumulative"] * n,
                "current": [True] * n,
                "locator": [f"/{i}/x" for i in range(n)],
            }
        )

    five = [f"2024-01-0{d}" for d in range(1, 6)]
    assert line_rows(rows(["north"] * 5, five)).all()
    assert not line_rows(rows(["north"] * 3 + ["south"] * 2, five)).any()
    assert not line_rows(rows(["north"] * 5, [*five[:4], five[3]])).any()
