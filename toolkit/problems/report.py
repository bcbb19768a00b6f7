"""Problems and the report that collects them.

Bad data is a result, not an exception: every check adds to one Report, so a contributor sees
every problem of a run at once. The report counts every problem but keeps only the first
`limit` of each run in memory, so a file with a million broken rows neither floods the output
nor exhausts memory.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..core.paths import DESCRIPTOR as DESCRIPTOR  # where problems about the package itself are reported
from .codes import CODES, Severity

if TYPE_CHECKING:  # numpy is imported where rows are checked, not to read a cached report
    import numpy as np

Described = tuple[Sequence[object] | None, str | Sequence[str], Sequence[str] | None]  # values, messages, hints


@dataclass(frozen=True, slots=True, kw_only=True)
class Problem:
    code: str
    severity: Severity
    file: str
    row: int | None
    column: str | None
    value: str | None
    message: str
    hint: str
    line: int | None = None  # physical line in the file (differs from row when cells hold newlines)
    key: str | None = None  # the row's primary key (C0008), so nobody has to count rows to find it

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": self.severity,
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
            "hint": self.hint,
            "line": self.line,
            "key": self.key,
        }


def _short(value: object, width: int = 80) -> str | None:
    if value is None:
        return None
    text = str(value)
    return text if len(text) <= width else text[: width - 1] + "…"


@dataclass
class Report:
    limit: int = 1000
    problems: list[Problem] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    notices: list[str] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)

    def add(
        self,
        code: str,
        file: str,
        message: str,
        *,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
        hint: str | None = None,
        line: int | None = None,
    ) -> None:
        spec = CODES[code]
        self.counts[code] += 1
        if len(self.problems) < self.limit:
            self.problems.append(
                Problem(
                    code=code,
                    severity=spec.severity,
                    file=file,
                    row=row,
                    column=column,
                    value=_short(value),
                    message=message,
                    hint=spec.hint if hint is None else hint,
                    line=line,
                )
            )

    def add_many(
        self,
        code: str,
        file: str,
        rows: Sequence[int],
        *,
        message: str | Sequence[str],
        column: str | None = None,
        values: Sequence[object] | None = None,
        hints: Sequence[str] | None = None,
        lines: Sequence[int] | None = None,
    ) -> None:
        """Add one problem per row, materialising only what fits under the limit.

        Vectorised checks hand over whole arrays of failing rows; the count comes from the
        array and only the problems that will be shown become objects. Per-row messages,
        values and hints need only cover the shown ones (see room()).
        """
        total = len(rows)
        if total == 0:
            return
        shown = min(total, self.room())
        for i in range(shown):
            self.add(
                code,
                file,
                message if isinstance(message, str) else message[i],
                row=int(rows[i]),
                column=column,
                value=None if values is None else values[i],
                hint=None if hints is None else hints[i],
                line=None if lines is None else int(lines[i]),
            )
        self.counts[code] += total - shown

    def add_rows(
        self,
        code: str,
        file: str,
        rows: np.ndarray,
        *,
        lines: np.ndarray,
        where: np.ndarray,
        column: str | None,
        describe: Callable[[np.ndarray], Described],
    ) -> None:
        """One problem per failing row of a vectorised check: `where` is a boolean mask or the
        positions of the failing rows in a table whose spreadsheet rows and lines are given.

        describe(shown) returns (values, messages, hints) for the positions that will be kept
        (the report's room) only, so a million failing rows cost one array, not a million
        messages. Every check that turns a mask into problems goes through here.
        """
        import numpy as np

        idx = np.flatnonzero(where) if where.dtype == bool else where
        if not len(idx):
            return
        values, messages, hints = describe(idx[: self.room()])
        self.add_many(
            code, file, rows[idx], message=messages, column=column, values=values, hints=hints, lines=lines[idx]
        )

    def extend(self, other: Report) -> None:
        """Add what a check wrote into its own report, as if it had written here now.

        For a check run in a thread: it keeps its own report, so no two threads touch one
        list or counter, and merging afterwards keeps the order and the limit of a serial run.
        """
        for problem in other.problems[: self.room()]:
            self.problems.append(problem)
        self.counts.update(other.counts)
        self.notices.extend(other.notices)
        self.checked.update(other.checked)

    def room(self) -> int:
        """How many more problems will be kept in full."""
        return max(0, self.limit - len(self.problems))

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def error_count(self) -> int:
        return sum(n for c, n in self.counts.items() if CODES[c].severity == "error")

    @property
    def warning_count(self) -> int:
        return self.total - self.error_count

    @property
    def shown(self) -> int:
        return len(self.problems)

    def to_dict(self) -> dict[str, Any]:
        """Everything the report holds, as JSON-ready data (the cache stores this)."""
        return {
            "limit": self.limit,
            "problems": [p.to_dict() for p in self.problems],
            "counts": dict(self.counts),
            "notices": list(self.notices),
            "checked": dict(self.checked),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        return cls(
            limit=int(data["limit"]),
            problems=[Problem(**p) for p in data["problems"]],
            counts=Counter(data["counts"]),
            notices=list(data["notices"]),
            checked=dict(data["checked"]),
        )

    @property
    def valid(self) -> bool:
        """No error (warnings allowed): what `claims validate` exits 0 on."""
        return self.ok()

    def ok(self, strict: bool = False) -> bool:
        return self.error_count == 0 and (not strict or self.warning_count == 0)

    def sorted(self) -> list[Problem]:
        return sorted(self.problems, key=lambda p: (p.file, p.row or 0, p.column or "", p.code))
