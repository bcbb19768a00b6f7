"""The reading floor: the claims CSV read by pyarrow, every column as text, into pandas.

    python benchmarks/floor_read.py PACKAGE

No check at all, imports included, in its own process: what any validation in this stack pays
before it checks a single cell. bench_validate.py runs it beside `claims validate`.
"""

from __future__ import annotations

import sys
import time

start = time.perf_counter()
import pandas as pd  # noqa: E402  (the import is part of the floor)
import pyarrow as pa  # noqa: E402
import pyarrow.csv as pacsv  # noqa: E402


def main(package: str) -> None:
    path = f"{package}/data/claims.csv"
    with open(path, "rb") as handle:
        names = handle.readline().decode().rstrip("\n").split(",")
    table = pacsv.read_csv(
        path,
        read_options=pacsv.ReadOptions(block_size=1 << 22),
        parse_options=pacsv.ParseOptions(newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names}, strings_can_be_null=False),
    )
    frame = table.to_pandas(types_mapper=pd.ArrowDtype)
    print(f"{len(frame)} rows in {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main(sys.argv[1])
