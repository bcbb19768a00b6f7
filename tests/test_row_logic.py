"""check/row_logic.py: the warnings about running totals and disagreeing claimants, beyond the fixtures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from toolkit.check.row_logic import lookup
from toolkit.check.validate import validate_package

from .conftest import edit, make_package

C = "data/claims.csv"
TODAY = dt.date(2026, 11, 25)


def test_same_claimant_overlapping_or_open_figures_do_not_contradict(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg")
    # C0002 (> 1,000,000) and C0003 (10,000-99,999) over the same period, but one claimant
    edit(pkg, C, ',cumulative,,,"Over', ',cumulative,2022-01-01,2024-12-31,"Over')
    edit(pkg, C, "C0003,S0001,unattributed,", "C0003,S0001,fixture_ministry,")
    edit(pkg, C, ",cumulative,,,Tens", ",cumulative,2022-01-01,2024-12-31,Tens")
    assert "claims-contradict" not in validate_package(pkg, today=TODAY).counts


def test_a_retracted_claim_neither_contradicts_nor_falls(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg")
    edit(pkg, C, ',cumulative,,,"Over', ',cumulative,2022-01-01,2024-12-31,"Over')
    edit(pkg, C, ",cumulative,,,Tens", ",cumulative,2022-01-01,2024-12-31,Tens")
    edit(pkg, C, "went home.,reported,,", "went home.,retracted,,Withdrawn.")
    counts = validate_package(pkg, today=TODAY).counts
    assert "claims-contradict" not in counts and "cumulative-decrease" not in counts


def test_rising_running_total_is_fine(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg")
    edit(pkg, C, "C0003,S0001,unattributed,", "C0003,S0001,fixture_ministry,")
    edit(pkg, C, ",cumulative,,,Tens", ",cumulative,,2020-06-30,Tens")  # 10,000-99,999 first
    edit(pkg, C, ',cumulative,,,"Over', ',cumulative,,2023-12-31,"Over')  # then > 1,000,000
    assert "cumulative-decrease" not in validate_package(pkg, today=TODAY).counts


def test_foreign_key_typo_gets_a_did_you_mean(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg")
    edit(pkg, C, ",fixture_ministry,according to fixture records", ",fixture_minstry,according to fixture records")
    report = validate_package(pkg, today=TODAY)
    (problem,) = [p for p in report.problems if p.code == "foreign-key"]
    assert (problem.row, problem.column) == (2, "claimant_id")
    assert problem.hint.startswith("Did you mean 'fixture_ministry'?")


def test_enum_typo_gets_a_did_you_mean(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg", None)
    edit(pkg, C, ",at_least,", ",At least,")
    report = validate_package(pkg, today=TODAY)
    (problem,) = [p for p in report.problems if p.code == "constraint-enum"]
    assert (problem.row, problem.column, problem.hint) == (2, "qualifier", "Did you mean 'at_least'?")


def test_lookup_takes_the_first_matching_key_and_leaves_misses_missing() -> None:
    values = pd.Series(["a", "b", None, "z"], dtype="string")
    keys = pd.Series(["b", "a", "b"], dtype="string")
    targets = pd.Series(["first b", "a", "second b"], dtype="string")
    got = lookup(values, keys, targets)
    assert got.tolist()[:2] == ["a", "first b"]
    assert got.isna().tolist() == [False, False, True, True]


def _series_with(tmp_path: Path, change) -> Path:
    """The fixture series (snap-a) imported with the personnel file changed."""
    import json
    import shutil

    from toolkit.upstream.series_import import import_snapshot

    from .conftest import UPSTREAM, series_package

    folder = tmp_path / "snap"
    shutil.copytree(UPSTREAM / "snap-a", folder)
    path = folder / "data/personnel.json"
    records = json.loads(path.read_text())
    change(records)
    path.write_text(json.dumps(records))
    pkg = series_package(tmp_path / "pkg")
    import_snapshot(pkg, str(UPSTREAM / "fixture-series.toml"), folder, commit="a" * 40, today=TODAY)
    return pkg


def test_a_falling_series_of_approximate_figures_warns(tmp_path: Path) -> None:
    """ "about 1000" then "about 950": no bounds, but the stated values fall."""

    def fall(records: list[dict]) -> None:
        records[1].update({"people": 950, "people*": "about"})

    pkg = _series_with(tmp_path, fall)
    falls = [p for p in validate_package(pkg, today=TODAY).problems if p.code == "cumulative-decrease"]
    people = [p for p in falls if "fixture_people" in p.message]
    assert [(p.value, p.key) for p in people] == [("about 950", "C0009")]
    assert "(to 2024-01-02) is lower than their figure of 2024-01-01" in people[0].message
    assert "no correction of theirs in series_corrections explains it." in people[0].message


def test_a_metric_that_says_why_its_totals_fall_is_not_warned_of(tmp_path: Path) -> None:
    """metrics.falls: a count of one status, which its items leave when reclassified."""

    def fall(records: list[dict]) -> None:
        records[1].update({"people": 950, "people*": "about"})

    pkg = _series_with(tmp_path, fall)
    metrics = pkg / "data" / "metrics.csv"
    lines = metrics.read_text(encoding="utf-8").splitlines()
    [at] = [i for i, line in enumerate(lines) if line.startswith("fixture_people,")]
    assert lines[at].endswith(",")  # falls empty: the fall is warned of (the test above)
    lines[at] += "An item leaves the count when it is reclassified."
    metrics.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = validate_package(pkg, today=TODAY)
    assert report.valid and not [p for p in report.problems if "fixture_people" in p.message]


def test_approximate_figures_that_rise_or_hold_do_not_warn(tmp_path: Path) -> None:
    def hold(records: list[dict]) -> None:
        records[1].update({"people": 1000, "people*": "about"})

    pkg = _series_with(tmp_path, hold)
    falls = [p for p in validate_package(pkg, today=TODAY).problems if p.code == "cumulative-decrease"]
    assert not [p for p in falls if "fixture_people" in p.message]


def test_an_approximate_figure_is_not_a_bound_against_another_claimant(tmp_path: Path) -> None:
    """Two claimants' "about" figures for one period never contradict: only the running-total rule
    reads the stated value of a figure without bounds."""
    pkg = make_package(tmp_path / "pkg")
    edit(pkg, C, "C0003,S0001,unattributed,", "C0003,S0001,fixture_ministry,")
    edit(pkg, C, ",cumulative,,,Tens", ",cumulative,2022-01-01,2024-12-31,Tens")
    edit(pkg, C, "Tens of thousands,order_of_magnitude,,10000,99999", "about 40000,approximately,40000,,")
    edit(pkg, C, ',cumulative,,,"Over', ',cumulative,2022-01-01,2024-12-31,"Over')
    counts = validate_package(pkg, today=TODAY).counts
    assert "claims-contradict" not in counts


def test_a_noted_fall_says_so_in_its_warning(tmp_path: Path) -> None:
    def fall(records: list[dict]) -> None:
        records[1].update({"people": 950, "people*": "about"})

    pkg = _series_with(tmp_path, fall)
    claims = (pkg / C).read_text(encoding="utf-8")
    row = next(line for line in claims.splitlines() if line.startswith("C0009,"))
    (pkg / C).write_text(claims.replace(row, row.replace(",reported,,,", ",reported,,Upstream gives it so.,")))
    [fall_] = [p for p in validate_package(pkg, today=TODAY).problems if p.key == "C0009"]
    assert fall_.message.endswith("; the claim's notes say what is known of it.")
    assert fall_.hint.startswith("Nothing to fix if the claim's notes still say why")


# -- relations between metrics ---------------------------------------------------------------------

M = "data/metrics.csv"


def _compare(tmp_path: Path, recruits_cells: str, desertion_unit: str = "person") -> list:
    pkg = make_package(tmp_path / "pkg")
    edit(pkg, M, "recruits,Recruits,Fixture definition of recruits.,person,,", f"recruits,{recruits_cells}")
    if desertion_unit != "person":
        edit(pkg, M, "desertions.,person,", f"desertions.,{desertion_unit},")
    report = validate_package(pkg, today=TODAY)
    return [(p.code, p.file, p.row, p.column, p.message) for p in report.problems if p.file == M]


def test_a_metric_compared_with_another_says_how_they_differ(tmp_path: Path) -> None:
    cells = "Recruits,Fixture definition of recruits.,person,desertions,Recruits join; deserters leave."
    assert _compare(tmp_path, cells) == []


@pytest.mark.parametrize(
    ("cells", "unit", "message"),
    [
        (
            "Recruits,Fixture definition of recruits.,person,desertions,",
            "person",
            "recruits compares with desertions, but comparison does not say how they differ.",
        ),
        ("Recruits,Fixture definition of recruits.,person,recruits,Same.", "person", "recruits compares with itself."),
        (
            "Recruits,Fixture definition of recruits.,person,desertions,Apart.",
            "item",
            "recruits counts in 'person', desertions in 'item': figures of two units cannot be read side by side.",
        ),
    ],
    ids=["unexplained", "itself", "units"],
)
def test_a_comparison_that_cannot_be_read_is_an_error(tmp_path: Path, cells: str, unit: str, message: str) -> None:
    problems = _compare(tmp_path, cells, unit)
    assert ("metric-comparison-invalid", M, 3, "compares_with", message) in problems


def test_a_comparison_with_an_unknown_metric_is_a_foreign_key_error(tmp_path: Path) -> None:
    problems = _compare(tmp_path, "Recruits,Fixture definition of recruits.,person,desertion,Typo.")
    [(code, _file, row, column, message)] = problems
    assert (code, row, column) == ("foreign-key", 3, "compares_with")
    assert message == "desertion is not a metric_id in metrics."
