"""publish/versions.py: version arithmetic, with expectations written out by hand."""

from __future__ import annotations

import pytest

from toolkit.errors import UsageError
from toolkit.publish.versions import bump_version, version_key


@pytest.mark.parametrize(
    ("version", "bump", "expected"),
    [
        ("0.1.1", "minor", "0.2.0"),
        ("0.1.1", "patch", "0.1.2"),
        ("0.1.1", "major", "1.0.0"),
        ("1.1.0", "patch", "1.1.1"),
        ("2.7.13", "minor", "2.8.0"),
        ("2.7.13", "major", "3.0.0"),
        ("2.7.13", "patch", "2.7.14"),
        ("9.9.9", "patch", "9.9.10"),
        ("9.9.9", "minor", "9.10.0"),
        ("0.0.0", "patch", "0.0.1"),
        ("10.0.99", "major", "11.0.0"),
    ],
)
def test_version_arithmetic(version: str, bump: str, expected: str) -> None:
    assert bump_version(version, bump) == expected


@pytest.mark.parametrize(
    ("version", "bump", "says"),
    [
        ("1.2", "patch", "version '1.2' is not X.Y.Z"),
        ("v1.2.3", "minor", "version 'v1.2.3' is not X.Y.Z"),
        ("1.2.3", "micro", "--bump must be one of major, minor, patch, not 'micro'"),
    ],
)
def test_version_arithmetic_refuses_what_it_cannot_do(version: str, bump: str, says: str) -> None:
    """The refusal names what was given and what is accepted: it reaches the user as the error."""
    with pytest.raises(UsageError) as refused:
        bump_version(version, bump)
    assert str(refused.value) == says


def test_versions_compare_as_numbers() -> None:
    assert version_key("1.10.0") > version_key("1.9.0")
    assert version_key("2.0.0") > version_key("1.99.99")
    assert version_key("1.2.3") == (1, 2, 3)
    assert version_key("1.2") == (-1,) < version_key("0.0.0")
    assert version_key("v1.2.3") == (-1,)
