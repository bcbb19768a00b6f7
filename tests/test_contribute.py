"""add-source and extract: the walkthrough of CONTRIBUTING.md, bad documents, and extraction."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import shlex
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.check.validate import validate_package
from toolkit.cli import app
from toolkit.compare.diff import diff_packages
from toolkit.contribute.add_source import add_source
from toolkit.contribute.extract import extract_drafts, sentences
from toolkit.core.phrases import find_phrases
from toolkit.errors import UsageError

from .conftest import FIXTURES, ROOT, edit, git, init_repo, make_package, snapshot

SAMPLE = FIXTURES / "contributing" / "sample-article.txt"
runner = CliRunner()


def _doc_commands() -> list[str]:
    """Every `claims ...` line of CONTRIBUTING.md's shell blocks, continuation lines joined."""
    guide = (ROOT / "CONTRIBUTING.md").read_text()
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", guide, flags=re.S):
        for line in block.replace("\\\n", " ").splitlines():
            if line.strip().startswith("claims "):
                commands.append(" ".join(line.split()))
    return commands


def _update_the_series(folder: Path, commands: list[str], monkeypatch: pytest.MonkeyPatch, run: Callable) -> None:
    """The series section, on the small fixture series renamed as the guide names it: a package
    with its mapping, and ../upstream a git checkout of a snapshot (its HEAD is the commit)."""
    from .conftest import UPSTREAM, series_package

    repo = series_package(folder / "repo")
    (repo / "mappings").mkdir()
    mapping = (UPSTREAM / "fixture-series.toml").read_text()
    (repo / "mappings" / "ua-general-staff.toml").write_text(mapping.replace('"fixture-series"', '"ua-general-staff"'))
    shutil.copytree(UPSTREAM / "snap-b", folder / "upstream")
    init_repo(folder / "upstream", "a snapshot")
    monkeypatch.chdir(repo)
    imported, rebuilt = (next(c for c in commands if ("--rebuild" in c) == r) for r in (False, True))
    assert "new claims: 18 (C0005 to C0022)" in run(imported)
    assert "data/ is the same, byte for byte" in run(rebuilt)


def _spreadsheet_edit(path: Path, source_id: str) -> None:
    """Step 3 as a contributor does it in Excel: judgement calls, then 'Save as CSV UTF-8'."""
    rows = list(csv.DictReader(io.StringIO(path.read_text())))
    for r in rows:
        if r["source_id"] == source_id:
            r.update(
                claimant_id="sample_office",
                metric_id="desertions",
                subject="sample soldiers",
                unit="person",
                count_type="cumulative",
                notes="",
            )
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))


def test_contributing_walkthrough(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs every command CONTRIBUTING.md shows, in its order, on the sample document."""
    repo = make_package(tmp_path / "repo")
    init_repo(repo, "base")
    git(repo, "switch", "-qc", "add-my-source")
    shutil.copy(SAMPLE, repo / "article.txt")
    monkeypatch.chdir(repo)
    ran: list[str] = []
    source_id = "S0003"

    def run(line: str, expect: int = 0) -> str:
        result = runner.invoke(app, shlex.split(line.replace("SXXXX", source_id), comments=True)[1:])
        assert result.exit_code == expect, (line, result.output)
        ran.append(line)
        return result.output

    commands = _doc_commands()
    assert "added S0003" in run(commands[0])  # add-source
    assert "at least 1,200" in run("claims extract SXXXX")
    assert "claimant_id, metric_id, subject, unit, count_type" in run("claims extract SXXXX --append")
    report = validate_package(repo)
    assert set(report.counts) == {"constraint-required", "draft-unfinished"}  # the judgement calls remain
    assert "nothing drafted" in run("claims extract SXXXX --again".replace("--again", "--append"))
    ran.pop()
    _spreadsheet_edit(repo / "data/claims.csv", source_id)
    assert "foreign-key" in validate_package(repo).counts  # sample_office does not exist yet
    run(next(c for c in commands if c.startswith("claims add ")))
    assert {"encoding-bom", "line-endings-crlf"} <= set(validate_package(repo).counts)
    assert "removed the byte-order mark" in run("claims fix")
    assert run("claims validate").startswith("valid:")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "add the sample source")
    assert "check passed" in run("claims check --base main")
    out = run("claims diff main .")
    assert "claims: 2 added" in out and "recommended version bump: minor" in out
    assert "every figure of S0003 is recorded already" in run("claims extract SXXXX --again")
    diff = diff_packages("main", ".")
    assert diff.resources["claims"].added == ["C0005", "C0006"] and diff.resources["sources"].added == ["S0003"]
    _update_the_series(tmp_path / "series", [c for c in commands if c.startswith("claims import")], monkeypatch, run)
    assert set(commands) - set(ran) == set(), "commands in CONTRIBUTING.md that the walkthrough did not run"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("Caf\u00e9 at least 300".encode("cp1252"), "not UTF-8 at byte 3"),
        (b"x" * 5_000_001, "larger than 5,000,000"),
    ],
)
def test_bad_documents_change_nothing(tmp_path: Path, content: bytes, message: str) -> None:
    pkg = make_package(tmp_path / "pkg")
    doc = tmp_path / "doc.txt"
    doc.write_bytes(content)
    before = snapshot(pkg)
    result = runner.invoke(app, ["add-source", str(doc), "--title", "T", "--package", str(pkg)])
    assert result.exit_code == 2
    assert message in result.stderr
    assert snapshot(pkg) == before


@pytest.mark.parametrize("special", ["/dev/zero", "folder", "fifo"])
def test_devices_folders_and_pipes_are_refused_without_reading_them(tmp_path: Path, special: str) -> None:
    """/dev/zero never ends and a pipe never delivers: neither may hang or exhaust memory."""
    import os

    pkg = make_package(tmp_path / "pkg")
    doc = Path(special) if special.startswith("/") else tmp_path / special
    if special == "folder":
        doc.mkdir()
    elif special == "fifo":
        os.mkfifo(doc)
    before = snapshot(pkg)
    result = runner.invoke(app, ["add-source", str(doc), "--title", "T", "--package", str(pkg)])
    assert result.exit_code == 2
    assert "not a regular file" in result.stderr
    assert snapshot(pkg) == before


def test_named_encoding_is_converted(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg")
    doc = tmp_path / "doc.txt"
    doc.write_bytes("Caf\u00e9 staff said at least 300 fled.\r\n".encode("cp1252"))
    added = add_source(pkg, doc, title="T", encoding="cp1252")
    assert (pkg / added.seed_path).read_text(encoding="utf-8") == "Caf\u00e9 staff said at least 300 fled.\n"
    assert validate_package(pkg).total == 0


def test_duplicate_text_and_bad_metadata_are_refused(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg")
    seed = pkg / "seeds" / "S0001.txt"
    with pytest.raises(UsageError, match="archived already as S0001"):
        add_source(pkg, seed, title="Again")
    for option, value in (("url", "example.org"), ("published", "25/11/2025"), ("language", "English")):
        with pytest.raises(UsageError, match=f"--{option}"):
            add_source(pkg, SAMPLE, title="T", **{option: value})
    with pytest.raises(UsageError, match="--title"):
        add_source(pkg, SAMPLE, title=" ")


def with_seed(pkg: Path, text: bytes) -> Path:
    """The fixture package with another text as S0001's seed, its recorded hash updated."""
    old = hashlib.sha256((pkg / "seeds/S0001.txt").read_bytes()).hexdigest()
    (pkg / "seeds/S0001.txt").write_bytes(text)
    edit(pkg, "data/sources.csv", old, hashlib.sha256(text).hexdigest())
    return pkg


def test_extract_skips_what_is_claimed_already_and_marks_repeats(tmp_path: Path) -> None:
    held = extract_drafts(ROOT, "S0001")  # S0001 has claims: nothing is drafted without --again
    assert held.held_back and held.rows == [] and len(held.existing) == 6
    again = extract_drafts(ROOT, "S0001", again=True)  # the six figures of S0001 are claims already
    assert again.skipped == 6
    assert [r[again.header.index("wording")] for r in again.rows] == ["50,000"]  # the headline's repeat
    assert "Same figure as C0001" in again.rows[0][again.header.index("notes")]
    pkg = with_seed(make_package(tmp_path / "pkg"), b"Headline: 50,000 left\nAt least 50,000 soldiers left.\n")
    drafts = extract_drafts(pkg, "S0001", again=True)
    notes = [r[drafts.header.index("notes")] for r in drafts.rows]
    assert [r[drafts.header.index("wording")] for r in drafts.rows] == ["50,000", "At least 50,000"]
    assert all("Same figure as C0001" in n for n in notes)  # the fixture's C0001 says at least 50,000


def test_extract_on_the_first_seed(tmp_path: Path) -> None:
    pkg = with_seed(make_package(tmp_path / "pkg"), (ROOT / "seeds/S0001.txt").read_bytes())
    drafts = extract_drafts(pkg, "S0001", again=True)
    header = drafts.header
    found = [
        (
            r[header.index("wording")],
            r[header.index("qualifier")],
            r[header.index("value")],
            r[header.index("value_low")],
            r[header.index("value_high")],
        )
        for r in drafts.rows
    ]
    assert found == [
        ("50,000", "exact", "50000", "50000", "50000"),  # the headline
        ("at least 50,000", "at_least", "50000", "50000", ""),
        ("just under four", "fewer_than", "4", "", "4"),
        ("Over one million", "more_than", "1000000", "1000000", ""),
        ("tens of thousands", "order_of_magnitude", "", "10000", "99999"),
        ("tens of thousands", "order_of_magnitude", "", "10000", "99999"),
        ("nine", "exact", "9", "9", "9"),
    ]
    seed = (ROOT / "seeds/S0001.txt").read_text()
    assert all(r[header.index("quote")] in seed for r in drafts.rows)
    assert drafts.rows[0][0] == "C0005"  # after the last claim ID, never reusing one


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Some 300 to 400 men fled.", [("Some 300 to 400", "range", None, 300, 400)]),
        ("About 12% of recruits were convicts.", [("About 12%", "approximately", 12, None, None)]),
        (
            "Nearly 700 soldiers and dozens of officers left.",
            [("Nearly 700", "fewer_than", 700, None, 700), ("dozens", "order_of_magnitude", None, 24, 143)],
        ),
        (
            "Hundreds of thousands were mobilised in 2022.",
            [("Hundreds of thousands", "order_of_magnitude", None, 100_000, 999_999)],
        ),
        (
            "Twenty-five thousand troops crossed; a dozen tanks followed.",
            [("Twenty-five thousand", "exact", 25_000, 25_000, 25_000), ("a dozen", "exact", 12, 12, 12)],
        ),
        (
            "No fewer than 2.5 million people fled.",
            [("No fewer than 2.5 million", "at_least", 2_500_000, 2_500_000, None)],
        ),
        ("Between 5,000 and 7,000 recruits signed up.", [("Between 5,000 and 7,000", "range", None, 5_000, 7_000)]),
        ("Losses were 5,000-7,000 a month.", [("5,000-7,000", "range", None, 5_000, 7_000)]),
        ("One of them said so in 2024.", []),
    ],
)
def test_extraction_of_each_number_form(sentence: str, expected: list) -> None:
    got = [(f.phrase, f.parsed.qualifier, f.parsed.value, f.parsed.low, f.parsed.high) for f in find_phrases(sentence)]
    assert got == expected


def test_sentences_are_verbatim_spans() -> None:
    text = "Headline without a stop\nFirst sentence. Second one! “Quoted?” he asked.\n"
    spans = [text[a:b] for a, b in sentences(text)]
    assert spans == ["Headline without a stop", "First sentence.", "Second one!", "“Quoted?”", "he asked."]


def test_extract_marks_a_figure_repeated_within_a_new_source(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg")
    doc = tmp_path / "doc.txt"
    doc.write_text("Nine soldiers left. Officials confirmed that nine soldiers left the unit.\n")
    added = add_source(pkg, doc, title="Repeat test")
    drafts = extract_drafts(pkg, added.source_id)
    notes = [r[drafts.header.index("notes")] for r in drafts.rows]
    assert [r[0] for r in drafts.rows] == ["C0005", "C0006"]
    assert "Same figure as" not in notes[0] and "Same figure as C0005" in notes[1]


def test_extract_append_never_brings_back_a_deleted_draft(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg")
    doc = tmp_path / "doc.txt"
    doc.write_text("An invented office counted at least 1,200 absences. Between 300 and 400 returned.\n")
    assert runner.invoke(app, ["add-source", str(doc), "--title", "Invented", "--package", str(pkg)]).exit_code == 0
    assert runner.invoke(app, ["extract", "S0003", "--append", "--package", str(pkg)]).exit_code == 0
    claims = pkg / "data/claims.csv"
    lines = claims.read_text().splitlines()
    assert sum("S0003" in line for line in lines) == 2
    claims.write_text("\n".join(line for line in lines if "Between 300" not in line) + "\n")  # not wanted
    kept = claims.read_text()
    result = runner.invoke(app, ["extract", "S0003", "--append", "--package", str(pkg)])
    assert result.exit_code == 0 and "nothing drafted: S0003 has 1 claim(s) already (C0005)" in result.stderr
    assert claims.read_text() == kept
    result = runner.invoke(app, ["extract", "S0003", "--again", "--package", str(pkg)])
    assert result.exit_code == 0 and "Between 300 and 400" in result.stdout and "1,200" not in result.stdout
