"""publish/series_wide.py: a wide table per claimant for its daily series only, on the fixture
series (the staff's tanks, a figure a day), the fixture models (the spotters', a figure per model
a day) and the fixture estimates (a figure or two per claimant, both sides under one metric)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
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


def test_a_second_compilation_of_a_claimant_has_a_file_of_its_own(tmp_path: Path) -> None:
    """The fixture staff's reports as two datasets compile them: the one imported first keeps the
    claimant's name, the other's file is named with its compilation; each table holds its own
    figures, and its schema's title says who compiled them."""
    pkg = series_package(tmp_path / "pkg")
    import_snapshot(pkg, str(UPSTREAM / "fixture-series.toml"), UPSTREAM / "snap-b", commit="b" * 40, today=TODAY)
    newest, folder = str(UPSTREAM / "fixture-newest.toml"), tmp_path / "newest"
    shutil.copytree(UPSTREAM / "newest-b", folder)
    days = json.loads((folder / "days.json").read_text(encoding="utf-8"))
    fifth = {"date": "2024-01-05", "people": 1600, "tanks": 16, "robots": 4, "sourceUri": "https://example.org/r/5"}
    (folder / "days.json").write_text(json.dumps([fifth, *days]), encoding="utf-8")
    import_snapshot(pkg, newest, folder, commit="d" * 40, commit_date="2024-01-05", today=TODAY)
    first, second = wide_series(read_folder(pkg))
    assert (first.name, second.name) == ("fixture_staff", "fixture_staff-fixture-newest")
    assert first.claimant_id == second.claimant_id == "fixture_staff"
    assert list(first.table["fixture_tanks"]) == ["10", "12", "11", "15", "16"]
    assert list(second.table["date"]) == ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05"]
    assert list(second.table["fixture_tanks"]) == ["10", "11", "12", "13", "16"]
    assert (
        first.schema["title"]
        == "Daily figures of Fixture Staff as Fixture Compiler compiled them, one column per metric"
    )
    assert "as Fixture Second Compiler compiled them" in second.schema["title"]
