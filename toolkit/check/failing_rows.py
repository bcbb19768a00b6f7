"""Problems of row rules: a vectorised check's failing rows, each with a message made from its row.

Shared by the row logic (check/row_logic.py) and provenance (check/provenance.py): both express a check as one
boolean mask over a table, and both must stay quiet about a cell that failed its type or its
own constraint (that cell is reported already).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from ..core.arrow import rows_of
from ..problems.report import Described, Report
from ..read.model import Table


def report_rows(
    report: Report,
    code: str,
    table: Table,
    mask: pd.Series | np.ndarray,
    column: str | None,
    message: str | Callable[[pd.Series], str],
    value_column: str | None = None,
    involved: tuple[str, ...] = (),
    hint: Callable[[pd.Series], str] | None = None,
    extra: dict[str, pd.Series] | None = None,
) -> None:
    """Report every row where mask is True; message (and hint) are a str or a function of the row.

    extra holds derived columns (a looked-up value) that the message functions read as well.

    Rows where one of the involved columns failed typing are skipped: that cell is reported
    already, and its emptiness would only cause echoes here.
    """
    mask = np.asarray(mask, dtype=bool) & table.typed_ok(*involved)

    def describe(shown: np.ndarray) -> Described:
        sample = rows_of(table.frame, shown)
        for name, series in (extra or {}).items():
            sample[name] = series.to_numpy()[shown]
        messages = message if isinstance(message, str) else [message(r) for _, r in sample.iterrows()]
        values = None if value_column is None else [cell_text(v) for v in sample[value_column].tolist()]
        hints = None if hint is None else [hint(r) for _, r in sample.iterrows()]
        return values, messages, hints

    report.add_rows(code, table.file, table.rows, lines=table.lines, where=mask, column=column, describe=describe)


def cell_text(value: object) -> str:
    """A cell as a message shows it: 'empty' for a missing value, a whole number without a
    decimal point (50000, as the file writes it, not 50000.0)."""
    if value is None or pd.isna(value):
        return "empty"
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return str(value)


def table_has(table: Table | None, *columns: str) -> bool:
    """The table was read and has every named column: a check that needs them runs, else it has
    nothing to say (a missing table or column is reported where it was read)."""
    return table is not None and all(c in table.frame.columns for c in columns)
