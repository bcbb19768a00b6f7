"""JSON Pointers (RFC 6901): where a figure sits in an archived data file, the way a quote says
where it sits in a text. The importer writes them; validation resolves every one of a file at
once by flattening the file to (pointer, value) pairs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any


def escape(token: str | int) -> str:
    """One reference token: '~' is written '~0' and '/' is written '~1'."""
    return str(token).replace("~", "~0").replace("/", "~1")


def pointer(*tokens: str | int) -> str:
    """The pointer to the value reached by tokens, e.g. pointer(1625, "personnel") -> /1625/personnel."""
    return "".join("/" + escape(t) for t in tokens)


def leaves(document: Any) -> Iterator[tuple[str, Any]]:
    """(pointer, value) for every value of document that is not an object or an array, in
    document order. Iterative: a deeply nested file cannot exhaust the stack (the bounded reader
    refuses such a file before it gets here)."""
    stack: list[tuple[str, Any]] = [("", document)]
    while stack:
        at, value = stack.pop()
        if isinstance(value, dict):
            stack.extend((f"{at}/{escape(k)}", v) for k, v in reversed(list(value.items())))
        elif isinstance(value, list):
            stack.extend((f"{at}/{i}", v) for i, v in reversed(list(enumerate(value))))
        else:
            yield at, value


def tokens(at: str) -> list[str]:
    """The reference tokens of a pointer, unescaped ('/1625/personnel' -> ['1625', 'personnel'])."""
    if not at.startswith("/"):
        raise ValueError(f"{at!r} is not a JSON Pointer: it must start with '/'")
    return [t.replace("~1", "/").replace("~0", "~") for t in at.split("/")[1:]]


KEYED = re.compile(r"(?P<key>[^=/]+)=(?P<value>.*)")


def resolve(document: Any, at: str) -> Any:
    """The value at pointer at; KeyError when it names nothing (an array index must be a number in
    range). The package's one extension: in an array of records, a token `<field>=<text>` names
    the one record whose field holds that text (`/date=2026-08-22/personnel`), for a file whose
    upstream adds each day at its top, where a record's position moves every day and its date
    does not."""
    value = document
    for token in tokens(at):
        if isinstance(value, dict) and token in value:
            value = value[token]
        elif isinstance(value, list) and token.isdigit() and (token == "0" or not token.startswith("0")):
            if int(token) >= len(value):
                raise KeyError(at)
            value = value[int(token)]
        elif isinstance(value, list) and (keyed := KEYED.fullmatch(token)):
            found = [r for r in value if isinstance(r, dict) and r.get(keyed["key"]) == keyed["value"]]
            if len(found) != 1:
                raise KeyError(at)  # none, or more than one: a key names one record or nothing
            value = found[0]
        else:
            raise KeyError(at)
    return value
