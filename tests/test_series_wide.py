"""publish/series_wide.py: a wide table per claimant for its daily series only, on the fixture
series (the staff's tanks, a figure a day), the fixture models (the spotters', a figure per model
a day) and the fixture estimates (a figure or two per claimant, both sides under one metric)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from toolkit.publish.series_wide import wide_series
from toolkit.read.policy import read_folder
from toolkit.upstream.series_import import import_snapshot

from .conftest import UPSTREAM, series_package

TODAY = dt.date(2026, 11, 25)


def test_only_a_claimant_with_one_figure_a_day_gets_a_wide_table(tmp_path: Path) -> None:
    pkg = series_package(tmp_path / "pkg")
    import_snapshot(pkg, str(UPSTREAM / "fixture-series.toml"), UPSTREAM / "snap-b", commit="b" * 40, today=TODAY)
    for n, day in ((1, "2024-01-02"), (2, "2024-01-03"), (3, "2024-01-04")):
        folder = UPSTREAM / f"models-v{n}"
        import_snapshot(
            pkg, str(UPSTREAM / "fixture-models.toml"), folder, commit=str(n) * 40, commit_date=day, today=TODAY
        )
    estimates = str(UPSTREAM / "fixture-estimates.toml")
    for n, day in ((1, "2024-03-01"), (2, "2024-04-01")):
        folder = UPSTREAM / f"estimates-v{n}"
        import_snapshot(pkg, estimates, folder, commit=str(n + 3) * 40, commit_date=day, today=TODAY)
    [staff] = wide_series(read_folder(pkg))  # not the spotters (a figure per model), nor the estimates
    assert staff.claimant_id == "fixture_staff"
    assert list(staff.table["date"]) == ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05"]
    assert list(staff.table["fixture_tanks"]) == ["10", "12", "11", "15", "16"]
