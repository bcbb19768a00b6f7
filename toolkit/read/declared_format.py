"""What a resource says about its file, held against what the toolkit reads.

The reader reads one kind of file: comma-separated UTF-8 CSV with one header row, RFC 4180
quoting. A descriptor may promise something else (a ';' dialect, latin-1, a gzip file) and
frictionless would honour it; reading such a file our way without a word would be the silent
guessing issue 7 forbids. So each such promise is an error, and a declared size or hash (as in a
release zip's descriptor) is checked, since frictionless checks it too.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from ..core.json_reader import one_of
from ..problems.report import DESCRIPTOR, Report

# property -> the values that mean what the reader does anyway
_DIALECT_DEFAULTS: dict[str, tuple[Any, ...]] = {
    "delimiter": (",",),
    "quoteChar": ('"',),
    "doubleQuote": (True,),
    "header": (True,),
    "headerRows": ([1],),
    "lineTerminator": ("\n", "\r\n"),
    "skipInitialSpace": (False,),
    "commentRows": ([],),
    "caseSensitiveHeader": (True, False),  # v1: only how a reader matches names; ours is exact
    "csvddfVersion": None,  # any value: it names the spec version, not a behaviour
    "headerJoin": None,  # any value: it joins several header rows, and headerRows allows only one
    "$schema": None,
}
_RESOURCE_DEFAULTS: dict[str, tuple[Any, ...]] = {
    "format": ("csv",),
    "mediatype": ("text/csv",),
    "compression": ("no",),
}
_UTF8 = ("utf-8", "utf8")
_HASHES = ("md5", "sha1", "sha256", "sha512")
_FIX = "The package's tables are comma-separated UTF-8 CSV with one header row (RFC 4180): remove the property."


def spelled_default(dialect: Any) -> bool:
    """Whether a dialect only spells out what the reader does anyway (a comma, double quotes, one
    header row...), as a descriptor declares it for readers that sniff the delimiter otherwise."""
    if dialect is None:
        return True
    if not isinstance(dialect, dict):
        return False
    return all(
        _DIALECT_DEFAULTS.get(prop, ()) is None or one_of(value, _DIALECT_DEFAULTS.get(prop, ()))
        for prop, value in dialect.items()
    )


def _unsupported(report: Report, where: str, prop: str, value: Any) -> None:
    report.add(
        "resource-format-unsupported",
        DESCRIPTOR,
        f"{where}: {prop} is {json.dumps(value)}, which claims does not read; frictionless would read the file "
        "differently from claims.",
        value=json.dumps(value),
        hint=_FIX,
    )


def check_declared_format(resource: dict[str, Any], where: str, report: Report, dialect: Any) -> None:
    """Report every format, encoding or dialect property that differs from what the reader does.

    dialect is the resource's dialect object, already loaded when the descriptor names a file.
    """
    for prop, allowed in _RESOURCE_DEFAULTS.items():
        value = resource.get(prop)
        if value is not None and (not isinstance(value, str) or value.lower() not in allowed):
            _unsupported(report, where, prop, value)
    encoding = resource.get("encoding")
    if encoding is not None and (not isinstance(encoding, str) or encoding.lower() not in _UTF8):
        _unsupported(report, where, "encoding", encoding)
    if dialect is None:
        return
    if not isinstance(dialect, dict):
        _unsupported(report, where, "dialect", dialect)
        return
    for prop, value in dialect.items():
        allowed = _DIALECT_DEFAULTS.get(prop, ())
        if allowed is None:
            continue
        if not one_of(value, allowed):
            _unsupported(report, where, f"dialect.{prop}", value)


def check_declared_integrity(resource: dict[str, Any], path: Path, file: str, report: Report) -> None:
    """Compare a declared bytes and hash with the file; frictionless fails a package on either."""
    size = resource.get("bytes")
    if isinstance(size, int) and not isinstance(size, bool) and size != path.stat().st_size:
        report.add(
            "file-integrity",
            file,
            f"The descriptor says {file} has {size} bytes; it has {path.stat().st_size}.",
            value=str(size),
            hint="Data changed after the descriptor was written: remove 'bytes' and 'hash' or bring them up to date.",
        )
    declared = resource.get("hash")
    if not isinstance(declared, str) or not declared:
        return
    algorithm, _, digest = declared.rpartition(":")
    algorithm = algorithm.lower() or "md5"  # the Data Package default
    if algorithm not in _HASHES:
        _unsupported(report, f"resource {resource.get('name')!r}", "hash", declared)
        return
    with path.open("rb") as handle:
        actual = hashlib.file_digest(handle, algorithm).hexdigest()
    if actual != digest.lower():
        report.add(
            "file-integrity",
            file,
            f"The descriptor gives {file} the {algorithm} hash {digest}; the file's is {actual}.",
            value=declared,
            hint="Data changed after the descriptor was written: remove 'bytes' and 'hash' or bring them up to date.",
        )
