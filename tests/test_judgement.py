"""upstream/judgement.py and the import of a compiled table that changes under the package: a
row judged whole (figure, bounds, claimant, day, reference, flag), a value of the flag the mapping
does not know, a claimant's two figures of one day, and every refusal said in the table's own
rows and columns (tests/fixtures/upstream/estimates-v1, edited here for each case)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import shutil
from pathlib import Path

import pytest

from toolkit.check.validate import validate_package
from toolkit.upstream.import_render import render_json
from toolkit.upstream.plan import ImportRefused
from toolkit.upstream.series_import import import_snapshot

from .conftest import UPSTREAM, series_package, snapshot

MAPPING = str(UPSTREAM / "fixture-estimates.toml")
TODAY = dt.date(2026, 11, 25)
TABLE = "tables/the estimates.csv"
HEADER = "date,low,high,central,type,source,url,country,party\n"
ROWS = [
    '16/01/2024,,,"12,500",casualties,Fixture Ministry,https://example.org/a,north,yes\n',
    "1/2/2024,100,200,,deaths,Fixture Institute,https://example.org/b,north,\n",
    "1/2/2024,300,,,deaths,Fixture Institute,(by email),south,\n",
    "3/2/2024,,90,,deaths,The Fixture Institute,https://example.org/c,south,\n",
    "5/2/2024,400,600,500,casualties,Fixture Watch,https://example.org/d,north,\n",
]


@pytest.fixture
def pkg(tmp_path: Path) -> Path:
    pkg = series_package(tmp_path / "pkg")
    import_snapshot(pkg, MAPPING, UPSTREAM / "estimates-v1", commit="1" * 40, commit_date="2024-03-01", today=TODAY)
    return pkg


def _version(tmp_path: Path, rows: list[str], name: str = "v2") -> Path:
    folder = tmp_path / name
    shutil.copytree(UPSTREAM / "estimates-v1", folder)
    (folder / TABLE).write_bytes((HEADER + "".join(rows)).encode("utf-8"))
    return folder


def _import_v2(pkg: Path, folder: Path):
    return import_snapshot(pkg, MAPPING, folder, commit="2" * 40, commit_date="2024-04-01", today=TODAY)


def _claims(pkg: Path) -> dict[str, dict[str, str]]:
    text = (pkg / "data" / "claims.csv").read_text(encoding="utf-8")
    return {r["claim_id"]: r for r in csv.DictReader(io.StringIO(text)) if r["source_id"] not in ("S0001", "S0002")}


def test_the_source_as_imported(pkg: Path) -> None:
    claims = _claims(pkg)
    assert [(c["claimant_id"], c["period_end"], c["status"]) for c in claims.values()] == [
        ("fixture_ministry", "2024-01-16", "reported"),
        ("fixture_institute", "2024-02-01", "reported"),
        ("fixture_institute", "2024-02-01", "reported"),
        ("fixture_institute", "2024-02-03", "reported"),
        ("fixture_watch", "2024-02-05", "reported"),
    ]


@pytest.mark.parametrize("cell", ["no", "=1+1", "maybe"])
def test_a_flag_the_mapping_does_not_know_is_refused_with_its_row_and_column(
    pkg: Path, tmp_path: Path, cell: str
) -> None:
    """Any non-empty cell was read as "yes": a "no" became a note saying the column reads "yes"."""
    rows = [*ROWS]
    rows[1] = rows[1].replace("north,\n", f"north,{cell}\n")
    before = snapshot(pkg)
    with pytest.raises(ImportRefused) as refused:
        _import_v2(pkg, _version(tmp_path, rows))
    [problem] = refused.value.problems
    assert problem.place() == f"{TABLE} row 3 (/1), column 'party'"
    assert repr(cell) in problem.message and "'yes'" in problem.message
    assert refused.value.exit_code == 2 and snapshot(pkg) == before


@pytest.mark.parametrize(
    ("row", "edited", "why"),
    [
        (1, ("https://example.org/b", "https://example.org/b2"), "its reference"),
        (0, (",north,yes", ",north,"), "its warring-party flag (no longer set)"),
        (1, (",north,", ",north,yes"), "its warring-party flag (now set)"),
    ],
)
def test_a_row_whose_reference_or_flag_changed_is_a_new_claim_that_says_so(
    pkg: Path, tmp_path: Path, row: int, edited: tuple[str, str], why: str
) -> None:
    """The figures unchanged: the claim moved silently to the new version and kept the old address."""
    rows = [*ROWS]
    rows[row] = rows[row].replace(*edited)
    [result] = [_import_v2(pkg, _version(tmp_path, rows))]
    [(old, new)] = result.plan.superseded
    claims = _claims(pkg)
    assert claims[old]["status"] == "superseded" and claims[new]["supersedes"] == old
    assert result.plan.why[old] == why
    assert why in claims[new]["notes"]
    if "reference" in why:
        assert "https://example.org/b2" in claims[new]["notes"] and "https://example.org/b2" not in claims[old]["notes"]
    # the older file stays archived: it is the evidence of the old claim
    assert claims[old]["source_id"] != claims[new]["source_id"]
    assert json.loads(render_json([result]))["snapshots"][0]["superseded"][0]["changed"] == why
    assert validate_package(pkg, today=TODAY).error_count == 0


@pytest.mark.parametrize(
    ("edited", "why"),
    [
        (("Fixture Institute,https://example.org/b", "Fixture Watch,https://example.org/b"),
         "its claimant (fixture_institute -> fixture_watch)"),
        (("1/2/2024,100,200", "2/2/2024,100,200"), "its day (2024-02-01 -> 2024-02-02)"),
    ],
)  # fmt: skip
def test_a_row_whose_claimant_or_day_the_compiler_corrected_is_a_correction(
    pkg: Path, tmp_path: Path, edited: tuple[str, str], why: str
) -> None:
    """Not a new figure beside an old one that stays current with "1 day missing"."""
    rows = [*ROWS]
    rows[1] = rows[1].replace(*edited)
    result = _import_v2(pkg, _version(tmp_path, rows))
    [(old, new)] = result.plan.superseded
    assert result.plan.why[old] == why and result.plan.missing == {}
    claims = _claims(pkg)
    assert claims[old]["status"] == "superseded" and claims[new]["supersedes"] == old
    assert why in claims[new]["notes"]
    assert sum(c["status"] == "reported" for c in claims.values()) == 5  # still five current figures


def test_a_row_repeated_is_read_once_and_said(pkg: Path, tmp_path: Path) -> None:
    rows = [*ROWS, ROWS[4], ROWS[3].replace("The Fixture Institute", "Fixture Institute")]
    result = _import_v2(pkg, _version(tmp_path, rows))
    assert result.plan.new_claims == [] and result.plan.superseded == []
    assert result.repeats == {
        TABLE: [
            "row 7 repeats row 6: read once",
            "row 8 repeats row 5, the claimant written 'Fixture Institute' there: read once",
        ]
    }
    assert not any("(entry" in c["subject"] for c in _claims(pkg).values())


def test_a_claimants_two_figures_of_one_day_are_refused_with_both_rows(pkg: Path, tmp_path: Path) -> None:
    """The second became "(entry 2)" and left the comparison, and nothing was said."""
    rows = [*ROWS, "5/2/2024,410,610,510,casualties,Fixture Watch,https://example.org/e,north,\n"]
    before = snapshot(pkg)
    with pytest.raises(ImportRefused) as refused:
        _import_v2(pkg, _version(tmp_path, rows))
    [problem] = refused.value.problems
    assert problem.place() == f"{TABLE} row 7 (/5), column 'source'"
    assert "beside row 6" in problem.message and snapshot(pkg) == before


def test_a_refusal_found_by_validating_names_the_tables_row_and_column(pkg: Path, tmp_path: Path) -> None:
    """A central figure below its low bound is the package's bounds-order: said at the table's row
    and columns, not at a row of a scratch claims.csv and its field names."""
    rows = [*ROWS, "20/2/2024,400,600,300,casualties,Fixture Institute,https://example.org/f,north,\n"]
    before = snapshot(pkg)
    with pytest.raises(ImportRefused) as refused:
        _import_v2(pkg, _version(tmp_path, rows))
    problems = [p for p in refused.value.problems if p.code == "bounds-order"]
    assert problems and all(p.file == TABLE and p.record == 5 and p.table for p in problems)
    assert problems[0].place().startswith(f"{TABLE} row 7 (/5), column ")
    assert "value_low" not in problems[0].message and "low" in problems[0].message
    assert "claims.csv" not in str(refused.value) and snapshot(pkg) == before


def test_a_byte_that_is_not_utf8_is_named_by_its_line(pkg: Path, tmp_path: Path) -> None:
    folder = _version(tmp_path, ROWS)
    data = (folder / TABLE).read_bytes().replace(b"Fixture Watch", b"Fixture W\xe4tch")
    (folder / TABLE).write_bytes(data)
    with pytest.raises(ImportRefused) as refused:
        _import_v2(pkg, folder)
    assert "line 6" in str(refused.value) and "e4" in str(refused.value)


# -- archives: verified before an import reads, moves or removes them ---------------------------

SERIES = str(UPSTREAM / "fixture-series.toml")
A, B = "a" * 40, "b" * 40


def _series_pkg(tmp_path: Path) -> tuple[Path, Path]:
    pkg = series_package(tmp_path / "series")
    import_snapshot(pkg, SERIES, UPSTREAM / "snap-a", commit=A, today=TODAY)
    [archived] = (pkg / "seeds").rglob("personnel.json")
    return pkg, archived


def test_an_archive_edited_after_its_import_is_refused_not_taken_for_nothing_to_import(tmp_path: Path) -> None:
    """The same commit imported again found its snapshot equal to the recorded hash, said "nothing
    to import", and left the edited archive as it was."""
    pkg, archived = _series_pkg(tmp_path)
    archived.write_bytes(archived.read_bytes().replace(b"100", b"900", 1))
    before = snapshot(pkg)
    with pytest.raises(ImportRefused) as refused:
        import_snapshot(pkg, SERIES, UPSTREAM / "snap-a", commit=A, today=TODAY)
    [problem] = refused.value.problems
    assert problem.file == archived.relative_to(pkg).as_posix() and "SHA-256" in problem.message
    assert "git checkout --" in problem.fix and refused.value.exit_code == 2
    assert snapshot(pkg) == before


def test_an_import_over_an_edited_older_archive_never_deletes_the_evidence(tmp_path: Path) -> None:
    """A newer snapshot moved the source to its commit and removed the edited archive, exit 0."""
    pkg, archived = _series_pkg(tmp_path)
    archived.write_bytes(archived.read_bytes() + b"\n")
    before = snapshot(pkg)
    with pytest.raises(ImportRefused, match="not as imported"):
        import_snapshot(pkg, SERIES, UPSTREAM / "snap-b", commit=B, today=TODAY)
    assert archived.is_file() and snapshot(pkg) == before


# -- a command that reads the working tree finishes an interrupted write first ----------------


class _Killed(BaseException):
    """The process died here."""


def test_diff_finishes_a_write_a_killed_process_left_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`claims diff` read the half-applied package and reported a change no import makes."""
    from typer.testing import CliRunner

    from toolkit.cli import app
    from toolkit.core import transaction

    pkg, _ = _series_pkg(tmp_path)
    old = tmp_path / "old"
    shutil.copytree(pkg, old)
    claims = (pkg / "data" / "claims.csv").read_bytes()
    sources = (pkg / "data" / "sources.csv").read_bytes()
    new_claims = claims.replace(b"reported,,,", b"reported,,A note.,", 1)
    new_sources = sources.replace(b"Fixture Compiler", b"Fixture Compiler Ltd", 1)
    real, moved = os.replace, []

    def replace(src: object, dst: object) -> None:
        if str(dst).endswith(".csv"):
            moved.append(dst)
            if len(moved) == 2:  # the first file moved into place, then the process dies
                raise _Killed
        real(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(transaction.os, "replace", replace)
    with pytest.raises(_Killed):
        transaction.commit_files(pkg, {"data/claims.csv": new_claims, "data/sources.csv": new_sources})
    monkeypatch.undo()
    assert (pkg / "data" / "claims.csv").read_bytes() == new_claims  # half of the write is in place
    assert (pkg / "data" / "sources.csv").read_bytes() == sources
    result = CliRunner().invoke(app, ["diff", str(old), str(pkg), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "finished" in result.stderr or "rolled forward" in result.stderr or "completed" in result.stderr
    assert (pkg / "data" / "sources.csv").read_bytes() == new_sources  # the whole write, as it meant
    diff = json.loads(result.stdout)
    assert diff["resources"]["sources"]["changed"]  # the change the write made, both files of it


# -- judge() on figures made here: each verdict and its words --------------------------------

FLAG = "The compiler marks it as a warring party's."


def _figure(claimant: str = "inst", day: str = "2024-02-01", wording: str = "between 100 and 200", **more):
    from toolkit.upstream.mapping import Category
    from toolkit.upstream.plan import _Figure

    cells = {
        "day": dt.date.fromisoformat(day),
        "order": (0, 0, 0),
        "category": Category(key="deaths", metric="deaths", claimant="x", subject="{item}"),
        "metric": "deaths",
        "subject": "north",
        "side": "russia",
        "claimant": claimant,
        "attribution": "",
        "value": None,
        "qualifier": "range",
        "wording": wording,
        "locator": "/1/low",
        "bounded": True,
        "reference_note": "Reference given by the compiler: https://example.org/b",
        "flag_text": FLAG,
    }
    return _Figure(**{**cells, **more})


def _held(figure, **more) -> dict[str, str]:
    row = {
        "claim_id": "C0100",
        "claimant_id": figure.claimant,
        "metric_id": figure.metric,
        "subject": figure.subject,
        "period_end": figure.day.isoformat(),
        "wording": figure.wording,
        "qualifier": figure.qualifier,
        "notes": figure.notes,
    }
    return {**row, **more}


def _judge(figures, *held):
    from toolkit.upstream.judgement import judge, key_of

    live = {(h["claimant_id"], h["metric_id"], h["subject"], h["period_end"]): h for h in held}
    verdicts = judge(figures, live, set(live))
    assert [v.figure for v in verdicts] == list(figures)  # one verdict a figure, in order
    return [(v.kind, v.held["claim_id"] if v.held else None, v.why) for v in verdicts], key_of


def test_a_figure_held_as_it_is_is_the_same() -> None:
    figure = _figure()
    verdicts, _ = _judge([figure], _held(figure, notes=f"A person's words. {figure.notes} More words."))
    assert verdicts == [("same", "C0100", "")]


@pytest.mark.parametrize(
    ("held", "why"),
    [
        ({"wording": "between 100 and 250"}, "its figure (between 100 and 250 -> between 100 and 200)"),
        ({"qualifier": "estimate"}, "its figure (between 100 and 200 -> between 100 and 200)"),  # words alike
        ({"notes": "Reference given by the compiler: https://example.org/old"}, "its reference"),
        (
            {"notes": f"Reference given by the compiler: https://example.org/old {FLAG}"},
            "its reference, its warring-party flag (no longer set)",
        ),
    ],
)
def test_whatever_changed_is_said_and_supersedes(held: dict[str, str], why: str) -> None:
    figure = _figure()
    verdicts, _ = _judge([figure], _held(figure, **held))
    assert verdicts == [("changed", "C0100", why)]


def test_a_flag_set_now_is_a_change() -> None:
    figure = _figure(flag_note=FLAG)
    verdicts, _ = _judge([figure], _held(_figure()))
    assert verdicts == [("changed", "C0100", "its warring-party flag (now set)")]


def test_a_row_whose_claimant_and_day_were_corrected_says_both() -> None:
    held = _held(_figure(claimant="old", day="2024-01-31"))
    verdicts, _ = _judge([_figure()], held)
    assert verdicts == [("corrected", "C0100", "its claimant (old -> inst), its day (2024-01-31 -> 2024-02-01)")]


def test_a_new_row_like_one_still_there_is_new_not_a_correction() -> None:
    """The table adds another claimant's row with the same words: the held one is still in the
    file under its key, so the new row corrects nothing."""
    kept = _figure()
    other = _figure(claimant="other")
    verdicts, _ = _judge([kept, other], _held(kept))
    assert verdicts == [("same", "C0100", ""), ("new", None, "")]


@pytest.mark.parametrize("field", ["metric_id", "subject"])
def test_a_row_of_another_metric_or_subject_corrects_nothing(field: str) -> None:
    held = _held(_figure(claimant="old"), **{field: "something else"})
    verdicts, _ = _judge([_figure()], held)
    assert verdicts == [("new", None, "")]


def test_a_daily_series_new_day_equal_to_a_missing_one_is_new() -> None:
    """A series' figures are no compiled rows: a day the upstream lost and a new day of the same
    figure are a day missing and a new day, never a correction of the date."""
    new = _figure(day="2024-02-02", bounded=False, reference_note="", flag_text="")
    held = _held(_figure(day="2024-02-01", bounded=False, reference_note="", flag_text=""))
    verdicts, _ = _judge([new], held)
    assert verdicts == [("new", None, "")]


def test_a_changed_figure_of_the_table_says_its_words(pkg: Path, tmp_path: Path) -> None:
    rows = [*ROWS]
    rows[0] = rows[0].replace('"12,500"', '"12,800"')
    result = _import_v2(pkg, _version(tmp_path, rows))
    [(old, _new)] = result.plan.superseded
    assert result.plan.why[old] == "its figure (an estimated 12500 -> an estimated 12800)"
