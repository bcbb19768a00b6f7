"""The package's tables as rows of text, for the commands that add and change rows (claims import),
and the minting of IDs that are never reused."""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..core.files import csv_rows
from ..read.model import LoadedPackage


@dataclass(kw_only=True)
class TableRows:
    """One table as its header and its rows, each a dict of text cells ("" for an empty cell)."""

    name: str
    file: str  # relative to the package root
    header: list[str]
    rows: list[dict[str, str]]

    @classmethod
    def read(cls, package: LoadedPackage, name: str) -> TableRows:
        table = package.tables[name]
        text = (package.root / table.file).read_text(encoding="utf-8")
        lines = list(csv.reader(io.StringIO(text, newline="")))
        header = lines[0]
        rows = [dict(zip(header, line, strict=True)) for line in lines[1:] if line]
        return cls(name=name, file=table.file, header=header, rows=rows)

    def to_bytes(self) -> bytes:
        """RFC 4180 with LF, quoting only where needed: the canonical form `claims fix` writes."""
        return csv_rows([self.header, *([row.get(c, "") for c in self.header] for row in self.rows)])

    def append(self, cells: dict[str, str]) -> dict[str, str]:
        unknown = set(cells) - set(self.header)
        if unknown:
            raise ValueError(f"{self.file} has no column {', '.join(sorted(unknown))}")
        row = {c: cells.get(c, "") for c in self.header}
        self.rows.append(row)
        return row


class Minter:
    """IDs of one kind (C0001, S0001): each one past the highest ever seen, or, for a rebuild, the
    IDs a series had, handed out again in the order they were minted."""

    def __init__(self, prefix: str, used: Iterable[str], reuse: Sequence[str] = ()) -> None:
        self.prefix = prefix
        numbers = [number(i, prefix) for i in used]
        self.next = max([n for n in numbers if n is not None], default=0) + 1
        self.reuse = sorted(reuse, key=lambda i: number(i, prefix) or 0)
        # every ID handed out was minted past all the IDs given (none reused): appended in order
        self.minted_past = True

    def __call__(self) -> str:
        if self.reuse:
            self.minted_past = False
            return self.reuse.pop(0)
        minted = f"{self.prefix}{self.next:04d}"
        self.next += 1
        return minted


@functools.lru_cache(maxsize=1 << 20)
def number(identifier: str, prefix: str) -> int | None:
    """The number of an ID (C0042 -> 42); None for a text that is no such ID. Cached: an import
    of an upstream's history sorts the same tens of thousands of IDs once per commit."""
    match = re.fullmatch(rf"{prefix}([0-9]+)", identifier or "")
    return int(match.group(1)) if match else None
