"""Reading the package's JSON files (descriptor, Table Schemas, dialects) without trusting them.

A contributor's JSON may be cut short, in another encoding, or nested thousands of levels deep;
the last makes Python's json module (and every recursive walk after it, jsonschema's included)
raise RecursionError. Each way of failing becomes one JSONUnreadable with a plain reason.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

MAX_DEPTH = 64  # a Data Package descriptor needs about 6 levels


class JSONUnreadable(ValueError):
    """The file cannot be used as JSON; str() says why, in words for the person who wrote it."""


def _depth(value: Any) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            if depth > MAX_DEPTH:
                break
            values = item.values() if isinstance(item, dict) else item
            stack.extend((v, depth + 1) for v in values if isinstance(v, dict | list))  # scalars add no depth
    return deepest


class _DuplicateKey(ValueError):
    pass


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object whose keys are all different: with two, json keeps the last without a word,
    so a reviewer could read one maximum while another applies."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


def read_json(path: Path) -> Any:
    """The JSON value of a file: the one way the toolkit reads JSON, whatever the file (a
    descriptor, a schema, a dialect, an archived data file, a cached report)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise JSONUnreadable(exc.strerror or str(exc)) from exc
    return parse_json(data)


def parse_json(data: bytes, *, parse_int: Callable[[str], Any] | None = None) -> Any:
    """The JSON value of bytes (a file read from git, say), bounded like read_json. parse_int
    receives each integer's digits (a caller that bounds figures refuses 5,000 digits at their
    record instead of converting them)."""
    try:
        value = json.loads(data.decode("utf-8"), object_pairs_hook=_unique_keys, parse_int=parse_int)
    except _DuplicateKey as exc:
        raise JSONUnreadable(
            f"the key {exc.args[0]!r} appears twice in one object (which one applies is unclear)"
        ) from exc
    except UnicodeDecodeError as exc:
        raise JSONUnreadable(f"byte {exc.start} is not UTF-8") from exc
    except json.JSONDecodeError as exc:
        raise JSONUnreadable(f"not valid JSON at line {exc.lineno}, column {exc.colno} ({exc.msg.lower()})") from exc
    except RecursionError as exc:
        raise JSONUnreadable(f"nested more than {MAX_DEPTH} levels deep") from exc
    except ValueError as exc:  # an integer longer than Python converts (4,300 digits)
        raise JSONUnreadable(f"holds a number that cannot be read ({exc})") from exc
    if _depth(value) > MAX_DEPTH:
        raise JSONUnreadable(f"nested more than {MAX_DEPTH} levels deep")
    return value


def one_of(value: Any, allowed: tuple[Any, ...]) -> bool:
    """value is one of allowed as JSON sees it: true is not 1, "true" is not true."""
    return any(value == ok and type(value) is type(ok) for ok in allowed)
