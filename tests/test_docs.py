"""Documentation that must not drift: commands, codes, the data dictionary."""

from __future__ import annotations

import re

from typer.main import get_command

from toolkit.cli import app
from toolkit.problems.codes import CODES
from toolkit.publish.dictionary import render_dictionary

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_gives_the_two_commands() -> None:
    assert "pip install -e . && claims validate" in README
    assert "pip install -e '.[test]' && pytest" in README


def test_ci_runs_the_readme_test_command() -> None:
    assert "pip install -e '.[test]' && pytest" in (ROOT / ".ci/run").read_text()


def test_every_command_is_documented_with_an_example() -> None:
    command = get_command(app)
    for name, sub in command.commands.items():  # type: ignore[attr-defined]
        assert f"claims {name}" in README, name
        assert "Example:" in (sub.help or ""), name


def test_data_dictionary_is_generated_from_the_schemas() -> None:
    assert (ROOT / "docs/data-dictionary.md").read_text(encoding="utf-8") == render_dictionary(ROOT)


def test_every_code_is_kebab_case_and_documented() -> None:
    dictionary = (ROOT / "docs/data-dictionary.md").read_text(encoding="utf-8")
    for code in CODES:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", code)
        assert f"`{code}`" in dictionary


def _documented_keys(doc: str) -> list[set[str]]:
    """The keys of every JSON object in a doc's example, comments stripped."""
    import json

    block = re.search(r"```json\n(.*?)```", (ROOT / "docs" / doc).read_text(encoding="utf-8"), re.S)
    assert block, doc
    text = re.sub(r"//[^\n]*", "", block.group(1)).replace("...", "")
    found: list[set[str]] = []

    def collect(obj: object) -> None:
        if isinstance(obj, dict):
            found.append(set(obj))
            for v in obj.values():
                collect(v)
        elif isinstance(obj, list):
            for v in obj:
                collect(v)

    collect(json.loads(text))
    return found


def test_validate_json_doc_shows_every_key_the_output_has(tmp_path) -> None:
    import json

    from toolkit.check.validate import validate_package
    from toolkit.problems.render import render_json

    from .conftest import BAD, make_package

    report = validate_package(make_package(tmp_path / "pkg", BAD / "constraint-enum"))
    produced = json.loads(render_json(report))
    documented = _documented_keys("validate-json.md")
    assert set(produced) == documented[0]
    assert set(produced["problems"][0]) == next(keys for keys in documented if "code" in keys)


def test_diff_json_doc_shows_every_key_the_output_has(tmp_path) -> None:
    from toolkit.compare.diff import diff_packages
    from toolkit.compare.render import to_json

    from .conftest import edit, make_package

    old = make_package(tmp_path / "old")
    new = make_package(tmp_path / "new")
    edit(new, "data/claims.csv", ",50000,50000,", ",60000,60000,")
    produced = to_json(diff_packages(str(old), str(new)))
    documented = _documented_keys("diff-json.md")
    assert set(produced) == documented[0]
    claims = produced["resources"]["claims"]
    assert set(claims) == next(keys for keys in documented if "keyed" in keys)
    assert set(claims["cells"][0]) == next(keys for keys in documented if "column" in keys and "key" in keys)
