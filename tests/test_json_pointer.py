"""core/json_pointer.py: pointers as RFC 6901 writes them, resolved and listed the same way."""

from __future__ import annotations

import pytest

from toolkit.core.json_pointer import leaves, pointer, resolve, tokens

DOCUMENT = [{"date": "2024-01-01", "a/b": 1, "t~": 2, "list": [5, 6], "nested": {"x": None}}]


def test_tokens_are_escaped_and_unescaped_by_the_rfc() -> None:
    assert pointer(0, "a/b") == "/0/a~1b"
    assert pointer(0, "t~") == "/0/t~0"
    assert tokens("/0/a~1b") == ["0", "a/b"]
    assert tokens("/0/~01") == ["0", "~1"]  # ~01 is "~" then "1", not "/"


def test_every_leaf_resolves_to_itself() -> None:
    found = dict(leaves(DOCUMENT))
    assert found == {
        "/0/date": "2024-01-01",
        "/0/a~1b": 1,
        "/0/t~0": 2,
        "/0/list/0": 5,
        "/0/list/1": 6,
        "/0/nested/x": None,
    }
    for at, value in found.items():
        assert resolve(DOCUMENT, at) == value


@pytest.mark.parametrize("at", ["/1/date", "/0/missing", "/0/list/2", "/0/list/01", "/x", "/0/date/0"])
def test_a_pointer_to_nothing_is_a_key_error(at: str) -> None:
    """The error carries the whole pointer, not the token that failed: it is what a message quotes."""
    with pytest.raises(KeyError) as nothing:
        resolve(DOCUMENT, at)
    assert nothing.value.args == (at,)


def test_a_pointer_must_start_with_a_slash() -> None:
    with pytest.raises(ValueError, match="must start with"):
        resolve(DOCUMENT, "0/date")
