"""claims diff on hand-made release pairs, and its invariants."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.compare.diff import diff_packages
from toolkit.compare.render import render_csv, render_markdown, render_text, to_json
from toolkit.errors import UsageError

from .conftest import edit, git, make_package

CLAIMS = "data/claims.csv"


def edit_json(pkg: Path, rel: str, change) -> None:
    path = pkg / rel
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data, indent=2))


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    return make_package(tmp_path / "old"), make_package(tmp_path / "new")


def test_identical_packages(pair: tuple[Path, Path]) -> None:
    diff = diff_packages(str(pair[0]), str(pair[1]))
    assert not diff.has_changes
    assert diff.bump() == (None, "no changes")
    assert diff.resources["claims"].unchanged == 4


def test_row_added_is_an_addition(pair: tuple[Path, Path]) -> None:
    old, new = pair
    line = (new / CLAIMS).read_text().splitlines()[3].replace("C0003", "C0009")
    (new / CLAIMS).write_text((new / CLAIMS).read_text() + line + "\n")
    diff = diff_packages(str(old), str(new))
    assert diff.resources["claims"].added == ["C0009"]
    assert diff.bump()[0] == "minor"


def test_row_removed_is_breaking(pair: tuple[Path, Path]) -> None:
    old, new = pair
    lines = (new / CLAIMS).read_text().splitlines()
    (new / CLAIMS).write_text("\n".join(lines[:-1]) + "\n")
    diff = diff_packages(str(old), str(new))
    assert diff.resources["claims"].removed == ["C0004"]
    assert diff.bump()[0] == "major"


def test_value_changed_is_a_correction(pair: tuple[Path, Path]) -> None:
    old, new = pair
    edit(new, CLAIMS, ",50000,50000,", ",60000,60000,")
    diff = diff_packages(str(old), str(new))
    cells = [(c.key, c.column, c.old, c.new, c.kind) for c in diff.resources["claims"].cells]
    assert cells == [
        ("C0001", "value", "50000", "60000", "correction"),
        ("C0001", "value_low", "50000", "60000", "correction"),
    ]
    assert diff.resources["claims"].changed_rows == 1
    assert diff.bump()[0] == "patch"


def test_retraction(pair: tuple[Path, Path]) -> None:
    old, new = pair
    edit(new, CLAIMS, "went home.,reported,,", "went home.,retracted,,Withdrawn by the fixture office.")
    diff = diff_packages(str(old), str(new))
    assert {c.kind for c in diff.resources["claims"].cells} == {"retraction"}
    assert diff.counts()["retraction"] == 1
    assert diff.bump()[0] == "patch"


@pytest.mark.parametrize("written", ["50000.0", "5e4", "50,000", "50000\u00a0", "50000 "])
def test_a_cell_that_is_not_a_valid_number_is_a_change_shown_as_written(pair: tuple[Path, Path], written: str) -> None:
    old, new = pair
    edit(new, CLAIMS, ",50000,50000,", f',"{written}",50000,')
    diff = diff_packages(str(old), str(new))
    assert diff.has_changes
    [cell] = diff.resources["claims"].cells
    assert (cell.key, cell.column, cell.old, cell.new) == ("C0001", "value", "50000", written)
    assert any("new side" in n and "not valid numbers" in n and "rows 2" in n for n in diff.notes), diff.notes


def test_row_order_column_order_and_quoting_are_no_change(pair: tuple[Path, Path]) -> None:
    old, new = pair
    import csv
    import io

    rows = list(csv.reader(io.StringIO((new / CLAIMS).read_text())))
    header, body = rows[0], rows[1:]
    order = list(reversed(range(len(header))))
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow([header[i] for i in order])
    for row in reversed(body):
        writer.writerow([row[i] for i in order])
    (new / CLAIMS).write_text(buffer.getvalue())
    assert not diff_packages(str(old), str(new)).has_changes


def test_schema_changes(pair: tuple[Path, Path]) -> None:
    old, new = pair

    def change(schema: dict) -> None:
        fields = schema["fields"]
        fields[:] = [f for f in fields if f["name"] != "locator"]
        next(f for f in fields if f["name"] == "qualifier")["constraints"]["enum"].remove("range")
        next(f for f in fields if f["name"] == "subject")["constraints"]["maxLength"] = 500

    edit_json(new, "schemas/claims.schema.json", change)
    lines = [",".join(line.split(",")) for line in (new / CLAIMS).read_text().splitlines()]
    import csv
    import io

    rows = list(csv.reader(io.StringIO("\n".join(lines))))
    buffer = io.StringIO()
    at = rows[0].index("locator")
    csv.writer(buffer, lineterminator="\n").writerows([r[:at] + r[at + 1 :] for r in rows])
    (new / CLAIMS).write_text(buffer.getvalue())
    diff = diff_packages(str(old), str(new))
    meta = {(m.what, m.name, m.kind) for m in diff.meta}
    assert ("field-removed", "locator", "breaking") in meta
    assert ("constraint-changed", "qualifier.enum", "breaking") in meta
    assert ("constraint-changed", "subject.maxLength", "breaking") in meta
    assert diff.bump()[0] == "major"


def test_field_added_type_changed_key_changed_renamed(pair: tuple[Path, Path]) -> None:
    old, new = pair
    edit_json(new, "schemas/metrics.schema.json", lambda s: s["fields"].append({"name": "source_note"}))
    text = (new / "data/metrics.csv").read_text().splitlines()
    (new / "data/metrics.csv").write_text("\n".join([text[0] + ",source_note"] + [t + "," for t in text[1:]]) + "\n")
    edit_json(new, "schemas/claimants.schema.json", lambda s: s.update(primaryKey=["claimant_id", "name"]))
    edit(new, "schemas/sources.schema.json", '"name": "language"', '"name": "lang"')
    edit(new, "data/sources.csv", ",language,", ",lang,")
    diff = diff_packages(str(old), str(new))
    meta = {(m.scope, m.what, m.name, m.kind) for m in diff.meta}
    assert ("schema:metrics", "field-added", "source_note", "addition") in meta
    assert ("schema:claimants", "key-changed", "primaryKey", "breaking") in meta
    assert ("schema:sources", "field-renamed", "language", "breaking") in meta


def test_descriptor_changes(pair: tuple[Path, Path]) -> None:
    old, new = pair
    edit_json(new, "datapackage.json", lambda d: d.update(version="0.2.0", licenses=[{"name": "CC0-1.0"}]))
    diff = diff_packages(str(old), str(new))
    whats = {m.what for m in diff.meta}
    assert {"version", "licence-changed"} <= whats
    assert diff.bump()[0] == "major"


def test_a_resource_title_is_a_correction_and_its_path_breaking(pair: tuple[Path, Path]) -> None:
    old, new = pair
    edit_json(new, "datapackage.json", lambda d: d["resources"][0].update(title="Figures"))
    diff = diff_packages(str(old), str(new))
    assert [(m.scope, m.name, m.kind) for m in diff.meta] == [("resource:claims", "title", "correction")]
    assert diff.bump()[0] == "patch"
    (new / "data" / "figures.csv").write_bytes((new / CLAIMS).read_bytes())
    edit_json(new, "datapackage.json", lambda d: d["resources"][0].update(path="data/figures.csv"))
    diff = diff_packages(str(old), str(new))
    assert ("resource:claims", "path", "breaking") in [(m.scope, m.name, m.kind) for m in diff.meta]
    assert diff.bump()[0] == "major"


def test_a_dialect_that_spells_out_the_default_is_a_correction_and_another_is_breaking(
    pair: tuple[Path, Path],
) -> None:
    """Declaring the dialect the files already follow (readers that sniff the delimiter need it)
    reads every file as before; a semicolon would not."""
    old, new = pair
    default = {"delimiter": ",", "quoteChar": '"', "doubleQuote": True, "header": True, "lineTerminator": "\n"}
    edit_json(new, "datapackage.json", lambda d: [r.update(dialect=default) for r in d["resources"]])
    diff = diff_packages(str(old), str(new))
    assert {(m.name, m.kind) for m in diff.meta} == {("dialect", "correction")} and diff.bump()[0] == "patch"
    assert diff_packages(str(new), str(old)).bump()[0] == "patch"  # and dropping it again
    edit_json(new, "datapackage.json", lambda d: d["resources"][0].update(dialect={"delimiter": ";"}))
    diff = diff_packages(str(old), str(new))
    assert ("resource:claims", "dialect", "breaking") in [(m.scope, m.name, m.kind) for m in diff.meta]


def test_resource_added_and_removed(pair: tuple[Path, Path]) -> None:
    old, new = pair
    edit_json(old, "datapackage.json", lambda d: d["resources"].pop())  # old lacks metrics
    diff = diff_packages(str(old), str(new))
    assert diff.resources["metrics"].status == "added"
    assert diff.bump()[0] == "minor"
    reverse = diff_packages(str(new), str(old))
    assert reverse.resources["metrics"].status == "removed"
    assert reverse.bump()[0] == "major"


def test_resource_without_key_falls_back_to_whole_rows(pair: tuple[Path, Path]) -> None:
    old, new = pair
    for pkg in pair:
        edit_json(pkg, "schemas/metrics.schema.json", lambda s: s.pop("primaryKey"))
    edit(new, "data/metrics.csv", "Fixture definition of recruits.", "A better definition.")
    diff = diff_packages(str(old), str(new))
    metrics = diff.resources["metrics"]
    assert not metrics.keyed
    assert (metrics.removed, metrics.added, metrics.unchanged) == (["row 3"], ["row 3"], 1)
    assert any("compared whole" in n for n in diff.notes)


def test_a_duplicate_primary_key_compares_rows_whole_and_says_why(pair: tuple[Path, Path]) -> None:
    old, new = pair
    edit(new, CLAIMS, "C0002,", "C0001,")
    diff = diff_packages(str(old), str(new))
    claims = diff.resources["claims"]
    assert not claims.keyed and claims.removed == ["row 3"] and claims.added == ["row 3"]
    assert any("has the primary key 'C0001' twice (rows [2, 3])" in n for n in diff.notes), diff.notes


def test_unreadable_side_is_a_clear_error(pair: tuple[Path, Path]) -> None:
    old, new = pair
    edit(new, CLAIMS, ",Tens of thousands went home.,", ',"Tens of thousands went home.,')
    with pytest.raises(UsageError, match="quote-unclosed"):
        diff_packages(str(old), str(new))


def test_missing_ref_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["diff", "no-such-ref", str(make_package(tmp_path / "p"))])
    assert result.exit_code == 2
    assert "cannot read git ref" in result.stderr


def test_git_refs_and_zip(tmp_path: Path) -> None:
    repo = make_package(tmp_path / "repo")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "one")
    edit(repo, CLAIMS, ",50000,50000,", ",60000,60000,")
    git(repo, "commit", "-qam", "two")
    edit(repo, CLAIMS, ",60000,60000,", ",70000,70000,")  # uncommitted: refs must not see it
    diff = diff_packages("HEAD~1", "HEAD", repo=repo)
    assert next((c.old, c.new) for c in diff.resources["claims"].cells) == ("50000", "60000")
    assert (repo / CLAIMS).read_text().count("70000") == 2  # working tree untouched
    import shutil

    archive = shutil.make_archive(str(tmp_path / "release"), "zip", repo)
    assert not diff_packages(archive, str(repo)).has_changes


def test_renderers(pair: tuple[Path, Path]) -> None:
    old, new = pair
    edit(new, CLAIMS, ",50000,50000,", ",60000,60000,")
    diff = diff_packages(str(old), str(new))
    assert "recommended version bump: patch" in render_text(diff)
    assert "| `C0001` | value | 50000 | 60000 | correction |" in render_markdown(diff)
    doc = to_json(diff)
    assert doc["format"] == "claims-diff" and doc["resources"]["claims"]["changed"] == 1
    assert render_csv(diff).splitlines()[1] == "claims,C0001,changed,value,50000,60000,correction"
    runner = CliRunner()
    assert runner.invoke(app, ["diff", str(old), str(new), "--exit-code"]).exit_code == 1
    assert runner.invoke(app, ["diff", str(old), str(old), "--exit-code"]).exit_code == 0


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), drop=st.integers(0, 3), add=st.integers(0, 3), change=st.integers(0, 3))
def test_counts_add_up_and_shuffles_change_nothing(
    tmp_path_factory: pytest.TempPathFactory, seed: int, drop: int, add: int, change: int
) -> None:
    import csv
    import io

    base = tmp_path_factory.mktemp("prop")
    old, new = make_package(base / "old"), make_package(base / "new")
    rng = random.Random(seed)
    rows = list(csv.reader(io.StringIO((old / CLAIMS).read_text())))
    header, body = rows[0], rows[1:]
    kept = body[: len(body) - min(drop, len(body))]
    for i in range(min(change, len(kept))):
        kept[i] = [*kept[i]]
        kept[i][header.index("notes")] = f"changed {i}"
    extra = [[*body[0]] for _ in range(add)]
    for i, row in enumerate(extra):
        row[0] = f"C{8000 + i}"
    new_rows = kept + extra
    rng.shuffle(new_rows)
    order = list(range(len(header)))
    rng.shuffle(order)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=rng.choice([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
    writer.writerow([header[i] for i in order])
    writer.writerows([[r[i] for i in order] for r in new_rows])
    (new / CLAIMS).write_text(buffer.getvalue())
    diff = diff_packages(str(old), str(new)).resources["claims"]
    assert diff.unchanged + diff.changed_rows + len(diff.removed) == len(body)
    assert diff.unchanged + diff.changed_rows + len(diff.added) == len(new_rows)
    assert len(diff.removed) == min(drop, len(body)) and len(diff.added) == add
    assert diff.changed_rows == min(change, len(kept))
    assert not diff_packages(str(old), str(old)).has_changes


def test_every_type_change_is_breaking_even_integer_to_number(pair: tuple[Path, Path]) -> None:
    """integer -> number accepts every old value but hands readers another type (Decimal, float64)."""
    old, new = pair
    edit(old, "schemas/claims.schema.json", '"name": "value", "type": "number"', '"name": "value", "type": "integer"')
    diff = diff_packages(str(old), str(new))
    assert [(m.what, m.name, m.kind) for m in diff.meta] == [("type-changed", "value", "breaking")]
    assert diff.bump()[0] == "major"
    reverse = diff_packages(str(new), str(old))
    assert [(m.what, m.name, m.kind) for m in reverse.meta] == [("type-changed", "value", "breaking")]


def test_data_loss_is_refused_even_behind_many_harmless_problems(pair: tuple[Path, Path]) -> None:
    old, new = pair
    header, *rows = (new / CLAIMS).read_text().splitlines()
    extra = [rows[0].replace("C0001", f"C{7000 + i}").replace(",50000,50000,", ",50000.0,50000,") for i in range(30)]
    (new / CLAIMS).write_text("\n".join([header, *rows, *extra]) + "\n")  # 30 type problems come first
    sources = (new / "data/sources.csv").read_text()
    (new / "data/sources.csv").write_text(sources + "S0009,extra,cell,,,,,en,seeds/S0009.txt,ab,,\n")
    with pytest.raises(UsageError, match="row-ragged"):
        diff_packages(str(old), str(new))


def test_a_stale_hash_or_an_unfollowed_declaration_does_not_stop_the_diff(pair: tuple[Path, Path]) -> None:
    """Neither changes what is read; the diff shows the declaration as a descriptor change."""
    old, new = pair

    def declare(descriptor: dict) -> None:
        descriptor["resources"][0]["hash"] = "sha256:" + "0" * 64
        descriptor["resources"][0]["encoding"] = "latin-1"

    edit_json(new, "datapackage.json", declare)
    diff = diff_packages(str(old), str(new))
    assert not diff.resources["claims"].has_changes
    assert [(m.scope, m.what, m.name, m.old, m.new, m.kind) for m in diff.meta] == [
        ("resource:claims", "property-changed", "encoding", "utf-8", "latin-1", "breaking")
    ]  # the hash follows the data, whose changes the rows show


def test_a_side_against_itself_is_unchanged_in_every_resource(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "p")
    result = CliRunner().invoke(app, ["diff", str(pkg), str(pkg), "--format", "json", "--exit-code"])
    assert result.exit_code == 0, result.output
    resources = json.loads(result.stdout)["resources"]
    assert resources and all(r["status"] == "unchanged" for r in resources.values()), resources


def _add_claims(pkg: Path, count: int, source: str, metric: str, first: int, day: str = "2024-06-30") -> None:
    """count more claims of the good fixture's shape, IDs from first, all for one source and metric."""
    import csv
    import io

    path = pkg / CLAIMS
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    template = next(r for r in rows if r["source_id"] == source)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    for i in range(count):
        writer.writerow({**template, "claim_id": f"C{first + i:04d}", "metric_id": metric, "period_end": day})
    path.write_text(path.read_text(encoding="utf-8") + buffer.getvalue(), encoding="utf-8")


def test_many_added_claims_read_by_source_and_metric(pair: tuple[Path, Path]) -> None:
    """Past 50 added rows, text and Markdown summarise them by source and metric; JSON keeps every key."""
    from toolkit.compare.render import render_json, render_markdown, render_text

    old, new = pair
    _add_claims(new, 40, "S0002", "recruits", 5)
    _add_claims(new, 30, "S0001", "desertions", 45, day="2024-12-31")
    diff = diff_packages(str(old), str(new))
    groups = [(g.source_id, g.metric_id, g.count, g.first, g.last) for g in diff.resources["claims"].added_groups]
    assert groups == [("S0002", "recruits", 40, "C0005", "C0044"), ("S0001", "desertions", 30, "C0045", "C0074")]
    text = render_text(diff)
    assert "+ 40 of recruits from S0002 (C0005 to C0044, 2024-06-30)" in text
    assert "+ 30 of desertions from S0001 (C0045 to C0074, 2024-12-31)" in text
    assert "+ C0006" not in text
    markdown = render_markdown(diff)
    assert "| S0002 | recruits | 40 | C0005 | C0044 | 2024-06-30 |" in markdown and "`C0006`" not in markdown
    shown = json.loads(render_json(diff))["resources"]["claims"]
    assert len(shown["added"]) == 70 and shown["added_groups"][0]["count"] == 40


def test_many_groups_read_by_source_where_a_source_has_many_metrics() -> None:
    """Six snapshots of a file of 25 categories are 150 groups: past 40, a source of more than five
    metrics is one line (its keys from first to last, C999 before C1000), the others stay."""
    from toolkit.compare.diff_model import AddedGroup
    from toolkit.compare.render import group_lines

    def group(source: str, metric: str, first: int, count: int, day: str) -> AddedGroup:
        return AddedGroup(
            source_id=source, metric_id=metric, count=count, first=f"C{first}", last=f"C{first + count - 1}",
            first_day=day, last_day=day,
        )  # fmt: skip

    snapshots = [
        group(f"S000{s}", f"m{m}", 990 + 100 * s + 4 * m, 4, f"2022-09-2{s}") for s in range(1, 8) for m in range(6)
    ]
    article = [group("S0009", "killed", 5000, 1, ""), group("S0009", "wounded", 5001, 2, "2024-12-31")]
    lines = group_lines(snapshots + article)
    assert lines[0] == "24 of 6 metrics from S0001 (C1090 to C1113, 2022-09-21)"
    assert len(lines) == 9 and lines[-2:] == [
        "1 of killed from S0009 (C5000)",
        "2 of wounded from S0009 (C5001 to C5002, 2024-12-31)",
    ]
    assert group_lines(snapshots[:40]) == [
        f"{g.count} of {g.metric_id} from {g.source_id} ({g.first} to {g.last}, {g.first_day})" for g in snapshots[:40]
    ]
    early = [group("S0001", f"m{m}", 996 + m, 1, "2022-09-21") for m in range(6)]
    assert group_lines(early + snapshots[6:42])[0] == "6 of 6 metrics from S0001 (C996 to C1001, 2022-09-21)"


def test_a_few_added_claims_are_listed_one_by_one(pair: tuple[Path, Path]) -> None:
    from toolkit.compare.render import render_text

    old, new = pair
    _add_claims(new, 3, "S0002", "recruits", 5)
    text = render_text(diff_packages(str(old), str(new)))
    assert all(f"+ C000{n}" in text for n in (5, 6, 7)) and "of recruits from" not in text


def test_the_changelog_summarises_a_series_and_lists_corrections(pair: tuple[Path, Path]) -> None:
    from toolkit.publish.release import changelog_section
    from toolkit.read.policy import read_folder

    old, new = pair
    _add_claims(new, 60, "S0002", "recruits", 5)
    edit(new, CLAIMS, "fixture soldiers", "fixture army soldiers")
    section = changelog_section("0.2.0", "2026-11-29", "v0.1.0", diff_packages(str(old), str(new)), read_folder(new))
    assert "- 60 claims, by source and metric:\n  - 60 of recruits from S0002 (C0005 to C0064, 2024-06-30)" in section
    assert "- C0001: subject fixture soldiers -> fixture army soldiers" in section
    assert "C0033" not in section


def test_a_composite_key_reads_as_its_fields_and_a_date_as_written(tmp_path: Path) -> None:
    """series_corrections is keyed by claimant, metric and date: scripts get the fields joined by
    U+001F (docs/diff-json.md), a person reads them apart, and the date as the CSV writes it, in
    every format and in the changelog (an invisible separator once made the release feed invalid XML)."""
    from toolkit.publish.release import changelog_section
    from toolkit.read.policy import read_folder

    from .conftest import series_package

    row = "fixture_ministry,desertions,2024-05-01,,-3,S0001,,{}\n"
    old, new = series_package(tmp_path / "old"), series_package(tmp_path / "new")
    for pkg, note in ((old, ""), (new, "a fall the source explains")):
        with (pkg / "data" / "series_corrections.csv").open("a", encoding="utf-8") as f:
            f.write(row.format(note))
    diff = diff_packages(str(old), str(new))
    [cell] = diff.resources["series_corrections"].cells
    assert (cell.key, cell.column, cell.new) == (
        "fixture_ministry\x1fdesertions\x1f2024-05-01",
        "notes",
        "a fall the source explains",
    )
    readable = "fixture_ministry / desertions / 2024-05-01"
    assert f"  ~ {readable}\n      notes: '' -> 'a fall the source explains'" in render_text(diff)
    assert f"| `{readable}` | notes |  | a fall the source explains | correction |" in render_markdown(diff)
    assert to_json(diff)["resources"]["series_corrections"]["cells"][0]["key"] == cell.key
    section = changelog_section("0.1.1", "2026-12-05", "v0.1.0", diff, read_folder(new))
    assert f"- series_corrections {readable}: notes (empty) -> a fall the source explains" in section
    assert "\x1f" not in section and "00:00" not in section
