"""claims import of a file of running tallies (several figures a row, both sides, dated rows only
on the days a tally changed): tests/fixtures/upstream/fixture-tallies.toml over tallies-v1 and
tallies-v2, invented.

v1: an opening row of zeros per type dated before the period (the compiler's baseline); northern
tanks and "Launchers\\n" (a name ending in a line break) on 01-03; trucks on 01-04 and, renamed
"Trucks, Vans, and Jeeps", on 01-05; a heading that carries its own figures ("Losses excluding
Drones - 11, of which: ..."); "All Types" equal to its parts in the north, one more than them in
the south. v2, the upstream's rewritten history: drops 01-03 and some rows of later days, gives
the southern tanks of 01-04 another count (and "All Types" with it), a heading whose total differs
from its row's column, and a new day, 01-06.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from toolkit.check.validate import validate_package
from toolkit.errors import UsageError
from toolkit.upstream.import_render import render_json, render_text
from toolkit.upstream.mapping import read_mapping
from toolkit.upstream.plan import ImportRefused
from toolkit.upstream.series_import import SnapshotGiven, import_snapshot, import_snapshots, rebuild_series

from .conftest import UPSTREAM, series_package

MAPPING = str(UPSTREAM / "fixture-tallies.toml")
TODAY = dt.date(2026, 1, 1)
VERSIONS = {"v1": ("1" * 40, "2024-01-05"), "v2": ("2" * 40, "2024-01-07")}


def _import(pkg: Path, version: str, folder: Path | None = None):
    commit, day = VERSIONS[version]
    return import_snapshot(
        pkg, MAPPING, folder or UPSTREAM / f"tallies-{version}", commit=commit, commit_date=day, today=TODAY
    )


def _claims(pkg: Path, prefix: str = "tally_") -> list[dict[str, str]]:
    text = (pkg / "data" / "claims.csv").read_text(encoding="utf-8")
    return [r for r in csv.DictReader(io.StringIO(text)) if r["metric_id"].startswith(prefix)]


def _live(pkg: Path, prefix: str = "tally_") -> dict[tuple[str, str, str], dict[str, str]]:
    """The current claims of the metrics named prefix..., by metric, subject and day."""
    rows = _claims(pkg, prefix)
    return {(r["metric_id"], r["subject"], r["period_end"]): r for r in rows if r["status"] == "reported"}


@pytest.fixture
def pkg(tmp_path: Path) -> Path:
    return series_package(tmp_path / "pkg")


def test_each_row_gives_five_claims_of_its_side_each_status_its_own_metric(pkg: Path) -> None:
    result = _import(pkg, "v1")
    live = _live(pkg)
    # 12 rows, 2 of them opening zeros: 10 rows of 5 figures
    assert len(_claims(pkg)) == 50 and result.baselines == {"daily_count.csv": 2}
    tanks = {m: live[m, "northern tanks", "2024-01-03"] for m in ("tally_tanks", "tally_tanks_destroyed")}
    assert (tanks["tally_tanks"]["value"], tanks["tally_tanks"]["locator"]) == ("8", "/2/type_total")
    assert (tanks["tally_tanks_destroyed"]["value"], tanks["tally_tanks_destroyed"]["locator"]) == ("5", "/2/destroyed")
    assert {r["side"] for r in _claims(pkg) if r["subject"].startswith("southern")} == {"ukraine"}
    assert {r["side"] for r in _claims(pkg) if r["subject"].startswith("northern")} == {"russia"}
    assert all(r["claimant_id"] == "fixture_spotters" and r["period_start"] == "2024-01-02" for r in _claims(pkg))
    assert not any(r["period_end"] < "2024-01-02" for r in _claims(pkg))  # no zero of the baseline is a claim
    assert validate_package(pkg, today=TODAY).valid


def test_a_name_ending_in_a_line_break_is_the_mappings_category_the_file_untouched(pkg: Path) -> None:
    _import(pkg, "v1")
    launchers = _live(pkg)["tally_launchers", "northern launchers", "2024-01-03"]
    assert launchers["value"] == "2"
    assert launchers["notes"] == "The file names the category 'Launchers\\n'."
    archived = pkg / "seeds" / "fixture-tallies" / ("1" * 12) / "daily_count.csv"
    assert archived.read_bytes() == (UPSTREAM / "tallies-v1" / "daily_count.csv").read_bytes()


def test_a_renamed_type_is_one_metric_its_name_noted(pkg: Path) -> None:
    _import(pkg, "v1")
    live = _live(pkg)
    before, after = (
        live["tally_trucks", "northern trucks", "2024-01-04"],
        live["tally_trucks", "northern trucks", "2024-01-05"],
    )
    assert (before["value"], before["notes"]) == ("3", "")
    assert (after["value"], after["notes"]) == ("4", "The file names the category 'Trucks, Vans, and Jeeps'.")


def test_a_heading_with_its_own_figures_is_parsed_and_checked(pkg: Path) -> None:
    first = _import(pkg, "v1")
    heading = _live(pkg)["tally_heading", "northern equipment excluding drones", "2024-01-04"]
    assert (heading["value"], heading["locator"], heading["notes"]) == ("11", "/9/type_total", "")
    assert first.heading_mismatches == {}  # every figure of the heading equals its row's column
    second = _import(pkg, "v2")
    assert second.heading_mismatches == {
        "daily_count.csv": ["row 6: the heading gives type_total 12, the row's column 11 (read)"]
    }
    text = "".join(render_text([second]))
    assert "warning: daily_count.csv: row 6: the heading gives type_total 12, the row's column 11 (read)" in text
    source = [r for r in csv.DictReader(io.StringIO((pkg / "data/sources.csv").read_text())) if "222222" in r["notes"]]
    assert "the heading gives type_total 12" in source[0]["notes"]


def test_all_types_unequal_to_its_parts_is_a_warning_not_a_refusal(pkg: Path) -> None:
    result = _import(pkg, "v1")
    warnings = result.total_mismatches["daily_count.csv"]
    # the north's total changes as its parts do; the south's by one more, in type_total and damaged
    assert [w.split(":")[0] for w in warnings] == ["All Types (southern, damaged)", "All Types (southern, type_total)"]
    assert "latest 2024-01-04: +4 against +3" in warnings[1]
    assert _live(pkg)["tally_all", "southern equipment", "2024-01-04"]["value"] == "4"  # imported as given
    assert json.loads(render_json([result]))["snapshots"][0]["total_mismatches"]["daily_count.csv"] == warnings


def test_the_newer_version_drops_days_and_nothing_is_deleted(pkg: Path) -> None:
    _import(pkg, "v1")
    before = _claims(pkg)
    result = _import(pkg, "v2")
    after = {r["claim_id"]: r for r in _claims(pkg)}
    assert all(r["claim_id"] in after for r in before)  # every claim stays
    assert result.plan.missing == {"daily_count.csv": [dt.date(2024, 1, 3)]}  # the whole day dropped
    assert result.plan.dropped == {"daily_count.csv": 10}  # the north's All Types of 01-04 and 01-05, 5 figures each
    assert after[_live(pkg)["tally_tanks", "northern tanks", "2024-01-03"]["claim_id"]]["status"] == "reported"
    text = "".join(render_text([result]))
    assert "1 day(s) the package holds are missing from the snapshot; nothing was deleted" in text
    assert "10 figure(s) held of days this snapshot still has are not in it" in text


def test_a_count_changed_for_the_same_day_is_a_correction_with_both_figures(pkg: Path) -> None:
    _import(pkg, "v1")
    old = _live(pkg)["tally_tanks", "southern tanks", "2024-01-04"]
    result = _import(pkg, "v2")
    claims = {r["claim_id"]: r for r in _claims(pkg)}
    new = _live(pkg)["tally_tanks", "southern tanks", "2024-01-04"]
    assert (claims[old["claim_id"]]["status"], claims[old["claim_id"]]["value"], new["value"]) == (
        "superseded",
        "3",
        "4",
    )
    assert new["notes"].startswith(f"Supersedes {old['claim_id']}")
    assert result.plan.why[old["claim_id"]] == "its figure (3 -> 4)"
    # the tanks' total and destroyed count changed, and All Types' with them: four corrections
    assert len(result.plan.superseded) == 4
    assert validate_package(pkg, today=TODAY).valid


def test_the_same_version_twice_changes_nothing(pkg: Path) -> None:
    _import(pkg, "v1")
    _import(pkg, "v2")
    files = {p: p.read_bytes() for p in (pkg / "data").glob("*.csv")}
    again = _import(pkg, "v2")
    assert not again.changed
    assert {p: p.read_bytes() for p in (pkg / "data").glob("*.csv")} == files


def test_both_versions_at_once_are_the_two_imports_one_after_the_other(tmp_path: Path) -> None:
    one, two = series_package(tmp_path / "one"), series_package(tmp_path / "two")
    _import(one, "v1")
    _import(one, "v2")
    given = [
        SnapshotGiven(folder=UPSTREAM / f"tallies-{v}", commit=VERSIONS[v][0], commit_date=VERSIONS[v][1])
        for v in ("v1", "v2")
    ]
    import_snapshots(two, MAPPING, given, today=TODAY)
    for name in ("claims", "sources", "metrics"):
        assert (one / "data" / f"{name}.csv").read_bytes() == (two / "data" / f"{name}.csv").read_bytes()
    rebuilt = rebuild_series(two, MAPPING, check=True, today=TODAY)  # data/ derived again from the archives
    assert rebuilt.differs == [] and len(rebuilt.snapshots) == 2
    claims = two / "data" / "claims.csv"
    claims.write_text(
        claims.read_text(encoding="utf-8").replace(",8,exact,8,8,8,", ",9,exact,9,9,9,", 1), encoding="utf-8"
    )
    with pytest.raises(UsageError, match="locator-value-mismatch: The data file of S0003 holds 8 at /2/type_total"):
        rebuild_series(two, MAPPING, check=True, today=TODAY)  # a figure edited by hand: its archive says otherwise


def _copy_with(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "snap"
    folder.mkdir()
    (folder / "LICENSE").write_bytes((UPSTREAM / "tallies-v1" / "LICENSE").read_bytes())
    (folder / "daily_count.csv").write_text(text, encoding="utf-8", newline="")
    return folder


HEADER = "country,equipment_type,destroyed,abandoned,captured,damaged,type_total,date_recorded,type_total_diff\n"


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("North,Tanks,1,0,0,0,1,2024-01-01,1\n", "2024-01-01 is before the period the figures count from"),
        ("North,Bicycles,1,0,0,0,1,2024-01-03,1\n", "'Bicycles' is not a category the mapping names"),
        ("Middle,Tanks,1,0,0,0,1,2024-01-03,1\n", "'Middle' is not an item the mapping names"),
        ("North,Tanks,one,0,0,0,1,2024-01-03,1\n", "'one' is not a whole number"),
        (
            'North,Tanks,1,0,0,0,1,2024-01-03,1\nNorth,"Tanks",2,0,0,0,2,2024-01-03,1\n',
            "a second row of Tanks (northern) for 2024-01-03, beside row 2",
        ),
        (
            'North,"Losses excluding Drones - 1, of which: destroyed: 1",1,0,0,0,1,2024-01-03,1\n',
            "is not a category the mapping names",
        ),
    ],
)
def test_a_row_the_mapping_cannot_read_refuses_the_snapshot_with_its_place(
    pkg: Path, tmp_path: Path, row: str, expected: str
) -> None:
    before = (pkg / "data" / "claims.csv").read_bytes()
    with pytest.raises(ImportRefused) as caught:
        _import(pkg, "v1", _copy_with(tmp_path, HEADER + row))
    assert expected in str(caught.value)
    assert "daily_count.csv row " in str(caught.value)
    assert (pkg / "data" / "claims.csv").read_bytes() == before


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("baseline_zeros = true", 'baseline_zeros = "yes"', "files[0].baseline_zeros: true or false is required"),
        ('type_total = ""', 'type_total = "total"', "is not a metric suffix"),
        ('destroyed = "_destroyed"', 'destroyed = ""', "two columns give one suffix"),
        ("(?P<captured>", "(?P<stolen>", "(stolen) is not a figure column of a file"),
        ("(?P<captured>\\d+)$'", "(\\d+$'", "not a regular expression"),
        ('layout = "rows"', 'layout = "rows"\nfigure = "type_total"', "give figure (one column) or figures"),
    ],
)
def test_a_mistake_in_a_mapping_of_tallies_names_its_key(tmp_path: Path, old: str, new: str, expected: str) -> None:
    text = Path(MAPPING).read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "fixture-tallies.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        read_mapping(path)
    assert expected in str(caught.value)


def test_the_oryx_daily_mapping_reads_a_file_laid_out_like_its_upstreams(pkg: Path, tmp_path: Path) -> None:
    """mappings/oryx-daily.toml over an invented file with the upstream's columns and type names: a
    name with its line break, a renamed type, a heading with its figures, the opening zeros."""
    from .conftest import ROOT

    mapping = read_mapping(ROOT / "mappings" / "oryx-daily.toml")
    assert not mapping.follow and len(mapping.metric_ids) == 190
    assert all(mapping.metrics[m]["falls"] for m in mapping.metric_ids)
    compared = {
        m: mapping.metrics[m]["compares_with"] for m in mapping.metric_ids if "compares_with" in mapping.metrics[m]
    }
    # a type's total compares with what its per-model counts compare with; never a status's count; a
    # retired type whose entries may have moved (heavy mortars, the unmanned aerial vehicles before
    # their split) with nothing
    assert compared == {
        f"oryx_tally_{key}": gs
        for gs, keys in {
            "tank_losses": ["tanks"],
            "aircraft_losses": ["aircraft"],
            "helicopter_losses": ["helicopters"],
            "mrl_losses": ["mrls"],
            "naval_ship_losses": ["naval_ships"],
            "vehicle_losses": ["trucks"],
            "apc_losses": ["afvs", "apcs", "ifvs", "imvs", "mraps", "sp_atgms"],
            "artillery_losses": ["sp_artillery", "towed_artillery"],
            "air_defence_losses": ["aa_guns", "spaags", "sams"],
        }.items()
        for key in keys
    }
    with (pkg / "data" / "claimants.csv").open("a", encoding="utf-8") as handle:
        handle.write("oryx,Oryx,other,,\n")
    with (pkg / "data" / "metrics.csv").open("a", encoding="utf-8") as handle:  # what the tallies compare with
        for metric in sorted(set(compared.values())):
            handle.write(f"{metric},Fixture {metric},Invented: the staff's daily total.,item,,,\n")
    diffs = ",".join(f"{c}_diff" for c in ("destroyed", "abandoned", "captured", "damaged", "type_total"))
    header = f"country,equipment_type,destroyed,abandoned,captured,damaged,type_total,date_recorded,{diffs}"
    header += "," + ",".join(f"{c}_diff_diff" for c in ("destroyed", "abandoned", "captured", "damaged", "type_total"))
    zeros = ",0,0,0,0,0,0,0,0,0,0"
    rows = [
        "Russia,Tanks,0,0,0,0,0,2022-02-23" + zeros,
        "Russia,Tanks,7,1,2,1,11,2022-03-01" + zeros,
        'Ukraine,"Surface-To-Air Missile Systems\n",2,0,1,0,3,2022-03-01' + zeros,
        'Russia,"Trucks, Vehicles, and Jeeps",4,0,0,0,4,2022-03-01' + zeros,
        'Russia,"Losses excluding Recon Drones and Trucks - 9, of which: destroyed: 6, damaged: 1, abandoned: 1, '
        'captured: 1",6,1,1,1,9,2022-03-01' + zeros,
        "Russia,All Types,11,1,2,1,15,2022-03-01" + zeros,
    ]
    folder = tmp_path / "oryx-daily"
    folder.mkdir()
    (folder / "daily_count.csv").write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8", newline="")
    (folder / "LICENSE").write_text("Invented licence text.\n", encoding="utf-8")
    result = import_snapshot(
        pkg, str(ROOT / "mappings" / "oryx-daily.toml"), folder, commit="3" * 40, commit_date="2022-03-02", today=TODAY
    )
    live = _live(pkg, "oryx_tally_")
    assert result.baselines == {"daily_count.csv": 1} and len(live) == 25
    assert live["oryx_tally_tanks_captured", "Russian tanks", "2022-03-01"]["value"] == "2"
    sams = live["oryx_tally_sams", "Ukrainian surface-to-air missile systems", "2022-03-01"]
    assert (sams["side"], sams["value"]) == ("ukraine", "3")
    assert live["oryx_tally_trucks", "Russian trucks, vehicles and jeeps", "2022-03-01"]["notes"].startswith(
        "The file names the category 'Trucks, Vehicles, and Jeeps'"
    )
    heading = (
        "oryx_tally_excluding_recon_drones_trucks",
        "Russian equipment excluding reconnaissance drones and trucks",
    )
    assert live[(*heading, "2022-03-01")]["value"] == "9"
    assert result.total_mismatches == {}  # 11 + 4 = 15, and so for each status
    assert validate_package(pkg, today=TODAY).valid


def test_the_cli_imports_both_versions_as_one_change_and_says_what_it_found(pkg: Path) -> None:
    from typer.testing import CliRunner

    from toolkit.cli import app

    args = ["import", MAPPING, str(UPSTREAM / "tallies-v1"), str(UPSTREAM / "tallies-v2"), "-p", str(pkg)]
    for version in ("v1", "v2"):
        args += ["--commit", VERSIONS[version][0], "--commit-date", VERSIONS[version][1]]
    out = CliRunner().invoke(app, args)
    assert out.exit_code == 0, out.output  # warnings: the import is made
    assert "note: daily_count.csv: 2 opening row(s) of zeros dated before the period's start skipped" in out.stderr
    assert "warning: daily_count.csv: All Types (southern, type_total): its change differs" in out.stderr
    assert "warning: daily_count.csv: row 6: the heading gives type_total 12, the row's column 11 (read)" in out.stderr
    assert "warning: 1 day(s) the package holds are missing from the snapshot; nothing was deleted" in out.stderr
    assert "new claims: 50 (C0005 to C0054)" in out.stdout and "superseded: C0020 by C0055" in out.stdout
