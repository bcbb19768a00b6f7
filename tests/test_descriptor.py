"""read/descriptor.py: names the Data Package standard constrains are held to its pattern."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.check.validate import validate_package
from toolkit.cli import app

from .conftest import make_package

runner = CliRunner()
HOSTILE = 'x"; DROP TABLE claims; --'


def _rename(pkg: Path, package: object = None, resource: object = None) -> None:
    path = pkg / "datapackage.json"
    descriptor = json.loads(path.read_text())
    if package is not None:
        descriptor["name"] = package
    if resource is not None:
        descriptor["resources"][0]["name"] = resource
    path.write_text(json.dumps(descriptor, indent=2))


@pytest.mark.parametrize("name", [HOSTILE, "Claims", "claims table", "claims\u00e9", "", "a\\b"])
def test_a_resource_name_outside_the_pattern_is_invalid(tmp_path: Path, name: str) -> None:
    pkg = make_package(tmp_path / "pkg")
    _rename(pkg, resource=name)
    report = validate_package(pkg)
    found = [p for p in report.problems if p.code == "descriptor-invalid" and p.column == "name"]
    assert len(found) == 1, [(p.code, p.message) for p in report.problems]
    assert found[0].file == "datapackage.json" and "resource 1" in found[0].message
    assert "^([-a-z0-9._/])+$" in found[0].hint


@pytest.mark.parametrize("name", ["war-claims", "claims_v2", "a.b/c-1"])
def test_names_inside_the_pattern_are_accepted(tmp_path: Path, name: str) -> None:
    pkg = make_package(tmp_path / "pkg")
    _rename(pkg, package=name)
    report = validate_package(pkg)
    assert not [p for p in report.problems if p.column == "name"], [p.message for p in report.problems]


def test_a_package_name_outside_the_pattern_is_invalid(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg")
    _rename(pkg, package="War Claims")
    report = validate_package(pkg)
    assert [p.message for p in report.problems if p.column == "name"] == [
        "The name of the package, 'War Claims', breaks the Data Package standard's rule for names."
    ]


def test_validate_and_build_refuse_a_hostile_resource_name(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg")
    _rename(pkg, resource=HOSTILE)
    out = runner.invoke(app, ["validate", str(pkg), "--no-cache"])
    assert out.exit_code == 1 and "descriptor-invalid" in out.stdout
    out = runner.invoke(app, ["build", str(pkg), "--out", str(tmp_path / "dist"), "--no-site"])
    assert out.exit_code == 2 and "breaks the Data Package standard's rule for names" in out.stderr  # refused
    assert not (tmp_path / "dist").exists() or not any((tmp_path / "dist").rglob("*.sqlite"))


@pytest.mark.parametrize(
    ("where", "value"),
    [
        ("package", "https://[datapackage.org/profiles/2.0/datapackage.json"),
        ("package", 7),
        ("resource", "http://[::1"),
    ],
)
def test_a_profile_address_frictionless_cannot_parse_is_reported(tmp_path: Path, where: str, value: object) -> None:
    # found by tests/test_fuzz.py: a "[" inserted into $schema raised ValueError inside frictionless
    pkg = make_package(tmp_path / "pkg")
    path = pkg / "datapackage.json"
    descriptor = json.loads(path.read_text())
    (descriptor if where == "package" else descriptor["resources"][0])["$schema"] = value
    path.write_text(json.dumps(descriptor, indent=2))
    out = runner.invoke(app, ["validate", str(pkg), "--no-cache", "--format", "json"])
    assert out.exit_code == 1, out.output
    problems = json.loads(out.stdout)["problems"]
    assert [(p["code"], p["column"]) for p in problems if p["column"] == "$schema"] == [
        ("descriptor-invalid", "$schema")
    ]
