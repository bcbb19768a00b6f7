"""The package as read: each table typed, with the place of every row in its file, and the seed
files the sources name. Plain data, made by read/load.py and read by every layer above."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .table_schema import TableSchema


@dataclass
class Table:
    """One resource, read and typed. rows/lines give each frame row's place in the file."""

    name: str
    file: str  # path relative to the package root, as problems show it
    schema: TableSchema
    frame: pd.DataFrame
    rows: np.ndarray
    lines: np.ndarray
    header: list[str]
    invalid: dict[str, np.ndarray] = field(default_factory=dict)  # column -> rows whose cell failed typing
    invalid_text: dict[str, dict[int, str]] = field(default_factory=dict)  # column -> {row index: raw text}

    def as_written(self, column: str) -> pd.Series:
        """The column, with each cell that failed strict typing kept as the text it holds.

        Never read leniently: `5e4`, `50,000` or `50000` with a trailing space are not 50000 to
        claims validate, so to a comparison they are what they say.
        """
        series = self.frame[column]
        texts = self.invalid_text.get(column)
        if not texts:
            return series
        out = series.astype(object)
        for i, text in texts.items():
            out.iat[i] = text
        return out

    def typed_ok(self, *columns: str) -> np.ndarray:
        """Rows where every named column was typed without error."""
        ok = np.ones(len(self.frame), dtype=bool)
        for column in columns:
            if column in self.invalid:
                ok &= ~self.invalid[column]
        return ok


@dataclass
class SeedFiles:
    """The seeds the sources name and that exist inside the package, found before any is read."""

    texts: dict[str, Path] = field(default_factory=dict)  # source_id -> its seed text (a document)
    data: dict[str, Path] = field(default_factory=dict)  # source_id -> its archived data file (a dataset)
    # (row, line, seed_path, recorded digest, file) of each seed whose hash must be checked
    to_hash: list[tuple[int, int, str, str, Path]] = field(default_factory=list)
    file: str = ""  # the sources table's file, where hash problems are reported


@dataclass
class LoadedPackage:
    root: Path
    descriptor: dict[str, Any]
    tables: dict[str, Table] = field(default_factory=dict)
    schemas: dict[str, TableSchema] = field(default_factory=dict)
    seeds: SeedFiles = field(default_factory=SeedFiles)
