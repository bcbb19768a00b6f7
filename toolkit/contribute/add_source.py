"""add_source: archive a document's text under seeds/ and record it in sources.csv.

The seed is what every quote is checked against, so it is stored exactly once, as UTF-8 with LF
line endings, named after its new source_id, with its SHA-256 in the sources row. The text is
never guessed: a file that is not UTF-8 is refused unless its encoding is named.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..core.dates import parse_date
from ..core.files import appended
from ..core.ids import next_id
from ..core.package_lock import Notify, package_lock
from ..core.paths import find_descriptor, inside_folder
from ..core.transaction import commit_files
from ..errors import UsageError
from ..read.policy import read_folder

MAX_BYTES = 5_000_000  # a news article is tens of kilobytes; anything this large is not one document


@dataclass(frozen=True)
class AddedSource:
    source_id: str
    seed_path: str
    sha256: str
    row: list[str]


def _read_document(file: Path, encoding: str | None) -> str:
    """The document's text; never more than MAX_BYTES + 1 bytes are read, so a device such as
    /dev/zero, a pipe or a huge file cannot exhaust memory."""
    try:
        if not file.is_file():
            raise UsageError(f"{file} is not a regular file; save the document's text as a .txt file")
        with file.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise UsageError(f"cannot read {file}: {exc.strerror or exc}") from exc
    if not data.strip():
        raise UsageError(f"{file} is empty: there is no text to archive")
    if len(data) > MAX_BYTES:
        raise UsageError(
            f"{file} is larger than {MAX_BYTES:,} bytes, the most a source document may be "
            "(split it, or archive the relevant part)"
        )
    if b"\x00" in data:
        raise UsageError(f"{file} is binary (it contains NUL bytes); save the document's text as a .txt file")
    try:
        text = data.decode(encoding or "utf-8")
    except (UnicodeDecodeError, LookupError) as exc:
        where = f" at byte {exc.start}" if isinstance(exc, UnicodeDecodeError) else ""
        raise UsageError(
            f"{file} is not {encoding or 'UTF-8'}{where}; re-save it as UTF-8 or name its "
            "encoding with --encoding (e.g. --encoding cp1252)"
        ) from exc
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\t")
    if controls > max(10, len(text) // 100):
        raise UsageError(f"{file} looks binary ({controls} control characters); archive its text instead")
    return text


def _check(name: str, value: str | None, pattern: str, example: str) -> None:
    if value and not re.fullmatch(pattern, value):
        raise UsageError(f"--{name} {value!r} is not valid; write it like {example}")


def add_source(
    root: Path,
    file: Path,
    *,
    title: str,
    publisher: str = "",
    url: str = "",
    published: str = "",
    retrieved: str = "",
    language: str = "",
    notes: str = "",
    encoding: str | None = None,
    wait: float = 0.0,
    notify: Notify | None = None,
) -> AddedSource:
    """Archive file as the next source; refuse duplicates and bad input, writing nothing then.
    The seed and the sources row are written as one change, under the package's write lock (the
    next source ID is read and used by one writer at a time)."""
    if not title.strip():
        raise UsageError("--title is required: the document's title as it shows it")
    root = find_descriptor(Path(root)).parent
    with package_lock(root, command="add-source", wait=wait, notify=notify):
        return _add_source(
            root,
            file,
            title=title,
            publisher=publisher,
            url=url,
            published=published,
            retrieved=retrieved,
            language=language,
            notes=notes,
            encoding=encoding,
        )


def _add_source(
    root: Path,
    file: Path,
    *,
    title: str,
    publisher: str,
    url: str,
    published: str,
    retrieved: str,
    language: str,
    notes: str,
    encoding: str | None,
) -> AddedSource:
    package = read_folder(root)
    if "sources" not in package.tables:
        raise UsageError(f"{root} has no readable sources table; run `claims validate`")
    schema = package.schemas["sources"]
    # the patterns come from schemas/sources.schema.json: the option is refused exactly when the row would be
    _check("url", url, schema.field("url").constraints.get("pattern", ".*"), "https://example.org/article")
    for name, value in (("published", published), ("retrieved", retrieved)):
        if value and parse_date(value) is None:
            raise UsageError(f"--{name} {value!r} is not a date; write a real day as YYYY-MM-DD, like 2025-11-25")
    _check("language", language, schema.field("language").constraints.get("pattern", ".*"), "en")
    text = _read_document(file, encoding)
    data = text.encode("utf-8")
    digest = hashlib.sha256(data).hexdigest()
    sources = package.tables["sources"].frame
    same = sources[sources["seed_sha256"] == digest]
    if len(same):
        raise UsageError(
            f"this text is archived already as {same['source_id'].iloc[0]} "
            f"({same['seed_path'].iloc[0]}); add claims to that source instead"
        )
    source_id = next_id(sources["source_id"], "S")
    seed_rel = f"seeds/{source_id}.txt"
    seed_path = inside_folder(package.root, "seeds") / f"{source_id}.txt"  # never through a link out
    if os.path.lexists(seed_path):
        raise UsageError(f"{seed_rel} exists already but no source refers to it; remove it or add its row")
    header = package.tables["sources"].header
    if header != schema.names:
        raise UsageError("data/sources.csv has an unexpected header; run `claims validate`")
    cells = {
        "source_id": source_id,
        "title": title.strip(),
        "publisher": publisher,
        "url": url,
        "published": published,
        "retrieved": retrieved,
        "language": language,
        "seed_path": seed_rel,
        "seed_sha256": digest,
        "notes": notes,
    }
    row = [cells.get(name, "") for name in header]
    sources_file = package.tables["sources"].file
    commit_files(package.root, {seed_rel: data, sources_file: appended(package.root / sources_file, [row])})
    return AddedSource(source_id, seed_rel, digest, row)
