"""claims import: a small invented series (tests/fixtures/upstream) into the good fixture package.

The snapshots: snap-a (3 days), snap-mid (4), snap-b (5: a new category on the last), snap-changed
(snap-b with the tanks of day 2 given otherwise), snap-missing-day (snap-b without day 3). Every
refusal is checked to leave the package byte for byte as it was.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.check.validate import validate_package
from toolkit.cli import app
from toolkit.errors import UsageError
from toolkit.upstream.plan import ImportRefused
from toolkit.upstream.series_import import import_snapshot, rebuild_series

from .conftest import UPSTREAM, series_package, snapshot

MAPPING = str(UPSTREAM / "fixture-series.toml")
TODAY = dt.date(2026, 11, 25)
A, MID, B = "a" * 40, "c" * 40, "b" * 40
runner = CliRunner()


def _import(pkg: Path, snap: str, commit: str, **options: object):
    return import_snapshot(pkg, MAPPING, UPSTREAM / snap, commit=commit, today=TODAY, **options)


def _rows(pkg: Path, table: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((pkg / "data" / f"{table}.csv").read_text(encoding="utf-8"))))


def _series(pkg: Path) -> list[dict[str, str]]:
    return [r for r in _rows(pkg, "claims") if r["locator"]]


@pytest.fixture
def pkg(tmp_path: Path) -> Path:
    return series_package(tmp_path / "pkg")


def test_a_snapshot_becomes_a_claim_per_day_and_category(pkg: Path) -> None:
    result = _import(pkg, "snap-a", A)
    claims = _series(pkg)
    # day 1: people, captured, tanks, trucks; day 2: the same; day 3: people, tanks, vehicles
    assert [(r["period_end"], r["metric_id"]) for r in claims][:4] == [
        ("2024-01-01", "fixture_people"),
        ("2024-01-01", "fixture_captured"),
        ("2024-01-01", "fixture_tanks"),
        ("2024-01-01", "fixture_trucks"),
    ]
    assert len(claims) == 11 and result.plan.new_claims == [f"C{n:04d}" for n in range(5, 16)]
    first = claims[0]
    assert (first["wording"], first["qualifier"], first["value"], first["value_low"], first["value_high"]) == (
        "about 1000",
        "approximately",
        "1000",
        "",
        "",
    )
    more = next(r for r in claims if r["wording"].startswith("more than"))
    assert (more["qualifier"], more["value"], more["value_low"]) == ("more_than", "1150", "1150")
    assert {r["count_type"] for r in claims} == {"cumulative"} and {r["period_start"] for r in claims} == {"2023-12-31"}
    captured = [r for r in claims if r["metric_id"] == "fixture_captured"]
    assert {r["claimant_id"] for r in captured} == {"fixture_counter"} and len(captured) == 2
    sources = [r for r in _rows(pkg, "sources") if r["data_path"]]
    assert [(r["upstream_path"], r["commit"], r["licence"]) for r in sources] == [
        ("data/personnel.json", A, "MIT"),
        ("data/equipment.json", A, "MIT"),
        ("data/corrections.json", A, "MIT"),
    ]
    assert (pkg / "seeds/fixture-series/aaaaaaaaaaaa/data/equipment.json").read_bytes() == (
        UPSTREAM / "snap-a/data/equipment.json"
    ).read_bytes()
    assert (pkg / "seeds/fixture-series/aaaaaaaaaaaa/LICENSE").is_file()
    assert _rows(pkg, "series_corrections") == [
        {
            "claimant_id": "fixture_staff",
            "metric_id": "fixture_tanks",
            "date": "2024-01-03",
            "effective": "",
            "value": "-2",
            "source_id": "S0005",
            "locator": "/0/tanks",
            "notes": "",
        }
    ]
    report = validate_package(pkg, today=TODAY)
    assert report.valid and report.error_count == 0


def test_the_fall_on_a_correction_day_names_the_correction(pkg: Path) -> None:
    _import(pkg, "snap-a", A)
    report = validate_package(pkg, today=TODAY)
    falls = [p for p in report.problems if p.code == "cumulative-decrease"]
    assert [(p.key, p.value) for p in falls] == [("C0014", "11")]
    assert "they corrected their earlier total (-2 on 2024-01-03; series_corrections)" in falls[0].message
    assert falls[0].hint.startswith("Nothing to fix")


def test_importing_the_same_snapshot_twice_changes_nothing(pkg: Path) -> None:
    _import(pkg, "snap-a", A)
    before = snapshot(pkg)
    again = _import(pkg, "snap-a", A)
    assert not again.changed and again.written == []
    assert snapshot(pkg) == before


def test_a_newer_snapshot_adds_only_its_new_days(pkg: Path) -> None:
    _import(pkg, "snap-a", A)
    before = {r["claim_id"]: r for r in _series(pkg)}
    result = _import(pkg, "snap-b", B)
    after = {r["claim_id"]: r for r in _series(pkg)}
    assert {k: v for k, v in after.items() if k in before} == before  # no existing claim changed
    assert result.plan.new_days == [dt.date(2024, 1, 4), dt.date(2024, 1, 5)]
    assert sorted(set(after) - set(before)) == result.plan.new_claims == [f"C{n:04d}" for n in range(16, 23)]
    assert {r["metric_id"] for k, r in after.items() if k not in before} >= {"fixture_robots"}
    # each file's source moved to the newer commit: the older archive is gone, the newer one is there
    assert result.plan.sources_moved == ["S0003", "S0004", "S0005"] and not result.plan.sources_added
    assert not (pkg / "seeds/fixture-series/aaaaaaaaaaaa").exists()
    assert (pkg / "seeds/fixture-series/bbbbbbbbbbbb/data/personnel.json").is_file()
    assert validate_package(pkg, today=TODAY).valid


def test_a_snapshot_between_changes_nothing_in_the_end(tmp_path: Path) -> None:
    direct, stepwise = series_package(tmp_path / "direct"), series_package(tmp_path / "stepwise")
    _import(direct, "snap-a", A)
    _import(direct, "snap-b", B)
    for snap, commit in (("snap-a", A), ("snap-mid", MID), ("snap-b", B)):
        _import(stepwise, snap, commit)
    assert snapshot(stepwise) == snapshot(direct)


def test_a_changed_past_figure_supersedes_and_never_rewrites(pkg: Path) -> None:
    _import(pkg, "snap-a", A)
    day2 = next(r for r in _series(pkg) if r["metric_id"] == "fixture_tanks" and r["period_end"] == "2024-01-02")
    result = _import(pkg, "snap-changed", B)
    claims = {r["claim_id"]: r for r in _rows(pkg, "claims")}
    old = claims[day2["claim_id"]]
    new_id = result.plan.superseded[0][1]
    new = claims[new_id]
    assert result.plan.superseded == [(day2["claim_id"], new_id)]
    assert (old["status"], old["wording"], old["value"], old["locator"]) == ("superseded", "12", "12", "/1/tanks")
    assert old["source_id"] == day2["source_id"] and "Superseded by " + new_id in old["notes"]
    assert (new["supersedes"], new["wording"], new["period_end"]) == (day2["claim_id"], "13", "2024-01-02")
    # the equipment file's older archive stays for the claims it anchors; the newer file is a source of its own
    assert result.plan.sources_added == ["S0006"] and new["source_id"] == "S0006"
    assert (pkg / "seeds/fixture-series/aaaaaaaaaaaa/data/equipment.json").is_file()
    report = validate_package(pkg, today=TODAY)
    assert report.valid, [p.message for p in report.problems]


def test_a_day_missing_upstream_deletes_nothing_and_is_reported(pkg: Path) -> None:
    _import(pkg, "snap-a", A)
    before = {r["claim_id"]: r for r in _series(pkg)}
    result = _import(pkg, "snap-missing-day", B)
    after = {r["claim_id"]: r for r in _series(pkg)}
    assert result.plan.missing_days == [dt.date(2024, 1, 3)]
    assert {k: after[k] for k in before} == before
    assert validate_package(pkg, today=TODAY).valid
    out = runner.invoke(app, ["import", MAPPING, str(UPSTREAM / "snap-missing-day"), "--commit", B, "-p", str(pkg)])
    assert out.exit_code == 0 and "nothing to import" in out.stdout


def test_the_cli_reports_the_missing_day(pkg: Path) -> None:
    _import(pkg, "snap-a", A)
    out = runner.invoke(app, ["import", MAPPING, str(UPSTREAM / "snap-missing-day"), "--commit", B, "-p", str(pkg)])
    assert out.exit_code == 0, out.output
    assert "warning: 1 day(s) the package holds are missing from the snapshot; nothing was deleted" in out.stderr
    assert "  data/equipment.json: 1 day(s) missing (2024-01-03)" in out.stderr
    assert "new claims: 7 (C0016 to C0022)" in out.stdout


def test_an_older_snapshot_after_a_newer_one_is_refused(pkg: Path) -> None:
    _import(pkg, "snap-b", B)
    before = snapshot(pkg)
    with pytest.raises(ImportRefused, match="ends on 2024-01-03, before the package's figures"):
        _import(pkg, "snap-a", A)
    assert snapshot(pkg) == before


def test_a_dry_run_writes_nothing(pkg: Path) -> None:
    before = snapshot(pkg)
    result = _import(pkg, "snap-a", A, dry_run=True)
    assert result.changed and len(result.plan.new_claims) == 11
    assert snapshot(pkg) == before


def test_rebuild_from_the_archive_gives_the_same_bytes(pkg: Path) -> None:
    _import(pkg, "snap-a", A)
    _import(pkg, "snap-changed", B)
    before = snapshot(pkg)
    result = rebuild_series(pkg, MAPPING, check=True, today=TODAY)
    assert result.differs == [] and result.snapshots == [A, B]  # the frozen equipment file of A, the rest at B
    assert snapshot(pkg) == before
    # a series row edited by hand (still valid) is found by --check and put back by the rebuild
    claims = (pkg / "data/claims.csv").read_text(encoding="utf-8")
    (pkg / "data/claims.csv").write_text(claims.replace(",fixture robots,", ",fixture robot dogs,"))
    out = runner.invoke(app, ["import", MAPPING, "--rebuild", "--check", "-p", str(pkg)])
    assert out.exit_code == 1 and "would change claims" in out.stdout
    out = runner.invoke(app, ["import", MAPPING, "--rebuild", "-p", str(pkg)])
    assert out.exit_code == 0 and "rewrote claims" in out.stdout
    assert snapshot(pkg) == before


# -- bad upstream input: a refusal that names the file and the record, and writes nothing --------


def _bad_snapshot(tmp_path: Path, edit) -> Path:
    folder = tmp_path / "snap"
    shutil.copytree(UPSTREAM / "snap-b", folder)
    edit(folder)
    return folder


def _equipment(folder: Path, change) -> None:
    path = folder / "data/equipment.json"
    records = json.loads(path.read_text())
    change(records)
    path.write_text(json.dumps(records, indent=4))


BAD = {
    "truncated": (
        lambda f: (f / "data/equipment.json").write_text('[{"date": "2024-01-01", "tan'),
        2,
        "not readable as JSON",
    ),
    "duplicate-date": (
        lambda f: _equipment(f, lambda r: r[2].update(date="2024-01-02")),
        2,
        "record 2 (/2), field 'date': 2024-01-02 appears twice (records 1 and 2)",
    ),
    "out-of-order": (
        lambda f: _equipment(f, lambda r: r[3].update(date="2023-12-01")),
        2,
        "record 3 (/3), field 'date': 2023-12-01 comes after 2024-01-03",
    ),
    "future": (
        lambda f: _equipment(f, lambda r: r[4].update(date="2027-01-01")),
        1,
        "record 4 (/4), field 'date': 2027-01-01 is after today (",
    ),
    "not-whole": (lambda f: _equipment(f, lambda r: r[1].update(tanks=12.5)), 2, "'tanks': 12.5 is not a whole number"),
    "text-figure": (
        lambda f: _equipment(f, lambda r: r[1].update(tanks="12")),
        2,
        "'tanks': '12' is not a whole number",
    ),
    "negative": (
        lambda f: _equipment(f, lambda r: r[1].update(tanks=-12)),
        1,
        "record 1 (/1), field 'tanks': -12 is negative: a running total never is (constraint-minimum)",
    ),
    "unknown-category": (
        lambda f: _equipment(f, lambda r: r[1].update(planes=3)),
        2,
        "field 'planes': 'planes' is not a category the mapping names",
    ),
    "no-date": (
        lambda f: _equipment(f, lambda r: r[0].pop("date")),
        2,
        "record 0 (/0), field 'date': the record has no date",
    ),
    "retired-category": (
        lambda f: _equipment(f, lambda r: r[3].update(trucks=9)),
        2,
        "'trucks' appears on 2024-01-04, after its last day in the mapping (2024-01-02)",
    ),
    "unknown-marker": (
        lambda f: (f / "data/personnel.json").write_text(
            (f / "data/personnel.json").read_text().replace('"people*": "about"', '"people*": "roughly"', 1)
        ),
        2,
        "'roughly' is not a marker the mapping names",
    ),
    "missing-file": (lambda f: (f / "data/corrections.json").unlink(), 2, "has no file data/corrections.json"),
    "not-a-list": (
        lambda f: (f / "data/equipment.json").write_text('{"date": "2024-01-01"}'),
        2,
        "not a list of records",
    ),
    "deep-nesting": (lambda f: (f / "data/equipment.json").write_text("[" * 5000 + "]" * 5000), 2, "nested more than"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_upstream_input_is_refused_and_writes_nothing(pkg: Path, tmp_path: Path, case: str) -> None:
    edit, code, message = BAD[case]
    folder = _bad_snapshot(tmp_path, edit)
    before = snapshot(pkg)
    out = runner.invoke(app, ["import", MAPPING, str(folder), "--commit", B, "-p", str(pkg)])
    assert out.exit_code == code, out.output
    assert message in out.stderr and "nothing was written" in out.stderr
    if code == 1:  # data the package can hold, refused with the problem code it would have
        assert "(date-in-future)" in out.stderr or "(constraint-minimum)" in out.stderr
    assert "internal error" not in out.output
    assert snapshot(pkg) == before


def test_an_archive_of_the_same_commit_with_other_bytes_is_refused(pkg: Path, tmp_path: Path) -> None:
    _import(pkg, "snap-b", B)
    folder = _bad_snapshot(tmp_path, lambda f: _equipment(f, lambda r: r[0].update(day=99)))
    before = snapshot(pkg)
    out = runner.invoke(app, ["import", MAPPING, str(folder), "--commit", B, "-p", str(pkg)])
    assert out.exit_code == 2
    assert "is archived already for commit bbbbbbbbbbbb with other bytes" in out.stderr
    assert snapshot(pkg) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--commit", "abc"], "is not a commit's full hash"),
        ([], "is not a git checkout, so name the snapshot's commit with --commit"),
        (["--commit", B, "--retrieved", "2024-02-30"], "is not a day"),
    ],
)
def test_usage_errors_name_the_fix(pkg: Path, args: list[str], message: str) -> None:
    out = runner.invoke(app, ["import", MAPPING, str(UPSTREAM / "snap-a"), *args, "-p", str(pkg)])
    assert out.exit_code == 2 and message in out.stderr


def test_a_mapping_is_found_by_name_in_mappings(pkg: Path) -> None:
    (pkg / "mappings").mkdir()
    shutil.copyfile(MAPPING, pkg / "mappings" / "fixture-series.toml")
    out = runner.invoke(app, ["import", "fixture-series", str(UPSTREAM / "snap-a"), "--commit", A, "-p", str(pkg)])
    assert out.exit_code == 0, out.output
    out = runner.invoke(app, ["import", "no-such-series", str(UPSTREAM / "snap-a"), "--commit", A, "-p", str(pkg)])
    assert out.exit_code == 2 and "mappings: fixture-series" in out.stderr


def test_claims_check_warns_when_a_series_is_out_of_date(pkg: Path) -> None:
    """The mapping allows 30 days; the fixture series runs to 2024-01-05."""
    from toolkit.contribute.gate import check_contribution
    from toolkit.contribute.render import render_github, render_text
    from toolkit.read.policy import read_folder
    from toolkit.upstream.freshness import series_states

    from .conftest import init_repo

    (pkg / "mappings").mkdir()
    shutil.copyfile(MAPPING, pkg / "mappings" / "fixture-series.toml")
    (pkg / "CHANGELOG.md").write_text("# Changelog\n\n## [Unreleased]\n")
    _import(pkg, "snap-b", B)
    states = series_states(read_folder(pkg), dt.date(2024, 1, 20))
    assert [(s.name, s.last_day, s.commit, s.stale) for s in states] == [
        ("fixture-series", dt.date(2024, 1, 5), B, False)
    ]
    init_repo(pkg)
    result = check_contribution(pkg, "main", today=TODAY)
    assert result.ok and len(result.warnings) == 1
    assert "runs to 2024-01-05 (snapshot bbbbbbbbbbbb)" in result.warnings[0]
    assert "update within 30 days: claims import fixture-series FOLDER" in result.warnings[0]
    assert "warning: the series fixture-series runs to 2024-01-05" in render_text(result)
    assert "::warning title=series out of date::" in render_github(result)


# -- path independence and rebuilds with every kind of change ---------------------------------------


def _variant(tmp_path: Path, name: str, base: str, file: str, change) -> Path:
    """A copy of the snapshot base with one file's records changed."""
    folder = tmp_path / name
    shutil.copytree(UPSTREAM / base, folder)
    path = folder / "data" / file
    records = json.loads(path.read_text())
    change(records)
    path.write_text(json.dumps(records, indent=4))
    return folder


def _set(index: int, **fields: object):
    return lambda records: records[index].update(fields)


def _drop(index: int, *names: str):
    return lambda records: [records[index].pop(n) for n in names]


# Each kind of change an upstream makes to a day the package holds already, made in the snapshot
# between (M') and kept in the newer one (B'): (file, the change).
CHANGES = {
    "figure": ("equipment.json", _set(1, tanks=13)),
    "marker_dropped": ("personnel.json", _drop(0, "people*")),
    "marker_added": ("equipment.json", _set(0, **{"tanks*": "about"})),
    "marker_changed": ("personnel.json", _set(1, **{"people*": "about"})),
    "figure_and_marker": ("personnel.json", _set(2, people=1310, **{"people*": "more"})),
    "correction_value": ("corrections.json", _set(0, tanks=-3)),
    "correction_added": ("corrections.json", _set(0, people=5)),
    "correction_removed": ("corrections.json", _set(0, tanks=0)),
}


@pytest.mark.parametrize("kind", sorted(CHANGES))
def test_a_snapshot_between_that_changes_a_past_day_changes_nothing_in_the_end(tmp_path: Path, kind: str) -> None:
    """A -> M' -> B' gives the package A -> B' gives, for every kind of change M' makes."""
    file, change = CHANGES[kind]
    mid = _variant(tmp_path, "mid", "snap-mid", file, change)
    newer = _variant(tmp_path, "newer", "snap-b", file, change)
    direct, stepwise = series_package(tmp_path / "direct"), series_package(tmp_path / "stepwise")
    import_snapshot(direct, MAPPING, UPSTREAM / "snap-a", commit=A, today=TODAY)
    import_snapshot(direct, MAPPING, newer, commit=B, today=TODAY)
    for folder, commit in ((UPSTREAM / "snap-a", A), (mid, MID), (newer, B)):
        import_snapshot(stepwise, MAPPING, folder, commit=commit, today=TODAY)
    assert snapshot(stepwise) == snapshot(direct)


@pytest.mark.parametrize("kind", sorted(CHANGES))
def test_a_package_with_every_kind_of_change_rebuilds_to_the_same_bytes(tmp_path: Path, kind: str) -> None:
    file, change = CHANGES[kind]
    pkg = series_package(tmp_path / "pkg")
    import_snapshot(pkg, MAPPING, UPSTREAM / "snap-a", commit=A, today=TODAY)
    import_snapshot(pkg, MAPPING, _variant(tmp_path, "newer", "snap-b", file, change), commit=B, today=TODAY)
    assert validate_package(pkg, today=TODAY).valid
    before = snapshot(pkg)
    result = rebuild_series(pkg, MAPPING, check=True, today=TODAY)
    assert result.differs == [], result.differs
    assert snapshot(pkg) == before


def test_a_dropped_marker_is_a_correction_of_wording(tmp_path: Path) -> None:
    """The same figure without its "about": a new claim with the new wording supersedes the old,
    and the older file stays archived, since it is what the old claim's wording rests on."""
    pkg = series_package(tmp_path / "pkg")
    import_snapshot(pkg, MAPPING, UPSTREAM / "snap-a", commit=A, today=TODAY)
    newer = _variant(tmp_path, "newer", "snap-b", "personnel.json", _drop(0, "people*"))
    result = import_snapshot(pkg, MAPPING, newer, commit=B, today=TODAY)
    claims = {r["claim_id"]: r for r in _rows(pkg, "claims")}
    [(old, new)] = result.plan.superseded
    assert (claims[old]["wording"], claims[old]["status"]) == ("about 1000", "superseded")
    assert (claims[new]["wording"], claims[new]["qualifier"], claims[new]["supersedes"]) == ("1000", "exact", old)
    assert (pkg / "seeds/fixture-series/aaaaaaaaaaaa/data/personnel.json").is_file()
    assert claims[old]["source_id"] != claims[new]["source_id"]


# -- what the mapping says about the figures' meaning -------------------------------------------------


def _mapping_with(tmp_path: Path, extra: str, replace: tuple[str, str] = ("", "")) -> str:
    """The fixture mapping with TOML added (and one text replaced), as a file of the same name."""
    folder = tmp_path / "mapping"
    folder.mkdir(parents=True, exist_ok=True)
    text = (UPSTREAM / "fixture-series.toml").read_text(encoding="utf-8")
    if replace[0]:
        assert replace[0] in text
        text = text.replace(*replace)
    path = folder / "fixture-series.toml"
    path.write_text(text + "\n" + extra, encoding="utf-8")
    return str(path)


ANNOUNCED = """
[[announced]]
since = "2024-01-01"
until = "2024-01-01"
claimant = "fixture_minister"
attribution = "the fixture deputy minister, on the radio"

[claimants.fixture_minister]
name = "Fixture Ministry"
kind = "government"
"""


def test_days_announced_by_another_claimant_are_theirs(pkg: Path, tmp_path: Path) -> None:
    mapping = _mapping_with(tmp_path, ANNOUNCED)
    import_snapshot(pkg, mapping, UPSTREAM / "snap-a", commit=A, today=TODAY)
    day1 = [r for r in _series(pkg) if r["period_end"] == "2024-01-01"]
    by_metric = {r["metric_id"]: (r["claimant_id"], r["attribution"]) for r in day1}
    assert by_metric == {
        "fixture_people": ("fixture_minister", "the fixture deputy minister, on the radio"),
        "fixture_captured": ("fixture_counter", ""),  # another claimant's category: not announced instead
        "fixture_tanks": ("fixture_minister", "the fixture deputy minister, on the radio"),
        "fixture_trucks": ("fixture_minister", "the fixture deputy minister, on the radio"),
    }
    assert {r["claimant_id"] for r in _series(pkg) if r["period_end"] > "2024-01-01"} == {
        "fixture_staff",
        "fixture_counter",
    }
    assert "fixture_minister" in {r["claimant_id"] for r in _rows(pkg, "claimants")}
    assert validate_package(pkg, today=TODAY).valid
    assert rebuild_series(pkg, mapping, check=True, today=TODAY).differs == []


def test_an_announcement_added_to_the_mapping_is_applied_by_a_rebuild(pkg: Path, tmp_path: Path) -> None:
    import_snapshot(pkg, MAPPING, UPSTREAM / "snap-a", commit=A, today=TODAY)
    before = {r["claim_id"]: r for r in _series(pkg)}
    mapping = _mapping_with(tmp_path, ANNOUNCED)
    assert rebuild_series(pkg, mapping, today=TODAY).differs == ["claimants", "claims"]
    after = {r["claim_id"]: r for r in _series(pkg)}
    changed = {k for k in after if after[k] != before[k]}
    assert changed == {"C0005", "C0007", "C0008"}  # day 1: people, tanks, trucks (captured is the counter's)
    assert {after[k]["claimant_id"] for k in changed} == {"fixture_minister"}
    assert rebuild_series(pkg, mapping, check=True, today=TODAY).differs == []


REDATED = """
[[correction_dates]]
date = "2024-01-03"
effective = "2024-01-04"
evidence = "The fixture totals move by it on 2024-01-04."
"""


def test_a_correction_says_the_day_of_its_effect_with_the_evidence(pkg: Path, tmp_path: Path) -> None:
    mapping = _mapping_with(tmp_path, REDATED)
    import_snapshot(pkg, mapping, UPSTREAM / "snap-a", commit=A, today=TODAY)
    [row] = _rows(pkg, "series_corrections")
    assert (row["date"], row["effective"], row["value"], row["locator"]) == (
        "2024-01-03",
        "2024-01-04",
        "-2",
        "/0/tanks",
    )
    assert row["notes"] == (
        "The corrections file dates this change 2024-01-03; it shows in the totals of 2024-01-04 (effective). "
        "The fixture totals move by it on 2024-01-04."
    )
    # the fall of the tanks on 2024-01-03 (12 -> 11) is no longer explained by a change of 2024-01-04
    falls = [p for p in validate_package(pkg, today=TODAY).problems if p.code == "cumulative-decrease"]
    assert [p.key for p in falls] == ["C0014"] and "no correction of theirs" in falls[0].message
    assert rebuild_series(pkg, mapping, check=True, today=TODAY).differs == []


def test_a_redated_day_the_file_no_longer_has_is_refused(pkg: Path, tmp_path: Path) -> None:
    """The upstream fixed the date itself: moving it again would be wrong, so the mapping must change."""
    mapping = _mapping_with(tmp_path, REDATED.replace('date = "2024-01-03"', 'date = "2024-01-02"'))
    before = snapshot(pkg)
    with pytest.raises(ImportRefused, match="re-dates the corrections of 2024-01-02, but the file has no record"):
        import_snapshot(pkg, mapping, UPSTREAM / "snap-a", commit=A, today=TODAY)
    assert snapshot(pkg) == before


DAY_COUNT = (
    'path = "data/corrections.json"\ndate = "date"\nignore = ["day"]',
    ('path = "data/corrections.json"\ndate = "date"\nday_field = "day"\nday_one = "2023-12-31"'),
)


def test_a_day_count_that_disagrees_with_the_date_is_reported_not_followed(pkg: Path, tmp_path: Path) -> None:
    """The fixture corrections record (2024-01-03) says day 4: counting 2023-12-31 as day 1 that is
    right; counting from 2024-01-01 it is not."""
    right = _mapping_with(tmp_path / "right", "", DAY_COUNT)
    assert not import_snapshot(pkg, right, UPSTREAM / "snap-a", commit=A, today=TODAY, dry_run=True).day_mismatches
    wrong = _mapping_with(tmp_path / "wrong", "", (DAY_COUNT[0], DAY_COUNT[1].replace("2023-12-31", "2024-01-01")))
    out = runner.invoke(app, ["import", wrong, str(UPSTREAM / "snap-a"), "--commit", A, "-p", str(pkg)])
    assert out.exit_code == 0, out.output
    assert "note: data/corrections.json: 1 record(s) whose day count disagrees with the date" in out.stderr
    assert "/0 (2024-01-03) gives day 4, the date's day is 3" in out.stderr
    source = next(r for r in _rows(pkg, "sources") if r["upstream_path"] == "data/corrections.json")
    assert source["notes"].endswith(
        "Its field 'day' (days counted from 2024-01-01 as day 1) disagrees with the date on 1 record(s): /0 "
        "(2024-01-03) gives 'day' 4, the date's day is 3; the date is followed."
    )
    [row] = _rows(pkg, "series_corrections")
    assert row["date"] == "2024-01-03"  # the date is followed


def test_the_commit_date_is_the_sources_publication_date(pkg: Path, tmp_path: Path) -> None:
    out = runner.invoke(
        app,
        ["import", MAPPING, str(UPSTREAM / "snap-a"), "--commit", A, "--commit-date", "2024-01-03", "-p", str(pkg)],
    )
    assert out.exit_code == 0, out.output
    assert {r["published"] for r in _rows(pkg, "sources") if r["data_path"]} == {"2024-01-03"}
    out = runner.invoke(
        app, ["import", MAPPING, str(UPSTREAM / "snap-a"), "--commit", A, "--commit-date", "2024-02-30"]
    )
    assert out.exit_code == 2 and "--commit-date '2024-02-30' is not a day" in out.stderr


def test_a_checkout_gives_its_commit_date(pkg: Path, tmp_path: Path) -> None:
    from .conftest import git, init_repo

    checkout = tmp_path / "checkout"
    shutil.copytree(UPSTREAM / "snap-a", checkout)
    init_repo(checkout)
    import os
    import subprocess

    env = {**os.environ, "GIT_COMMITTER_DATE": "2024-01-03T12:00:00"}
    subprocess.run(["git", "-C", str(checkout), "commit", "--amend", "-q", "--no-edit"], check=True, env=env)
    assert git(checkout, "log", "-1", "--format=%cs").strip() == "2024-01-03"
    import_snapshot(pkg, MAPPING, checkout, today=TODAY)
    assert {r["published"] for r in _rows(pkg, "sources") if r["data_path"]} == {"2024-01-03"}
    with pytest.raises(UsageError, match="not of --commit-date 1999-01-01"):
        import_snapshot(pkg, MAPPING, checkout, commit_date="1999-01-01", today=TODAY)


# -- a file newest first, each record with its report's address (fixture-newest.toml) -----------

NEWEST = str(UPSTREAM / "fixture-newest.toml")


def _newest(pkg: Path, snap: str | Path, commit: str, day: str):
    folder = snap if isinstance(snap, Path) else UPSTREAM / snap
    return import_snapshot(pkg, NEWEST, folder, commit=commit, commit_date=day, today=TODAY)


def test_a_file_newest_first_is_read_by_day_and_located_by_its_date(pkg: Path) -> None:
    _newest(pkg, "newest-a", A, "2024-01-03")
    claims = _series(pkg)
    got = [(r["period_end"], r["metric_id"], r["wording"], r["qualifier"], r["locator"]) for r in claims]
    assert got == [
        (
            "2024-01-01",
            "fixture_people",
            "about 1000",
            "approximately",
            "/date=2024-01-01/people",
        ),  # the category's marker
        ("2024-01-01", "fixture_tanks", "10", "exact", "/date=2024-01-01/tanks"),  # robots null: no figure
        ("2024-01-02", "fixture_people", "about 1150", "approximately", "/date=2024-01-02/people"),
        ("2024-01-02", "fixture_tanks", "11", "exact", "/date=2024-01-02/tanks"),
        ("2024-01-02", "fixture_robots", "1", "exact", "/date=2024-01-02/robbots"),  # the field as the file names it
        ("2024-01-03", "fixture_people", "about 1300", "approximately", "/date=2024-01-03/people"),
        ("2024-01-03", "fixture_tanks", "12", "exact", "/date=2024-01-03/tanks"),
        ("2024-01-03", "fixture_robots", "2", "exact", "/date=2024-01-03/robots"),
    ]
    assert [int(r["claim_id"][1:]) for r in claims] == sorted(int(r["claim_id"][1:]) for r in claims)
    assert all(r["notes"] == f"Reference given by the compiler: https://example.org/reports/{r['period_end'][-1]}"
               for r in claims)  # fmt: skip
    report = validate_package(pkg, today=TODAY)
    assert report.total == 0, [(p.code, p.message) for p in report.problems]


def test_a_day_put_on_top_of_a_file_newest_first_moves_no_claim(pkg: Path) -> None:
    _newest(pkg, "newest-a", A, "2024-01-03")
    before = _series(pkg)
    result = _newest(pkg, "newest-b", B, "2024-01-04")
    after = _series(pkg)
    assert after[: len(before)] == before  # every record moved down one place; its locator names its date
    assert [(r["period_end"], r["locator"]) for r in after[len(before) :]] == [
        ("2024-01-04", "/date=2024-01-04/people"),
        ("2024-01-04", "/date=2024-01-04/tanks"),
        ("2024-01-04", "/date=2024-01-04/robots"),
    ]
    assert result.plan.superseded == []
    assert validate_package(pkg, today=TODAY).total == 0
    assert rebuild_series(pkg, NEWEST, check=True, today=TODAY).differs == []


def test_a_keyed_locator_naming_no_record_is_a_problem(pkg: Path) -> None:
    _newest(pkg, "newest-a", A, "2024-01-03")
    text = (pkg / "data" / "claims.csv").read_text(encoding="utf-8")
    (pkg / "data" / "claims.csv").write_text(text.replace("/date=2024-01-02/tanks", "/date=2024-01-09/tanks"))
    report = validate_package(pkg, today=TODAY)
    [problem] = report.problems
    assert problem.column == "locator" and "/date=2024-01-09/tanks" in problem.message


@pytest.mark.parametrize(
    ("records", "message"),
    [
        ([{"date": "2024-01-01", "people": 1}, {"date": "2024-01-02", "people": 2}], "newest first"),
        ([{"date": "2024-01-02", "people": 2, "robots": 1, "robbots": 1}], "twice, under two of its names"),
        ([{"date": "2024-01-02", "people": "2", "sourceUri": "https://example.org/r"}], "not a whole number"),
    ],
)
def test_a_file_newest_first_with_bad_records_is_refused(pkg: Path, tmp_path: Path, records, message: str) -> None:
    folder = tmp_path / "snap"
    shutil.copytree(UPSTREAM / "newest-a", folder)
    (folder / "days.json").write_text(json.dumps(records), encoding="utf-8")
    before = snapshot(pkg)
    with pytest.raises(ImportRefused) as refused:
        _newest(pkg, folder, A, "2024-01-03")
    assert message in str(refused.value)
    assert snapshot(pkg) == before


def test_a_field_that_counted_something_else_before_a_day_takes_that_metric(pkg: Path, tmp_path: Path) -> None:
    """[[categories.<field>.earlier]]: a compiler that kept one field through the claimant's change
    of category; its figures to `until` are the earlier metric's and subject's."""
    mapping = tmp_path / "fixture-newest.toml"
    text = (UPSTREAM / "fixture-newest.toml").read_text(encoding="utf-8")
    earlier = (
        '\n[[categories.tanks.earlier]]\nuntil = "2024-01-02"\nmetric = "fixture_old_tanks"\n'
        'subject = "fixture tanks of the old count"\n'
    )
    text = text.replace("[categories.robots]", earlier + "\n[categories.robots]")
    text += '\n[metrics.fixture_old_tanks]\nlabel = "Fixture old tanks"\ndefinition = "Invented."\nunit = "item"\n'
    mapping.write_text(text, encoding="utf-8")
    import_snapshot(pkg, str(mapping), UPSTREAM / "newest-a", commit=A, commit_date="2024-01-03", today=TODAY)
    tanks = [(r["period_end"], r["metric_id"], r["subject"]) for r in _series(pkg) if r["locator"].endswith("/tanks")]
    assert tanks == [
        ("2024-01-01", "fixture_old_tanks", "fixture tanks of the old count"),
        ("2024-01-02", "fixture_old_tanks", "fixture tanks of the old count"),
        ("2024-01-03", "fixture_tanks", "fixture tanks"),
    ]
    assert validate_package(pkg, today=TODAY).total == 0
    mapping.write_text(text.replace('until = "2024-01-02"', 'until = "someday"'), encoding="utf-8")
    with pytest.raises(UsageError, match="until"):
        import_snapshot(pkg, str(mapping), UPSTREAM / "newest-a", commit=A, commit_date="2024-01-03", today=TODAY)
