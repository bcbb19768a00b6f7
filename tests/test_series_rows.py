"""claims import of a file of one figure per record (layout "rows"): tests/fixtures/upstream
fixture-models.toml over models-v1..v3, invented and laid out like the compiler's Oryx file.

v1 (2024-01-02) names its category field `kind` and lists "Hauler" twice; v2 (2024-01-03) calls
the field `kind_fx`; v3 (2024-01-04) drops FX-2, adds FX-3, and gives the unknown trucks 13 where
v2 gave 14.
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

MODELS = str(UPSTREAM / "fixture-models.toml")
SERIES = str(UPSTREAM / "fixture-series.toml")
TODAY = dt.date(2026, 11, 25)
VERSIONS = {
    "v1": ("models-v1", "1" * 40, "2024-01-02"),
    "v2": ("models-v2", "2" * 40, "2024-01-03"),
    "v3": ("models-v3", "3" * 40, "2024-01-04"),
}
runner = CliRunner()


def _package(tmp_path: Path, name: str = "pkg") -> Path:
    """The series fixture's package with its snapshot B: the staff's tanks the models compare with."""
    pkg = series_package(tmp_path / name)
    import_snapshot(pkg, SERIES, UPSTREAM / "snap-b", commit="b" * 40, today=TODAY)
    return pkg


def _import(pkg: Path, version: str, **options: object):
    folder, commit, day = VERSIONS[version]
    return import_snapshot(pkg, MODELS, UPSTREAM / folder, commit=commit, commit_date=day, today=TODAY, **options)


def _rows(pkg: Path, table: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((pkg / "data" / f"{table}.csv").read_text(encoding="utf-8"))))


def _models(pkg: Path) -> list[dict[str, str]]:
    return [r for r in _rows(pkg, "claims") if r["claimant_id"] == "fixture_spotters"]


@pytest.fixture
def pkg(tmp_path: Path) -> Path:
    return _package(tmp_path)


def test_a_dateless_version_is_dated_by_its_commit(pkg: Path) -> None:
    result = _import(pkg, "v1")
    claims = _models(pkg)
    assert [(r["metric_id"], r["subject"], r["value"], r["period_end"], r["locator"]) for r in claims] == [
        ("fixture_spotted_tanks", "fixture FX-1 tanks", "5", "2024-01-02", "/0/total"),
        ("fixture_spotted_tanks", "fixture FX-2 tanks", "3", "2024-01-02", "/1/total"),
        ("fixture_spotted_trucks", "fixture (Unknown) truck trucks", "12", "2024-01-02", "/2/total"),
        ("fixture_spotted_trucks", "fixture Hauler trucks", "1", "2024-01-02", "/3/total"),
        # listed twice by the upstream: two figures, the second named as such
        ("fixture_spotted_trucks", "fixture Hauler (entry 2) trucks", "1", "2024-01-02", "/4/total"),
    ]
    first = claims[0]
    assert (first["wording"], first["qualifier"], first["count_type"], first["period_start"]) == (
        "5",
        "exact",
        "cumulative",
        "2023-12-31",
    )
    [source] = [r for r in _rows(pkg, "sources") if r["upstream_path"] == "data/models.json"]
    assert (source["published"], source["commit"], source["publisher"]) == ("2024-01-02", "1" * 40, "Fixture Compiler")
    assert (
        source["notes"]
        == "The fixture compiler's data/models.json at 111111111111, dated 2024-01-02 (its commit's day): 5 rows."
    )
    assert result.plan.new_days == [dt.date(2024, 1, 2)] and len(result.plan.new_claims) == 5
    assert validate_package(pkg, today=TODAY).valid


def test_the_renamed_category_field_is_read_in_either_version(pkg: Path) -> None:
    _import(pkg, "v1")
    _import(pkg, "v2")
    days = {(r["period_end"], r["subject"]): r["value"] for r in _models(pkg)}
    assert days[("2024-01-02", "fixture FX-1 tanks")] == "5" and days[("2024-01-03", "fixture FX-1 tanks")] == "7"
    # each version is a source of its own: its claims rest on its own archive, which stays
    sources = [r for r in _rows(pkg, "sources") if r["upstream_path"] == "data/models.json"]
    assert [r["commit"] for r in sources] == ["1" * 40, "2" * 40]
    assert (pkg / "seeds/fixture-models/111111111111/data/models.json").is_file()


def test_a_model_that_disappears_is_named_and_nothing_is_deleted(pkg: Path) -> None:
    _import(pkg, "v1")
    _import(pkg, "v2")
    before = {r["claim_id"]: r for r in _models(pkg)}
    result = _import(pkg, "v3")
    after = {r["claim_id"]: r for r in _models(pkg)}
    assert {k: after[k] for k in before} == before
    assert result.plan.disappeared == {"data/models.json": ["fixture_spotted_tanks: fixture FX-2 tanks"]}
    out = runner.invoke(
        app,
        ["import", MODELS, str(UPSTREAM / "models-v3"), "--commit", "3" * 40, "--commit-date", "2024-01-04",
         "-p", str(pkg), "--format", "json"],
    )  # fmt: skip
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["changed"] is False  # imported already


def test_a_disappearing_model_is_reported_by_the_cli(pkg: Path) -> None:
    _import(pkg, "v2")
    folder, commit, day = VERSIONS["v3"]
    args = ["import", MODELS, str(UPSTREAM / folder), "--commit", commit, "--commit-date", day, "-p", str(pkg)]
    out = runner.invoke(app, [*args, "--dry-run", "--format", "json"])
    assert json.loads(out.stdout)["snapshots"][0]["disappeared"] == {
        "data/models.json": {"count": 1, "figures": ["fixture_spotted_tanks: fixture FX-2 tanks"]}
    }
    out = runner.invoke(app, args)
    assert out.exit_code == 0, out.output
    assert (
        "warning: data/models.json: 1 figure(s) of the latest day held are not in this snapshot "
        "(fixture_spotted_tanks: fixture FX-2 tanks); nothing was deleted"
    ) in out.stderr


def test_the_same_version_twice_changes_nothing(pkg: Path) -> None:
    _import(pkg, "v1")
    before = snapshot(pkg)
    again = _import(pkg, "v1")
    assert not again.changed and snapshot(pkg) == before


def test_a_count_that_falls_is_a_warning_at_its_claim(pkg: Path) -> None:
    for version in ("v1", "v2", "v3"):
        _import(pkg, version)
    falls = [p for p in validate_package(pkg, today=TODAY).problems if p.code == "cumulative-decrease"]
    trucks = [p for p in falls if "fixture_spotted_trucks" in p.message]
    assert [(p.value, p.message.split(" is lower")[0]) for p in trucks] == [
        ("13", "This running total of fixture_spotted_trucks by fixture_spotters (to 2024-01-04)")
    ]
    assert "lower than their figure of 2024-01-03" in trucks[0].message


def _content(pkg: Path, versions: set[str]) -> list[tuple[str, ...]]:
    """The claims of the given versions' days, without their IDs (minted in the order imported)."""
    commits = {r["source_id"]: r["commit"] for r in _rows(pkg, "sources")}
    days = {VERSIONS[v][2] for v in versions}
    return sorted(
        (commits[r["source_id"]], r["metric_id"], r["subject"], r["wording"], r["value"], r["period_end"], r["locator"])
        for r in _models(pkg)
        if r["period_end"] in days
    )


def test_every_version_in_order_or_the_first_and_last_give_the_same_claims(tmp_path: Path) -> None:
    every, ends = _package(tmp_path, "every"), _package(tmp_path, "ends")
    for version in ("v1", "v2", "v3"):
        _import(every, version)
    for version in ("v1", "v3"):
        _import(ends, version)
    assert _content(every, {"v1", "v3"}) == _content(ends, {"v1", "v3"})
    for rel in (
        "seeds/fixture-models/111111111111/data/models.json",
        "seeds/fixture-models/333333333333/data/models.json",
    ):
        assert (every / rel).read_bytes() == (ends / rel).read_bytes()
    assert validate_package(every, today=TODAY).error_count == 0
    assert validate_package(ends, today=TODAY).error_count == 0


def test_the_versions_rebuild_to_the_same_bytes(pkg: Path) -> None:
    for version in ("v1", "v2", "v3"):
        _import(pkg, version)
    before = snapshot(pkg)
    assert rebuild_series(pkg, MODELS, check=True, today=TODAY).differs == []
    claims = (pkg / "data/claims.csv").read_text(encoding="utf-8")
    (pkg / "data/claims.csv").write_text(claims.replace("fixture FX-3 tanks", "fixture FX-4 tanks"), encoding="utf-8")
    assert rebuild_series(pkg, MODELS, check=True, today=TODAY).differs == ["claims"]
    rebuild_series(pkg, MODELS, today=TODAY)
    assert snapshot(pkg) == before


def test_an_older_version_after_a_newer_is_refused(pkg: Path) -> None:
    _import(pkg, "v2")
    with pytest.raises(ImportRefused, match="ends on 2024-01-02, before the package's figures"):
        _import(pkg, "v1")


def test_a_dateless_file_without_a_commit_date_is_refused(pkg: Path) -> None:
    before = snapshot(pkg)
    out = runner.invoke(app, ["import", MODELS, str(UPSTREAM / "models-v1"), "--commit", "1" * 40, "-p", str(pkg)])
    assert out.exit_code == 2
    assert "the file's records carry no date, so the day is the commit's, which was not given" in out.stderr
    assert "--commit-date YYYY-MM-DD" in out.stderr and snapshot(pkg) == before


def _variant(tmp_path: Path, change) -> Path:
    folder = tmp_path / "variant"
    shutil.copytree(UPSTREAM / "models-v2", folder)
    path = folder / "data/models.json"
    records = json.loads(path.read_text())
    change(records)
    path.write_text(json.dumps(records))
    return folder


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda r: r[0].update(kind="Fixture Tanks"),
            "record 0 (/0), field 'kind_fx / kind': the record names its category twice",
        ),
        (lambda r: r[1].pop("kind_fx"), "record 1 (/1), field 'kind_fx / kind': the record names its category in none"),
        (
            lambda r: r[2].update(kind_fx="Fixture Boats"),
            "record 2 (/2), field 'kind_fx': 'Fixture Boats' is not a category",
        ),
        (lambda r: r[3].update(model=""), "record 3 (/3), field 'model': '' names nothing the figure counts"),
        (lambda r: r[0].update(total="7"), "record 0 (/0), field 'total': '7' is not a whole number"),
        (lambda r: r[0].update(colour="green"), "record 0 (/0), field 'colour': 'colour' is not a field the mapping"),
    ],
    ids=["two_category_fields", "no_category_field", "unknown_category", "no_item", "text_figure", "unknown_field"],
)
def test_bad_rows_are_refused_at_their_record(pkg: Path, tmp_path: Path, change, message: str) -> None:
    folder = _variant(tmp_path, change)
    before = snapshot(pkg)
    args = ["import", MODELS, str(folder), "--commit", "2" * 40, "--commit-date", "2024-01-03", "-p", str(pkg)]
    out = runner.invoke(app, args)
    assert out.exit_code == 2, out.output
    assert message in out.stderr and "nothing was written" in out.stderr
    assert snapshot(pkg) == before


def test_several_versions_at_once_are_one_change(tmp_path: Path) -> None:
    """Oldest first in one command: the same package as one import each, read and validated once."""
    each, once = _package(tmp_path, "each"), _package(tmp_path, "once")
    for version in ("v1", "v2", "v3"):
        _import(each, version)
    args = ["import", MODELS, *(str(UPSTREAM / VERSIONS[v][0]) for v in VERSIONS), "-p", str(once)]
    for version in VERSIONS:
        args += ["--commit", VERSIONS[version][1], "--commit-date", VERSIONS[version][2]]
    out = runner.invoke(app, args)
    assert out.exit_code == 0, out.output
    assert snapshot(once) == snapshot(each)
    assert out.stdout.count("fixture-models: snapshot") == 3 and out.stdout.count("wrote ") == 1


def test_versions_out_of_order_in_one_command_write_nothing(pkg: Path) -> None:
    before = snapshot(pkg)
    args = ["import", MODELS, str(UPSTREAM / "models-v2"), str(UPSTREAM / "models-v1"), "-p", str(pkg)]
    args += ["--commit", "2" * 40, "--commit", "1" * 40, "--commit-date", "2024-01-03", "--commit-date", "2024-01-02"]
    out = runner.invoke(app, args)
    assert out.exit_code == 2 and "before the package's figures" in out.stderr
    assert snapshot(pkg) == before


def test_commits_not_one_per_folder_are_a_usage_error(pkg: Path) -> None:
    args = ["import", MODELS, str(UPSTREAM / "models-v1"), str(UPSTREAM / "models-v2"), "--commit", "1" * 40]
    out = runner.invoke(app, [*args, "-p", str(pkg)])
    assert out.exit_code == 2 and "give --commit once per FOLDER, in their order (1 for 2 folders)" in out.stderr


def test_an_import_into_a_package_with_errors_says_the_package_is_to_blame(pkg: Path) -> None:
    claims = (pkg / "data/claims.csv").read_text(encoding="utf-8")
    (pkg / "data/claims.csv").write_text(
        claims.replace(",item,cumulative,", ",person,cumulative,", 1), encoding="utf-8"
    )
    before = snapshot(pkg)
    with pytest.raises(UsageError, match=r"the package is invalid already .* unit-metric-mismatch"):
        _import(pkg, "v1")
    assert snapshot(pkg) == before
