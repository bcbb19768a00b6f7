"""The one rule for a date: ISO 8601 YYYY-MM-DD, year 0001 to 9999, a day that is in the calendar.

Parsers are lenient in ways that move data: pyarrow's strptime reads 2022-02-30 as 2022-03-02,
and year 0000 parses but later breaks Python's datetime (strftime raises). frictionless refuses
both, and so must every command that reads a date (the tables, add-source's options): they all
call this module, so no two commands can disagree about what a date is.
"""

from __future__ import annotations

import datetime as dt
import re

import pyarrow as pa
import pyarrow.compute as pc

# Shape only; the calendar test follows. Year 0000 is refused by the pattern itself.
DATE = r"^([0-9]{3}[1-9]|[0-9]{2}[1-9][0-9]|[0-9][1-9][0-9]{2}|[1-9][0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
_LOOSE = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}")


def parse_date(text: str) -> dt.date | None:
    """The calendar date text names, or None when it is not exactly YYYY-MM-DD of a real day."""
    if not re.fullmatch(DATE, text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:  # the 30th of February, the 31st of April...
        return None


def parse_dates(col: pa.ChunkedArray | pa.Array) -> tuple[pa.ChunkedArray, pa.ChunkedArray]:
    """(ok, parsed) for a text column: ok is True where the cell is a real YYYY-MM-DD date.

    Vectorised: the pattern, then pyarrow's strptime, then the parsed day against the written
    one, which catches the days strptime silently rolls over into the next month.
    """
    shaped = pc.match_substring_regex(col, DATE)
    candidates = pc.if_else(shaped, col, pa.scalar(None, pa.string()))
    parsed = pc.strptime(candidates, format="%Y-%m-%d", unit="ms", error_is_null=True)
    # a rolled-over day (30 February -> 2 March) no longer has the day the text gives
    written_day = pc.cast(pc.utf8_slice_codeunits(candidates, 8, 10), pa.int64())
    same = pc.equal(pc.day(parsed), written_day)
    ok = pc.fill_null(pc.and_(shaped, same), False)
    return ok, pc.if_else(ok, parsed, pa.scalar(None, pa.timestamp("ms")))


def date_hint(text: str) -> str:
    """Why text is not a date, in the words a contributor needs."""
    if text.strip() != text:
        return "Remove the spaces around the date."
    if _LOOSE.fullmatch(text) and not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        return "Pad month and day to two digits: " + "-".join(p.zfill(2) for p in text.split("-")) + "."
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        if text.startswith("0000"):
            return "There is no year 0000: years run from 0001 to 9999."
        return "No such day in the calendar (check the month's length and leap years)."
    return "Write the date as YYYY-MM-DD (ISO 8601), e.g. 2024-01-05."
