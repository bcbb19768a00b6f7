"""The one strict CSV reader of the toolkit.

Common readers guess: frictionless swallows the rows after an unclosed quote and calls the file
valid, pandas shifts a row with an extra cell one column left, both fall back to cp1252 on a bad
byte. This reader guesses nothing. It scans the bytes once with numpy to find every record and
cell boundary under RFC 4180 quoting, reports each structural problem at its row, and only then
lets pyarrow parse the records that are sound, every cell as text. Typing is done later, by the
schema's rules (see read/cell_types.py).

Row numbers are what a spreadsheet user sees: the header is row 1. `line` is the physical line,
which differs when a quoted cell holds a line break.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from ..problems.report import Report

QUOTE, COMMA, LF, CR = 34, 44, 10, 13
_MAX_QUOTE_REPAIRS = 200


@dataclass
class RawTable:
    """Cells as text, the header as found, and the spreadsheet row of every kept record."""

    header: list[str]
    table: pa.Table  # every column pa.string(); "" for an empty cell
    rows: np.ndarray  # spreadsheet row number of each table row
    lines: np.ndarray  # physical line of each table row


def _find_bad_utf8(data: bytes, chunk: int = 1 << 24, cap: int = 100_000) -> list[int]:
    """Byte offsets of invalid UTF-8 sequences.

    Decodes in chunks cut just after a newline (0x0A never occurs inside a multi-byte sequence),
    so memory stays bounded and no sequence is split, and nothing is decoded for good.
    """
    if data.isascii():
        return []
    bad: list[int] = []
    view = memoryview(data)
    n, a = len(data), 0
    while a < n and len(bad) < cap:
        b = data.find(b"\n", min(a + chunk, n) - 1)
        b = n if b < 0 else b + 1
        start = a
        while start < b:
            try:
                codecs.utf_8_decode(view[start:b], "strict", True)
                break
            except UnicodeDecodeError as exc:
                bad.append(start + exc.start)
                start += exc.end
        a = b
    return bad


def positions(arr: np.ndarray, byte: int, block: int = 1 << 24) -> np.ndarray:
    """Offsets of every occurrence of byte, in blocks so no file-sized mask is ever allocated."""
    dtype = np.int32 if len(arr) < 2**31 - 1 else np.int64  # half the memory for files under 2 GB
    parts = [(np.flatnonzero(arr[i : i + block] == byte) + i).astype(dtype) for i in range(0, len(arr), block)]
    return np.concatenate(parts) if parts else np.empty(0, dtype=dtype)


def _quote_errors(arr: np.ndarray, q: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Classify quotes by RFC 4180: returns (bad_open, bad_close, unclosed) as offsets.

    A quote with an even number of quotes before it opens a cell (it must follow a delimiter or
    start the file) or is the second half of an escaped pair. A quote with an odd number before
    it closes a cell (a delimiter or the end must follow) or starts an escaped pair.
    """
    n = len(arr)
    idx = np.arange(len(q))
    even = (idx & 1) == 0
    prev = np.where(q > 0, arr[np.maximum(q - 1, 0)], LF)
    nxt = np.where(q + 1 < n, arr[np.minimum(q + 1, n - 1)], LF)
    prev_is_pair = np.zeros(len(q), dtype=bool)
    if len(q) > 1:
        prev_is_pair[1:] = q[1:] - q[:-1] == 1
    next_is_pair = np.zeros(len(q), dtype=bool)
    if len(q) > 1:
        next_is_pair[:-1] = q[1:] - q[:-1] == 1
    opens_ok = (prev == COMMA) | (prev == LF) | (q == 0) | prev_is_pair
    closes_ok = (nxt == COMMA) | (nxt == LF) | (q + 1 >= n) | next_is_pair
    bad_open = q[even & ~opens_ok]
    bad_close = q[~even & ~closes_ok]
    unclosed = q[-1:] if len(q) % 2 == 1 else q[:0]
    return bad_open, bad_close, unclosed


def _repair_quotes(arr: np.ndarray, q: np.ndarray) -> tuple[list[tuple[int, str, str]], np.ndarray]:
    """Report quoting errors one by one, repairing each so the rest of the file still parses.

    A stray opening quote is read as a literal character (it would otherwise flip every later
    cell in or out of quotes); text after a closing quote is left where it is. Stops after
    _MAX_QUOTE_REPAIRS, when the file is beyond repair anyway.
    """
    found: list[tuple[int, str, str]] = []
    accepted = np.empty(0, dtype=q.dtype)
    for _ in range(_MAX_QUOTE_REPAIRS):
        bad_open, bad_close, _unclosed = _quote_errors(arr, q)
        bad_close = np.setdiff1d(bad_close, accepted, assume_unique=True)
        first_open = int(bad_open[0]) if len(bad_open) else None
        first_close = int(bad_close[0]) if len(bad_close) else None
        if first_open is None and first_close is None:
            break
        if first_close is None or (first_open is not None and first_open < first_close):
            found.append((first_open, "quote-stray", "A double quote inside a cell that does not start with one."))
            q = q[q != first_open]
            continue
        i = int(np.searchsorted(q, first_close))
        opener = int(q[i - 1])
        if LF in arr[opener:first_close]:
            # the "closing" quote belongs to a later row: the opener was never closed
            found.append(
                (
                    opener,
                    "quote-unclosed",
                    "This quoted cell is never closed: the rows after it were swallowed into it.",
                )
            )
            q = q[q != opener]
        else:
            found.append((first_close, "quote-stray", "Text follows the closing double quote of a cell."))
            accepted = np.append(accepted, first_close)
    if len(q) % 2 == 1:
        found.append(
            (int(q[-1]), "quote-unclosed", "This quoted cell is never closed: every later row is swallowed into it.")
        )
    return found, q


def _record_ends(arr: np.ndarray, q: np.ndarray, nl: np.ndarray) -> np.ndarray:
    """Offset of each record's terminating newline (a newline outside quotes) or the file's end."""
    if len(q):
        nl = nl[(np.searchsorted(q, nl) & 1) == 0]
    return nl if len(nl) and nl[-1] == len(arr) - 1 else np.append(nl, len(arr))


def _cell_counts(q: np.ndarray, commas: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Cells of each record: its separating commas plus one.

    Commas inside quoted cells are counted per quoted span ([open, close] pairs) rather than
    tested one by one: a million rows have twenty million commas but a few million quotes.
    """
    ncells = np.diff(np.searchsorted(commas, np.concatenate(([0], ends)))) + 1
    pairs = len(q) // 2
    if pairs:
        opens, closes = q[0 : 2 * pairs : 2], q[1 : 2 * pairs : 2]
        inside = np.searchsorted(commas, closes) - np.searchsorted(commas, opens)
        ncells -= np.bincount(np.searchsorted(ends, opens), weights=inside, minlength=len(ends)).astype(np.int64)
    return ncells


@dataclass
class _Scan:
    """Where every record and cell of a file starts and ends, from one pass over its bytes."""

    arr: np.ndarray
    q: np.ndarray  # quote offsets (stray quotes removed)
    newlines: np.ndarray
    ends: np.ndarray  # offset of each record's terminating newline (or the file's end)
    starts: np.ndarray
    bad_offsets: list[tuple[int, str, str]]

    @classmethod
    def of(cls, data: bytes) -> _Scan:
        arr = np.frombuffer(data, dtype=np.uint8)
        q = positions(arr, QUOTE)
        bad_offsets, q = _repair_quotes(arr, q)
        newlines = positions(arr, LF)
        ends = _record_ends(arr, q, newlines)
        starts = np.empty_like(ends)
        starts[0] = 0
        starts[1:] = ends[:-1] + 1
        return cls(arr, q, newlines, ends, starts, bad_offsets)

    @cached_property
    def commas(self) -> np.ndarray:
        """Only computed for a file with problems: twenty million offsets for a million rows."""
        return positions(self.arr, COMMA)

    @cached_property
    def ncells(self) -> np.ndarray:
        return _cell_counts(self.q, self.commas, self.ends)

    @property
    def rows(self) -> np.ndarray:
        return np.arange(1, len(self.ends) + 1)

    @property
    def lines(self) -> np.ndarray:
        return np.searchsorted(self.newlines, self.starts) + 1

    def locate(self, offset: int) -> tuple[int, int, int]:
        """(record index, cell index, physical line) of a byte offset."""
        rec = int(np.searchsorted(self.ends, offset))
        commas = self.commas
        before = commas[np.searchsorted(commas, self.starts[rec]) : np.searchsorted(commas, offset)]
        cell = int(((np.searchsorted(self.q, before) & 1) == 0).sum())  # separators, not quoted commas
        return rec, cell, int(np.searchsorted(self.newlines, offset)) + 1

    def lone_cr(self) -> np.ndarray:
        """Carriage returns outside quoted cells (CRLF pairs were normalised before the scan)."""
        cr = positions(self.arr, CR)
        if len(self.q) and len(cr):
            cr = cr[(np.searchsorted(self.q, cr) & 1) == 0]  # a CR inside quotes is text
        return cr


def read_csv(
    source: bytes | Path,
    fields: list[str],
    file: str,
    report: Report,
    on_header: Callable[[list[str]], None] | None = None,
) -> RawTable | None:
    """Scan, report and parse one CSV file (its path or its bytes). None when nothing could be read.

    Given a path to a sound file, the parser reads the file itself after the scan, so the file's
    bytes and the parsed table are never in memory at the same time. The parser also proves
    that no record is ragged (pyarrow refuses one); when it refuses, the file is read again with
    its cells counted here, to name the ragged rows (nothing was reported on the first reading:
    a file the parser may read itself has no other problem). on_header is called with the header
    before any row is judged, so what is wrong with the header is reported first.
    """
    told: list[bool] = []

    def once(header: list[str]) -> None:  # the second reading does not report the header again
        if on_header is not None and not told:
            told.append(True)
            on_header(header)

    try:
        return _read(source, fields, file, report, trust_width=True, on_header=once)
    except _Ragged:
        return _read(source, fields, file, report, trust_width=False, on_header=once)


RAGGED_LISTED = 10  # ragged rows listed one by one; more, all of one width, are one problem


class _Ragged(Exception):
    """The parser refused a sound-looking file: some record has another number of cells."""


@dataclass
class _Bytes:
    """A file's bytes as the scan sees them: without a BOM, every line ending a LF."""

    data: bytes
    normalised: bool = False  # they differ from the file's bytes
    crlf: int = 0  # CRLF pairs replaced
    first_crlf: int = -1  # offset of the first (the same before and after the replacement)


@dataclass
class _Records:
    """What the scan found: every record's place, the header, and the records left out."""

    scan: _Scan
    header: list[str]
    bad: np.ndarray  # per record: reported, so not parsed

    def column(self, i: int) -> str:
        return self.header[i] if 0 <= i < len(self.header) else f"column {i + 1}"


def _read(
    source: bytes | Path,
    fields: list[str],
    file: str,
    report: Report,
    *,
    trust_width: bool,
    on_header: Callable[[list[str]], None] | None = None,
) -> RawTable | None:
    path = source if isinstance(source, Path) else None
    raw = path.read_bytes() if path is not None else source
    del source
    if not raw:
        report.add("file-empty", file, "The file is empty: not even a header row.", row=1, line=1)
        return None
    if trust_width and _wide_encoding(raw, file, report):
        return None
    given = _line_endings(raw, fields, file, report)
    del raw
    records = _structure(given, file, report, on_header)
    if trust_width and not records.bad.any() and len(records.header) and len(records.scan.ends) > 1:
        kept_rows, kept_lines = records.scan.rows[1:], records.scan.lines[1:]
        block = _block_size(int((records.scan.ends - records.scan.starts).max()))
        if path is not None and not given.normalised:
            del records.scan, given  # the parser reads the file: its bytes and the scan are freed first
            return _parsed(path, records.header, kept_rows, kept_lines, block)
        body = memoryview(given.data)[records.scan.starts[1] :]
        with contextlib.suppress(_Ragged):
            return _parsed(body, records.header, kept_rows, kept_lines, block)
    return _sound_records(given, records, file, report)


def _line_endings(data: bytes, fields: list[str], file: str, report: Report) -> _Bytes:
    """Report a byte-order mark, classic Mac or Windows line endings; return the bytes without them."""
    given = _Bytes(data)
    if data.startswith(codecs.BOM_UTF8):
        report.add(
            "encoding-bom",
            file,
            "The file starts with a UTF-8 byte-order mark (BOM).",
            row=1,
            column=fields[0] if fields else None,
            line=1,
        )
        given.data, given.normalised = data[len(codecs.BOM_UTF8) :], True
    if b"\r" not in given.data:
        return given
    if b"\n" not in given.data:
        # classic Mac line endings: read as lines, so the real problems show at their rows
        report.add(
            "line-endings-cr",
            file,
            "Lines end with a carriage return alone (CR, classic Mac); the package uses LF only.",
            row=1,
            line=1,
        )
        given.data, given.normalised = given.data.replace(b"\r", b"\n"), True
    elif crlf := given.data.count(b"\r\n"):
        given.first_crlf = given.data.find(b"\r\n")  # the same offset once the pairs are replaced
        given.data, given.normalised, given.crlf = given.data.replace(b"\r\n", b"\n"), True, crlf
    return given


def _alternate_nuls(start: bytes) -> bool:
    """Nearly every byte of one parity NUL: ASCII text in UTF-16 without its byte-order mark. Not a
    share of NULs in the whole: a UTF-8 file whose cells hold NUL characters has them in no order."""
    return any(half.count(0) >= 0.9 * len(half) for half in (start[0::2], start[1::2]))


def _wide_encoding(data: bytes, file: str, report: Report) -> bool:
    """A file in UTF-16 or UTF-32 (a spreadsheet's "Unicode text", with or without its byte-order
    mark): reported once as an encoding problem, whatever its size, and not read further (each
    character would be a broken byte of UTF-8, and the rows cannot be counted)."""
    start = data[:4096]
    marks = {codecs.BOM_UTF32_LE: "UTF-32", codecs.BOM_UTF32_BE: "UTF-32", codecs.BOM_UTF16_LE: "UTF-16"}
    marks[codecs.BOM_UTF16_BE] = "UTF-16"
    found = next((name for bom, name in marks.items() if start.startswith(bom)), None)
    if found is None and len(start) >= 4 and _alternate_nuls(start):  # ASCII text in UTF-16
        found = "UTF-16"
    if found is None:
        return False
    report.add(
        "encoding-not-utf8",
        file,
        f'The file is encoded in {found} (a spreadsheet\'s "Unicode text"), not UTF-8: no row of it can be read.',
        row=1,
        line=1,
        hint='Save it again as "CSV UTF-8 (comma delimited)", or run `claims fix`, which converts it.',
    )
    return True


def _structure(
    given: _Bytes, file: str, report: Report, on_header: Callable[[list[str]], None] | None = None
) -> _Records:
    """Scan the records and report what breaks one: CRLF, quoting, a lone CR, bytes that are not
    UTF-8, a blank row. Each such record is marked bad and left out of what is parsed. The
    header is handed to on_header first: what is wrong with it is reported before any row."""
    data = given.data
    scan = _Scan.of(data)
    header_bytes = data[scan.starts[0] : scan.ends[0]]
    try:
        header = next(csv.reader(io.StringIO(header_bytes.decode("utf-8", "replace"))), [])
    except csv.Error:
        header = header_bytes.decode("utf-8", "replace").split(",")
    records = _Records(scan, header, np.zeros(len(scan.ends), dtype=bool))
    if on_header is not None:
        on_header(header)
    if given.crlf:
        rec, _cell, line = scan.locate(given.first_crlf)
        report.add(
            "line-endings-crlf",
            file,
            f"{given.crlf} line(s) end with CRLF (Windows), the first at this row; the package uses LF only.",
            row=rec + 1,
            line=line,
        )
    _quoting(data, records, file, report)
    _lone_carriage_returns(data, records, file, report)
    _not_utf8(data, records, file, report)
    blank = (scan.ends - scan.starts) == 0
    blank[0] = False
    report.add_many("row-blank", file, scan.rows[blank], message="This row is empty.", lines=scan.lines[blank])
    records.bad |= blank
    return records


def _quoting(data: bytes, records: _Records, file: str, report: Report) -> None:
    scan = records.scan
    seen: set[tuple[int, int, str]] = set()
    for off, code, msg in scan.bad_offsets:
        rec, cell, line = scan.locate(off)
        if (rec, cell, code) in seen:
            continue
        seen.add((rec, cell, code))
        report.add(
            code,
            file,
            msg,
            row=rec + 1,
            column=records.column(cell),
            line=line,
            value=data[scan.starts[rec] : min(scan.ends[rec], scan.starts[rec] + 80)].decode("utf-8", "replace"),
        )
        records.bad[rec] = True


def _lone_carriage_returns(data: bytes, records: _Records, file: str, report: Report) -> None:
    for off in records.scan.lone_cr() if b"\r" in data else ():
        rec, cell, line = records.scan.locate(int(off))
        if not records.bad[rec]:
            report.add(
                "line-endings-crlf",
                file,
                "A lone carriage return (CR) breaks this row; use LF only.",
                row=rec + 1,
                column=records.column(cell),
                line=line,
            )
        records.bad[rec] = True


def _not_utf8(data: bytes, records: _Records, file: str, report: Report) -> None:
    scan = records.scan
    for off in _find_bad_utf8(data):
        rec, cell, line = scan.locate(off)
        report.add(
            "encoding-not-utf8",
            file,
            f"Byte 0x{data[off]:02X} at offset {off} is not valid UTF-8.",
            row=rec + 1,
            column=records.column(cell),
            line=line,
            value=data[max(scan.starts[rec], off - 20) : off + 20].decode("utf-8", "replace"),
        )
        records.bad[rec] = True


def _sound_records(given: _Bytes, records: _Records, file: str, report: Report) -> RawTable:
    """Count every record's cells, report the ragged ones, and parse the records left."""
    scan, width = records.scan, len(records.header)
    blank = (scan.ends - scan.starts) == 0
    ragged = (scan.ncells != width) & ~blank & ~records.bad
    ragged[0] = False
    if ragged.any():
        got = scan.ncells[ragged]
        if len(got) > RAGGED_LISTED and (got == got[0]).all():
            # every row one width, the header another: the header is what is wrong (its own problem,
            # reported first), so its rows are one problem, not a thousand
            rows = scan.rows[ragged]
            report.add(
                "row-ragged",
                file,
                f"{len(rows):,} rows (rows {rows[0]} to {rows[-1]}) have {got[0]} cells each; the header has {width}.",
                row=int(rows[0]),
                line=int(scan.lines[ragged][0]),
                hint="When every row has the same number of cells and the header has another, fix the header (the "
                "problem at row 1 says which column), not the rows.",
            )
            report.counts["row-ragged"] += len(rows) - 1
        else:
            report.add_many(
                "row-ragged",
                file,
                scan.rows[ragged],
                message=[f"This row has {g} cells; the header has {width}." for g in got[: report.limit]],
                lines=scan.lines[ragged],
            )
    bad = records.bad | ragged
    keep = ~bad
    keep[0] = False
    kept_rows, kept_lines = scan.rows[keep], scan.lines[keep]
    if width == 0:
        return RawTable(records.header, pa.table({}), kept_rows[:0], kept_lines[:0])
    data, starts, ends = given.data, scan.starts, scan.ends
    block = _block_size(int((ends - starts).max()))
    body: bytes | memoryview
    if not bad.any():
        body = memoryview(data)[starts[1] :] if len(ends) > 1 else b""  # no copy
    else:  # only on broken files: stitch the sound records together
        body = b"\n".join(data[s:e] for s, e in zip(starts[keep], ends[keep], strict=False))
    del records.scan, scan, starts, ends  # free the scan before the parser allocates the table
    return _parsed(body, records.header, kept_rows, kept_lines, block)


def _parsed(
    body: bytes | memoryview | Path, header: list[str], rows: np.ndarray, lines: np.ndarray, block: int
) -> RawTable:
    """The sound records parsed, every cell as text, the columns named by the header (or c0,
    c1, ... when the header repeats a name: reported elsewhere); _Ragged when pyarrow refuses a
    record for its number of cells."""
    names = [f"c{i}" for i in range(len(header))]
    try:
        table = _parse(body, names, len(rows), block)
    except pa.ArrowInvalid as exc:
        raise _Ragged from exc
    table = table.rename_columns(header if len(set(header)) == len(header) else names)
    return RawTable(header, table, rows, lines)


def _block_size(longest_record: int) -> int:
    """pyarrow's block: 4 MB, or more when one record is longer.

    pyarrow cannot parse a record (a quoted cell with line breaks) that straddles two blocks,
    so a single cell of 8 MB would fail the whole file; a block larger than the longest record
    never straddles.
    """
    return max(1 << 22, 2 * (longest_record + 2))


def _parse(body: bytes | memoryview | Path, names: list[str], expected: int, block: int = 1 << 22) -> pa.Table:
    """Every cell as text; a Path is the whole file, whose header row is skipped."""
    if expected == 0:
        return pa.table({name: pa.array([], pa.string()) for name in names})
    from_file = isinstance(body, Path)
    table = pacsv.read_csv(
        str(body) if from_file else pa.py_buffer(body),
        read_options=pacsv.ReadOptions(column_names=names, block_size=block, skip_rows=1 if from_file else 0),
        parse_options=pacsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
        convert_options=pacsv.ConvertOptions(
            column_types={name: pa.string() for name in names},
            null_values=[],
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    if table.num_rows != expected:  # the scan and the parser disagree: a bug, not bad data
        raise AssertionError(f"parsed {table.num_rows} rows, scanned {expected}")
    return table
