"""The one way the toolkit runs git: no user-supplied word is ever read as an option.

A ref comes from the command line (`claims diff REF`, `--against REF`); `--output=FILE` passed
as a ref would make `git archive` write (and empty) FILE. So every ref is first resolved to a
commit with `rev-parse --verify --end-of-options REF^{commit}`, and only the commit's hash is
passed on. Every failure is a plain UsageError.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from ..errors import UsageError

_SHA = re.compile(r"^[0-9a-f]{40}([0-9a-f]{24})?$")


def run(repo: Path, *args: str) -> bytes:
    """git -C repo args..., its standard output as bytes; UsageError with git's message on failure."""
    try:
        proc = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=False)
    except FileNotFoundError as exc:
        raise UsageError("git is not installed") from exc
    if proc.returncode != 0:
        message = (proc.stderr or proc.stdout).decode("utf-8", "replace").strip().splitlines()
        raise UsageError(f"git {args[0]} failed: {message[-1] if message else f'exit code {proc.returncode}'}")
    return proc.stdout


def git(repo: Path, *args: str) -> str:
    return run(repo, *args).decode("utf-8", "replace")


def is_repository(repo: Path) -> bool:
    try:
        return git(repo, "rev-parse", "--is-inside-work-tree").strip() == "true"
    except UsageError:
        return False


def resolve_commit(repo: Path, ref: str) -> str:
    """The full hash of the commit ref names; UsageError when it names none (or looks like an option)."""
    if not ref or ref.startswith("-") or "\x00" in ref:
        raise UsageError(f"{ref!r} is not a git ref: a ref never starts with '-'")
    try:
        out = run(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
    except UsageError as exc:
        raise UsageError(f"no folder, zip or commit of that name in {repo}") from exc
    sha = out.decode("ascii", "replace").strip()
    if not _SHA.match(sha):
        raise UsageError(f"{ref!r} names no commit in {repo}")
    return sha


def archive(repo: Path, ref: str, paths: list[str] | None = None) -> bytes:
    """The tree of the commit ref names (only paths, when given: paths from the top of the
    checkout), as a tar archive; from a subfolder too (git archive alone would pack only the
    subfolder). git archive takes the paths after the commit as they are (a "--" there would be
    read as one more path), and --end-of-options keeps a path that starts with "-" a path."""
    commit = resolve_commit(repo, ref)
    top = Path(git(repo, "rev-parse", "--show-toplevel").strip())
    return run(top, "archive", "--format=tar", "--end-of-options", commit, *(paths or []))


def blob(repo: Path, commit: str, path: str) -> bytes | None:
    """The bytes of path (from the top of the checkout) at commit; None when it has none."""
    try:
        return run(repo, "cat-file", "blob", "--end-of-options", f"{commit}:{path}")
    except UsageError:
        return None


def tree_files(repo: Path, commit: str) -> list[str]:
    """Every file of the commit's tree, as paths from the top of the checkout."""
    top = Path(git(repo, "rev-parse", "--show-toplevel").strip())
    return git(top, "ls-tree", "-r", "--name-only", "--end-of-options", commit).splitlines()


def dirty_files(repo: Path) -> list[str]:
    return [line[3:] for line in git(repo, "status", "--porcelain").splitlines() if line.strip()]


def tag_exists(repo: Path, tag: str) -> bool:
    return bool(git(repo, "tag", "--list", "--end-of-options", tag).strip())


class Blobs:
    """Files of many commits read through one `git cat-file --batch` process: reading a file at
    each of hundreds of commits one `git cat-file` at a time spends more in starting git than in
    reading. Use as a context manager; read("<commit>:<path>") is (blob id, bytes), or None when
    the commit has no such file."""

    def __init__(self, repo: Path) -> None:
        try:
            self._proc = subprocess.Popen(
                ["git", "-C", str(repo), "cat-file", "--batch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
            )
        except FileNotFoundError as exc:
            raise UsageError("git is not installed") from exc

    def __enter__(self) -> Blobs:
        return self

    def __exit__(self, *_: object) -> None:
        assert self._proc.stdin is not None
        self._proc.stdin.close()
        self._proc.wait()
        if self._proc.stdout is not None:
            self._proc.stdout.close()

    def read(self, spec: str) -> tuple[str, bytes] | None:
        if "\n" in spec:
            return None
        stdin, stdout = self._proc.stdin, self._proc.stdout
        assert stdin is not None and stdout is not None
        stdin.write(spec.encode("utf-8") + b"\n")
        stdin.flush()
        header = stdout.readline().split()
        if len(header) != 3:  # "<spec> missing" or "ambiguous"
            return None
        sha, kind, size = header
        data = stdout.read(int(size))
        stdout.read(1)  # the newline after the contents
        return (sha.decode("ascii"), data) if kind == b"blob" else None
