"""Documentation that must not drift: commands, codes, the data dictionary."""

from __future__ import annotations

import re

from typer.main import get_command

from toolkit.cli import app
from toolkit.codes import CODES
from toolkit.dictionary import render_dictionary

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
