"""plan_release / apply_release: version, changelog, citation, commit and tag, from the diff.

Nobody edits changelogs by hand: the diff against the newest release the history records
(repo/release_record.py; tags are not needed) decides the bump (overridable), and the CHANGELOG section
lists the claims added, corrected and retracted by ID. The release commit is what makes the
release (the history's record); the tag is a convenience. apply_release writes every file
atomically and undoes exactly what it did if any later step (commit, tag, build) fails.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import signal
import subprocess
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..check.validate import load_valid
from ..compare import render
from ..compare.diff import diff_loaded
from ..compare.diff_model import PackageDiff, ResourceDiff, key_label
from ..core.package_lock import Notify, package_lock
from ..core.transaction import commit_files
from ..errors import UsageError
from ..read.model import LoadedPackage
from ..read.policy import open_readable
from ..repo.git import dirty_files, git, tag_exists
from ..repo.release_record import check_tag, find_releases, proven
from .versions import BUMPS, bump_version, version_key


@dataclass(kw_only=True)
class ReleasePlan:
    repo: Path
    previous: str | None
    old_version: str
    version: str
    bump: str | None
    reason: str
    date: str
    diff: PackageDiff | None
    section: str
    writes: dict[Path, bytes] = field(default_factory=dict)
    head: str = ""  # the commit the plan was made from

    @property
    def tag(self) -> str:
        return f"v{self.version}"


def _claim_line(package: LoadedPackage, claim_id: str) -> str:
    claims = package.tables["claims"].frame
    row = claims[claims["claim_id"] == claim_id]
    if row.empty:
        return f"- {claim_id}"
    r = row.iloc[0]
    return f"- {claim_id}: {r['wording']} ({r['metric_id']}, {r['source_id']})"


def _change_text(column: str, old: str, new: str) -> str:
    """A corrected cell in a changelog line: short values in full, long text as a mention."""
    if len(old) > 60 or len(new) > 60:
        return f"{column} reworded"
    return f"{column} {old or '(empty)'} -> {new or '(empty)'}"


def changelog_section(
    version: str, date: str, previous: str | None, diff: PackageDiff | None, new: LoadedPackage
) -> str:
    lines = [f"## [{version}] - {date}", ""]
    if diff is None:
        ids = new.tables["claims"].frame["claim_id"].tolist() if "claims" in new.tables else []
        lines += ["First release.", "", "### Added", ""] + [_claim_line(new, i) for i in ids]
        return "\n".join(lines) + "\n"
    counts = diff.counts()
    _bump, why = diff.bump()
    lines.append(f"Compared with {previous}: " + ", ".join(f"{counts[k]} {k}" for k in counts) + f" ({why}).")
    claims = diff.resources.get("claims")
    added = claims.added if claims else []
    retracted = sorted({c.key for c in claims.cells if c.kind == "retraction"}) if claims else []
    corrected: dict[str, list[str]] = {}
    for c in claims.cells if claims else []:
        if c.key not in retracted:
            corrected.setdefault(c.key, []).append(_change_text(c.column, c.old, c.new))
    other_rows = {name: r for name, r in diff.resources.items() if name != "claims" and r.has_changes}
    if added or any(r.added for r in other_rows.values()):
        lines += ["", "### Added", "", *(_added_lines(claims, new) if claims else [])]
        lines += [_other_added(name, r) for name, r in other_rows.items() if r.added]
    if corrected or any(r.cells for r in other_rows.values()):
        lines += ["", "### Fixed", ""] + [f"- {k}: {'; '.join(v)}" for k, v in corrected.items()]
        lines += [
            f"- {name} {key_label(c.key)}: {_change_text(c.column, c.old, c.new)}"
            for name, r in other_rows.items()
            for c in r.cells
        ]
    if retracted:
        lines += ["", "### Deprecated", "", "Retracted or superseded (the rows stay in the data):", ""]
        lines += [
            f"- {k}: status {next(c.new for c in claims.cells if c.key == k and c.column == 'status')}"
            for k in retracted
        ]
    removed = [f"{name} {key_label(k)}" for name, r in diff.resources.items() for k in r.removed]
    if removed:
        lines += ["", "### Removed", ""] + [f"- {x}" for x in removed]
    meta = [m for m in diff.meta if m.what != "version"]
    if meta:
        lines += ["", "### Changed", ""] + [f"- {m.scope} {m.what} {m.name} ({m.kind})" for m in meta]
    return "\n".join(lines) + "\n"


def _added_lines(claims: ResourceDiff, new: LoadedPackage) -> list[str]:
    """The added claims one by one, or, for an imported series, by source and metric (by source
    alone for a source of many metrics, when there are many)."""
    if render.grouped(claims):
        return [f"- {len(claims.added):,} claims, by source and metric:"] + [
            f"  - {line}" for line in render.group_lines(claims.added_groups)
        ]
    return [_claim_line(new, i) for i in claims.added]


def _other_added(name: str, r: ResourceDiff) -> str:
    if len(r.added) > render.LISTED_ADDED:
        return f"- {name}: {len(r.added):,} rows ({key_label(r.added[0])} to {key_label(r.added[-1])})"
    return f"- {name}: {', '.join(map(key_label, r.added))}"


KEEP_A_CHANGELOG = ("Added", "Changed", "Deprecated", "Removed", "Fixed", "Security")


def _subsections(text: str) -> tuple[list[str], dict[str, list[str]]]:
    """The lines before the first ### heading, and each ### heading's lines."""
    intro: list[str] = []
    parts: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        if line.startswith("### "):
            current = parts.setdefault(line[4:].strip(), [])
        elif current is None:
            intro.append(line)
        else:
            current.append(line)
    return intro, parts


def _merge(section: str, notes: str) -> str:
    """The generated section with the Unreleased notes under the same headings, in Keep a
    Changelog's order: one "### Changed", not two."""
    intro, generated = _subsections(section)
    _, written = _subsections(notes)
    out = [line for line in intro]
    while out and not out[-1].strip():
        out.pop()
    names = [h for h in KEEP_A_CHANGELOG if h in generated or h in written]
    names += [h for h in [*generated, *written] if h not in names]
    for name in dict.fromkeys(names):
        lines = [x for x in generated.get(name, []) if x.strip()] + [x for x in written.get(name, []) if x.strip()]
        out += ["", f"### {name}", "", *lines]
    return "\n".join(out) + "\n"


def _insert_section(changelog: str, section: str) -> str:
    """The new section under [Unreleased], which keeps its heading and is emptied: its notes move
    into the section they describe."""
    marker = "## [Unreleased]"
    if marker in changelog:
        head, tail = changelog.split(marker, 1)
        next_section = tail.find("\n## [")
        notes, rest = (tail, "") if next_section < 0 else (tail[:next_section], tail[next_section + 1 :])
        return head + marker + "\n\n" + _merge(section, notes) + ("\n" + rest if rest else "")
    return changelog.rstrip("\n") + "\n\n" + section


def plan_release(repo: Path, bump: str | None = None, date: dt.date | None = None) -> ReleasePlan:
    """Everything a release would do, computed and checked, nothing written.

    The previous release is the newest one the history records (repo/release_record.py), tags or not. The
    new version is the previous one bumped as the diff proposes (or as asked), unless
    datapackage.json already declares a higher one, as a contributor does for a breaking change.
    """
    if bump is not None and bump not in BUMPS:
        raise UsageError(f"--bump must be one of {', '.join(BUMPS)}")
    dirty = dirty_files(repo)
    if dirty:
        raise UsageError(
            "the working tree has uncommitted changes: " + ", ".join(dirty[:5]) + " (commit or stash them first)"
        )
    new = load_valid(repo)
    repo = new.root  # found from a subfolder too: the files below are the package's own
    declared = str(new.descriptor.get("version", "0.0.0"))
    releases = find_releases(repo)
    last = proven(releases[-1]) if releases else None
    previous = last.tag if last else None
    day = (date or dt.date.today()).isoformat()
    if last is None:
        if version_key(declared) == (-1,):
            raise UsageError(f"datapackage.json's version {declared!r} is not X.Y.Z")
        version, chosen, reason, diff = declared, None, "the version datapackage.json declares", None
    else:
        check_tag(repo, last)
        with open_readable(last.commit, f"release {last.version}", repo) as old:
            diff = diff_loaded(old, new, last.tag, "working tree")
        proposed, reason = diff.bump()
        chosen = bump or proposed
        if chosen is None:
            raise UsageError(f"nothing changed since {last.tag}: no release needed")
        if bump and bump != proposed:
            reason = f"{bump} requested (the diff suggests {proposed or 'none'}: {reason})"
        version = bump_version(last.version, chosen)
        if version_key(declared) > version_key(version):
            version, reason = declared, f"{reason}; datapackage.json declares {declared} already"
    if any(r.version == version for r in releases):
        raise UsageError(f"release {version} exists already in the history")
    if tag_exists(repo, f"v{version}"):
        raise UsageError(f"tag v{version} exists already")
    section = changelog_section(version, day, previous, diff, new)
    plan = ReleasePlan(
        repo=repo,
        previous=previous,
        old_version=declared,
        version=version,
        bump=chosen,
        reason=reason,
        date=day,
        diff=diff,
        section=section,
    )
    plan.head = git(repo, "rev-parse", "HEAD").strip()
    descriptor = dict(new.descriptor)
    descriptor["version"] = version
    descriptor["created"] = f"{day}T00:00:00Z"
    plan.writes[repo / "datapackage.json"] = (json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n").encode()
    changelog = (
        (repo / "CHANGELOG.md").read_text(encoding="utf-8")
        if (repo / "CHANGELOG.md").is_file()
        else "# Changelog\n\n## [Unreleased]\n"
    )
    if f"## [{version}]" not in changelog:
        plan.writes[repo / "CHANGELOG.md"] = _insert_section(changelog, section).encode()
    dictionary = repo / "docs" / "data-dictionary.md"
    if dictionary.is_file():  # it names the version: a release writes it with the new one
        from .dictionary import render_dictionary

        plan.writes[dictionary] = render_dictionary(repo, version).encode("utf-8")
    if (repo / "CITATION.cff").is_file():
        cff = (repo / "CITATION.cff").read_text(encoding="utf-8")
        cff = re.sub(r"(?m)^version: .*$", f"version: {version}", cff)
        cff = re.sub(r"(?m)^date-released: .*$", f"date-released: {day}", cff)
        plan.writes[repo / "CITATION.cff"] = cff.encode()
    return plan


@contextmanager
def release_lock(repo: Path) -> Iterator[None]:
    """One release at a time per repository.

    Two releases started together would both commit and tag, and one's rollback could drop the
    other's commit. The lock is an flock on a file in the git folder: the system releases it
    when the process ends, however it ends, so a killed release never leaves a stale lock.
    """
    import fcntl

    lock_path = Path(git(repo, "rev-parse", "--absolute-git-dir").strip()) / "claims-release.lock"
    with lock_path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise UsageError("another `claims release` is running in this repository; wait for it to finish") from exc
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class Interrupted(KeyboardInterrupt):
    """Ctrl-C during a release, after the release said what it left: the whole release, or none."""


@contextmanager
def held_interrupts() -> Iterator[list[bool]]:
    """Ctrl-C held back while the block runs (the ref transaction, an undo): a release is never
    left half made by an interrupt. The list given tells whether one came; it is raised when the
    block ends. Only the main thread can take signals; elsewhere the block just runs."""
    caught: list[bool] = []
    if threading.current_thread() is not threading.main_thread():
        yield caught
        return
    previous = signal.signal(signal.SIGINT, lambda *_: caught.append(True))
    try:
        yield caught
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        raise KeyboardInterrupt


def apply_release(
    plan: ReleasePlan, then: Callable[[], object] | None = None, *, wait: float = 0.0, notify: Notify | None = None
) -> None:
    """Write, commit, tag, then run `then` (the build); on any failure or interrupt, undo it all.

    Under the release lock, and only if the repository is still as the plan saw it: a release
    planned before another one landed would otherwise commit on top of it. The commit and the
    annotated tag are made as objects first and land together, in one atomic transaction of git's
    refs (the branch and the tag): before it, no ref moved; after it, both did. Ctrl-C is held
    back through that transaction and through an undo, and git runs apart from the terminal's
    Ctrl-C, so an interrupt at any moment leaves the whole release or none of it. What is undone
    is read from the repository, not from how far this run thinks it got.
    """
    say = notify or (lambda _message: None)
    with release_lock(plan.repo), package_lock(plan.repo, command="release", wait=wait, notify=notify):
        head = git(plan.repo, "rev-parse", "HEAD").strip()
        if head != plan.head or dirty_files(plan.repo):
            raise UsageError(
                "the repository changed since this release was planned (another release, or new changes); "
                "run `claims release` again"
            )
        originals = {path: path.read_bytes() if path.exists() else None for path in plan.writes}
        made: dict[str, str] = {}
        try:
            rel = [str(p.relative_to(plan.repo)) for p in plan.writes]
            commit_files(plan.repo, dict(zip(rel, plan.writes.values(), strict=True)))
            git(plan.repo, "add", "--", *rel)
            made |= _objects(plan, head)
            with held_interrupts():
                _land(plan, head, made)
            if then is not None:
                then()
        except BaseException as exc:
            with held_interrupts():
                _undo(plan, originals, head, made)
            if isinstance(exc, KeyboardInterrupt):
                say(f"interrupted: the release of {plan.tag} was undone (no commit, no tag, every file as it was)")
                raise Interrupted from exc
            raise


def _objects(plan: ReleasePlan, head: str) -> dict[str, str]:
    """The release's commit and annotated tag, as objects no ref points to yet."""
    tree = git(plan.repo, "write-tree").strip()
    message = f"Release {plan.tag}\n\n{plan.section}"
    commit = _with_input(plan.repo, message, "commit-tree", tree, "-p", head)
    tagger = git(plan.repo, "var", "GIT_COMMITTER_IDENT").strip()
    body = f"object {commit}\ntype commit\ntag {plan.tag}\ntagger {tagger}\n\nwar-claims {plan.version}\n"
    return {"commit": commit, "tag": _with_input(plan.repo, body, "mktag")}


def _with_input(repo: Path, text: str, *args: str) -> str:
    proc = subprocess.run(
        ["git", "-C", str(repo), *args], input=text.encode(), capture_output=True, check=False, start_new_session=True
    )
    if proc.returncode != 0:
        raise UsageError(f"git {args[0]} failed: {proc.stderr.decode('utf-8', 'replace').strip()}")
    return proc.stdout.decode().strip()


def _branch(repo: Path) -> str:
    """The ref HEAD moves with: its branch, or HEAD itself when detached."""
    try:
        return git(repo, "symbolic-ref", "-q", "HEAD").strip() or "HEAD"
    except UsageError:
        return "HEAD"


def _refs(repo: Path, lines: list[str]) -> None:
    """One transaction of ref updates (git update-ref --stdin): all of them, or none."""
    text = "\n".join(["start", *lines, "prepare", "commit"]) + "\n"
    _with_input(repo, text, "update-ref", "--stdin")


def _land(plan: ReleasePlan, head: str, made: dict[str, str]) -> None:
    """The branch to the release's commit and the tag created, in one transaction."""
    branch = _branch(plan.repo)
    _refs(plan.repo, [f"update {branch} {made['commit']} {head}", f"create refs/tags/{plan.tag} {made['tag']}"])


def _undo(plan: ReleasePlan, originals: dict[Path, bytes | None], head: str, made: dict[str, str]) -> None:
    """Back to the state before the release: the refs this release moved (as the repository shows
    them now), the index entries of its files, and the files' bytes."""
    lines = []
    tag = git(plan.repo, "rev-parse", "--verify", "--quiet", f"refs/tags/{plan.tag}").strip() if made else ""
    if made and tag == made.get("tag"):
        lines.append(f"delete refs/tags/{plan.tag} {tag}")
    if made and git(plan.repo, "rev-parse", "HEAD").strip() == made.get("commit"):
        lines.append(f"update {_branch(plan.repo)} {head} {made['commit']}")
    if lines:
        _refs(plan.repo, lines)
    git(plan.repo, "reset", "-q", "--", *[str(p.relative_to(plan.repo)) for p in plan.writes])
    commit_files(plan.repo, {str(path.relative_to(plan.repo)): data for path, data in originals.items()})
