"""The few git operations releases need, each failing with a plain UsageError."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from .errors import UsageError

TAG = re.compile(r"^v(\d+)\.(\d+)\.(\d+)$")


def git(repo: Path, *args: str) -> str:
    try:
        proc = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise UsageError("git is not installed") from exc
    if proc.returncode != 0:
        raise UsageError(f"git {' '.join(args)} failed: {proc.stderr.strip() or proc.stdout.strip()}")
    return proc.stdout


def dirty_files(repo: Path) -> list[str]:
    return [line[3:] for line in git(repo, "status", "--porcelain").splitlines() if line.strip()]


def version_tags(repo: Path) -> list[tuple[int, int, int]]:
    """All vX.Y.Z tags, newest version last."""
    found = [TAG.match(t.strip()) for t in git(repo, "tag", "--list", "v*").splitlines()]
    return sorted(tuple(int(x) for x in m.groups()) for m in found if m)  # type: ignore[misc]


def tag_exists(repo: Path, tag: str) -> bool:
    return bool(git(repo, "tag", "--list", tag).strip())
