"""The repository's own record of its releases, read from its history, not from tags.

Tags do not travel with every clone, fork, mirror or archive. What does travel is the history of
two files: a release is the first commit at which datapackage.json declares version X.Y.Z *and*
CHANGELOG.md has its `## [X.Y.Z]` section (exactly what `claims release` commits). So 0.1.0
resolves in a `git clone --no-tags` as in the original checkout. A vX.Y.Z tag, where there is
one, must name the same commit: a tag that disagrees is an error naming both, never a silent
choice between them.

A shallow clone (`git clone --depth N`, a CI checkout's default) cuts the history at a grafted
commit that looks like a first commit: the version it declares seems to start there. A release
found at the oldest record commit of a shallow clone is therefore not proven, and resolving it is
refused with ShallowHistory rather than comparing a contribution with itself.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from ..core.json_reader import JSONUnreadable, parse_json
from ..errors import UsageError
from .git import git, is_repository, run

VERSION = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")
NAME = re.compile(r"^v?(\d+\.\d+\.\d+)$")
RECORD_FILES = ("datapackage.json", "CHANGELOG.md")


@dataclass(frozen=True, order=True, kw_only=True)
class Release:
    key: tuple[int, int, int]
    version: str
    commit: str
    proven: bool = field(default=True, compare=False)  # False: at the cut of a shallow clone

    @property
    def tag(self) -> str:
        return f"v{self.version}"


class ShallowHistory(UsageError):
    """A release the history would have to show is beyond the cut of a shallow clone."""

    def __init__(self, version: str) -> None:
        super().__init__(
            f"release {version} cannot be told from this clone: its history is shallow (cut by `git clone --depth` "
            f"or a CI checkout's default depth), so the commit that first declared {version} may be cut off and "
            "a comparison with it would compare the change with itself. Fetch the whole history: "
            "`git fetch --unshallow` (in GitHub Actions: actions/checkout with `fetch-depth: 0`)"
        )


def proven(release: Release) -> Release:
    """The release, if the history shows where it starts; ShallowHistory if a shallow clone cuts it."""
    if not release.proven:
        raise ShallowHistory(release.version)
    return release


def is_shallow(repo: Path) -> bool:
    return git(repo, "rev-parse", "--is-shallow-repository").strip() == "true"


def is_release_name(name: str) -> bool:
    return name == "latest" or bool(NAME.match(name))


def _version(descriptor: bytes) -> str | None:
    try:
        value = parse_json(descriptor).get("version")
    except (JSONUnreadable, AttributeError):
        return None
    return value if isinstance(value, str) and VERSION.match(value) else None


def _read_blobs(repo: Path, specs: list[str]) -> list[bytes | None]:
    """The contents of commit:path blobs, in one `git cat-file --batch` call (None where missing)."""
    if not specs:
        return []
    proc = subprocess.run(
        ["git", "-C", str(repo), "cat-file", "--batch"],
        input=("\n".join(specs) + "\n").encode(),
        capture_output=True,
        check=False,
    )
    if proc.returncode != 0:
        raise UsageError(f"git cat-file failed: {proc.stderr.decode('utf-8', 'replace').strip()}")
    out, pos, blobs = proc.stdout, 0, []
    for _ in specs:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        pos = end + 1
        if len(header) < 3 or header[-1] == b"missing":
            blobs.append(None)
            continue
        size = int(header[2])
        blobs.append(out[pos : pos + size])
        pos += size + 1
    return blobs


def _in_repository(folder: Path, top: Path, name: str) -> str:
    """name (a record file of the package that folder is in, or is) as a path from the top of the
    git checkout: the package may sit in a subfolder, and commands may run from one."""
    package = folder.resolve()
    for candidate in (package, *package.parents):
        if (candidate / "datapackage.json").is_file():
            package = candidate
            break
        if candidate == top.resolve():
            break
    rel = package.relative_to(top.resolve()).as_posix()
    return name if rel == "." else f"{rel}/{name}"


def find_releases(repo: Path) -> list[Release]:
    """Every release the history records, oldest version first; [] outside a git repository."""
    if not is_repository(repo):
        return []
    top = Path(git(repo, "rev-parse", "--show-toplevel").strip())
    files = [_in_repository(repo, top, name) for name in RECORD_FILES]
    commits = git(top, "log", "--format=%H", "--reverse", "--", *files).split()
    blobs = _read_blobs(top, [f"{c}:{f}" for c in commits for f in files])
    cut = commits[0] if commits and is_shallow(top) else None  # may only look like where a version starts
    found: dict[str, Release] = {}
    for i, commit in enumerate(commits):
        descriptor, changelog = blobs[2 * i], blobs[2 * i + 1]
        version = _version(descriptor) if descriptor is not None else None
        if version is None or version in found or changelog is None:
            continue
        if re.search(rf"(?m)^## \[{re.escape(version)}\]", changelog.decode("utf-8", "replace")):
            key = tuple(int(x) for x in version.split("."))
            found[version] = Release(key=key, version=version, commit=commit, proven=commit != cut)  # type: ignore[arg-type]
    return sorted(found.values())


def _tag_commit(repo: Path, tag: str) -> str | None:
    try:
        return (
            run(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", f"refs/tags/{tag}^{{commit}}")
            .decode()
            .strip()
            or None
        )
    except UsageError:
        return None


def check_tag(repo: Path, release: Release) -> None:
    """A vX.Y.Z tag, where there is one, names the release's commit."""
    tagged = _tag_commit(repo, release.tag)
    if tagged is not None and tagged != release.commit:
        raise UsageError(
            f"tag {release.tag} names commit {tagged[:12]}, but the history records release {release.version} at "
            f"{release.commit[:12]} (the first commit whose datapackage.json says {release.version} with its "
            "CHANGELOG section); move or delete the tag"
        )


def resolve_release(repo: Path, name: str) -> Release:
    """The release that name (vX.Y.Z, X.Y.Z or latest) stands for; UsageError when there is none,
    ShallowHistory when a shallow clone may have cut it off."""
    releases = find_releases(repo)
    if not releases:
        if not is_repository(repo):
            raise UsageError(
                f"{name}: {repo} is not a git repository, so its releases cannot be read; pass the release zip"
            )
        if is_shallow(repo):
            raise ShallowHistory(name)
        raise UsageError(f"{name}: the history records no release yet (run `claims release`)")
    if name == "latest":
        release = releases[-1]
    else:
        version = NAME.match(name).group(1)  # type: ignore[union-attr]
        release = next((r for r in releases if r.version == version), None)
        if release is None:
            if is_shallow(repo):  # it may be beyond the cut
                raise ShallowHistory(version)
            known = ", ".join(r.version for r in releases)
            raise UsageError(f"{name}: no such release; the history records {known}")
    check_tag(repo, release)
    return proven(release)
