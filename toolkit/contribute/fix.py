"""fix_package(root) -> FixResult: every table rewritten in its canonical form, like `ruff format`.

A spreadsheet saving data/claims.csv adds a byte-order mark and CRLF line endings, quotes every
cell and may leave spaces around values; an editor may store an accent apart from its letter.
None of that changes a value, and all of it fails `claims validate`. The canonical form is UTF-8
without BOM, LF line endings, RFC 4180 quoting only where needed, cells in Unicode NFC without
spaces around them, columns in the schema's order (a table saved as UTF-16 or UTF-32, a
spreadsheet's "Unicode text", is converted). Rows keep their order. Nothing else is
touched: a file the reader cannot parse as a table (a ragged row, an unclosed quote, bytes that
are not UTF-8) is left alone and said so, because fixing it needs a person's judgement.
"""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..core.package_lock import Notify, package_lock
from ..core.paths import find_descriptor, regular_file_inside
from ..core.transaction import commit_files
from ..errors import UsageError
from ..problems.report import Report
from ..read.load import load_package

SPACES = " \t\u00a0\u202f\u3000"


@dataclass
class FileFix:
    file: str
    changes: list[str] = field(default_factory=list)
    refused: str | None = None  # why the file was left alone
    data: bytes | None = None  # the canonical bytes, when they differ from the file's
    original: bytes | None = None  # the file's bytes as read, when they differ

    @property
    def changed(self) -> bool:
        return self.data is not None


@dataclass
class FixResult:
    root: Path
    files: list[FileFix] = field(default_factory=list)

    @property
    def changed(self) -> list[FileFix]:
        return [f for f in self.files if f.changed]

    @property
    def refused(self) -> list[FileFix]:
        return [f for f in self.files if f.refused]


def _count(n: int, what: str) -> str:
    return f"{n} {what}" if n != 1 else f"1 {what.replace('cells', 'cell').replace('lines', 'line')}"


def canonical(data: bytes, fields: list[str]) -> tuple[bytes, list[str]]:
    """The canonical bytes of one table and what changed; ValueError (with the reason) when the
    bytes are not a table that can be rewritten without a person's judgement."""
    changes: list[str] = []
    wide = _wide_encoding(data)
    if wide is not None:  # a spreadsheet's "Unicode text": every character is there, in another encoding
        try:
            text = data.decode(wide)
        except UnicodeDecodeError as exc:
            raise ValueError(f"byte {exc.start} is not {wide.upper()}: re-save the file as CSV UTF-8") from exc
        data = text.lstrip("\ufeff").encode("utf-8")
        changes.append(f"converted from {wide.upper()[:6]} to UTF-8")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
        changes.append("removed the byte-order mark")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"byte {exc.start} is not UTF-8: re-save the file as UTF-8") from exc
    crlf, cr = text.count("\r\n"), text.replace("\r\n", "").count("\r")
    if crlf:
        changes.append(_count(crlf, "CRLF line endings") + " -> LF")
    if cr:
        changes.append(_count(cr, "CR line endings") + " -> LF")
    try:
        rows = list(csv.reader(io.StringIO(text.replace("\r\n", "\n").replace("\r", "\n"), newline=""), strict=True))
    except csv.Error as exc:
        raise ValueError(f"not a well-formed CSV ({exc}): run `claims validate` to see where") from exc
    if not rows:
        raise ValueError("the file is empty")
    header = rows[0]
    width = len(header)
    blank = sum(1 for row in rows[1:] if not row)
    if blank:  # an empty line holds no value: dropping it changes nothing
        rows = [rows[0], *(row for row in rows[1:] if row)]
        changes.append(_count(blank, "empty lines") + " removed")
    ragged = [i + 1 for i, row in enumerate(rows) if len(row) != width]
    if ragged:
        raise ValueError(f"row {ragged[0]} has {len(rows[ragged[0] - 1])} cells, the header {width}: fix it by hand")
    order = list(range(width))
    if header != fields and sorted(header) == sorted(fields) and len(set(header)) == width:
        order = [header.index(name) for name in fields]
        changes.append("columns put in the schema's order")
    trimmed = normalised = 0
    out_rows = []
    for row in rows:
        cells = []
        for i in order:
            cell = row[i]
            stripped = cell.strip(SPACES)
            trimmed += stripped != cell
            nfc = unicodedata.normalize("NFC", stripped)
            normalised += nfc != stripped
            cells.append(nfc)
        out_rows.append(cells)
    if trimmed:
        changes.append(_count(trimmed, "cells") + " without the spaces around them")
    if normalised:
        changes.append(_count(normalised, "cells") + " in Unicode NFC")
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(out_rows)
    result = buffer.getvalue().encode("utf-8")
    if result != data and not changes:
        changes.append("quoting and line breaks made canonical (RFC 4180, quotes only where needed)")
    return result, changes


def _wide_encoding(data: bytes) -> str | None:
    """The codec of a table in UTF-32 or UTF-16 (by its byte-order mark, or by the NUL byte every
    other byte of ASCII text is in UTF-16 without one), or None."""
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return codec
    start = data[:4096]
    if start and start.count(0) * 4 >= len(start):
        return "utf-16-le" if start[1:2] == b"\x00" else "utf-16-be"
    return None


def fix_package(path: Path) -> FixResult:
    """What fixing would change in every table of the package; nothing is written here."""
    root = find_descriptor(path).parent
    package = load_package(root, Report(limit=0))
    if package is None:
        raise UsageError("datapackage.json cannot be read: run `claims validate`")
    result = FixResult(root)
    for resource in package.descriptor["resources"]:
        if not isinstance(resource, dict) or str(resource.get("name")) not in package.schemas:
            continue
        rel = resource.get("path")
        if not isinstance(rel, str):
            continue
        item = FileFix(rel)
        result.files.append(item)
        try:
            file = regular_file_inside(root, rel)
        except UsageError as exc:
            item.refused = str(exc)
            continue
        data = file.read_bytes()
        try:
            fixed, item.changes = canonical(data, package.schemas[str(resource["name"])].names)
        except ValueError as exc:
            item.refused = str(exc)
            continue
        if fixed != data:
            item.data, item.original = fixed, data
    return result


def apply_fixes(result: FixResult, *, wait: float = 0.0, notify: Notify | None = None) -> None:
    """Write every changed file as one change, under the package's write lock. A file changed
    since fix_package read it is left alone (another writer got there first): run fix again."""
    writes: dict[str, bytes | None] = {}
    with package_lock(result.root, command="fix", wait=wait, notify=notify):
        for item in result.changed:
            assert item.data is not None and item.original is not None
            path = regular_file_inside(result.root, item.file)
            if path.read_bytes() != item.original:
                raise UsageError(f"{item.file} changed while claims fix ran; nothing was written: run claims fix again")
            writes[item.file] = item.data
        commit_files(result.root, writes)
