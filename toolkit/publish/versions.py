"""Semantic-version arithmetic for the dataset: the one place a version is bumped or compared.

Kept apart from the release workflow so a narrowed rule (a minor bump that keeps the patch
number, a comparison that reads 1.10.0 as older than 1.9.0) is caught by its own tests and by
mutation testing (docs/testing.md).
"""

from __future__ import annotations

import re

from ..errors import UsageError

BUMPS = ("major", "minor", "patch")


def bump_version(version: str, bump: str) -> str:
    match = re.fullmatch(r"(\d+)\.(\d+)\.(\d+)", version)
    if not match:
        raise UsageError(f"version {version!r} is not X.Y.Z")
    major, minor, patch = (int(x) for x in match.groups())
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    if bump == "patch":
        return f"{major}.{minor}.{patch + 1}"
    raise UsageError(f"--bump must be one of {', '.join(BUMPS)}, not {bump!r}")


def version_key(version: str) -> tuple[int, ...]:
    """The version as numbers to compare; (-1,) for anything that is not X.Y.Z, below every version."""
    return tuple(int(x) for x in version.split(".")) if re.fullmatch(r"\d+\.\d+\.\d+", version) else (-1,)
