"""check/row_logic.py: the warnings about running totals and disagreeing claimants, beyond the fixtures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

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
