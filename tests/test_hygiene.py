"""check/hygiene.py: which columns get the text-hygiene pass, and that nothing slips through the others."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from toolkit.check.hygiene import needs_hygiene
from toolkit.check.validate import validate_package
from toolkit.read.table_schema import Field

from .conftest import make_package


def test_closed_patterns_and_enums_skip_the_pass() -> None:
    assert not needs_hygiene(Field("id", "string", {"pattern": "C[0-9]{4,}"}))
    assert not needs_hygiene(Field("p", "string", {"pattern": "seeds/[A-Za-z0-9_.-]+\\.txt"}))
    assert not needs_hygiene(Field("q", "string", {"enum": ["a"]}))
    assert needs_hygiene(Field("url", "string", {"pattern": "https?://\\S+"}))
    assert needs_hygiene(Field("any", "string", {"pattern": ".*"}))
    assert needs_hygiene(Field("text", "string"))
    assert not needs_hygiene(Field("n", "integer"))


def test_invisible_character_in_a_closed_column_is_still_reported(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg")
    path = pkg / "data/claims.csv"
    path.write_text(path.read_text().replace("C0002,", "C0002\u200b,", 1))
    report = validate_package(pkg, today=dt.date(2026, 11, 25))
    assert any(p.code == "constraint-pattern" and p.row == 3 and p.column == "claim_id" for p in report.problems)
