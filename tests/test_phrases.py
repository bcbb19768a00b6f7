"""core/phrases.py: number phrases -> qualifier, value and bounds."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from num2words import num2words

from toolkit.core.phrases import QUALIFIER_RULES, QUALIFIER_WORDS, bounds, parse_number, parse_phrase


@pytest.mark.parametrize(
    ("text", "qualifier", "value", "low", "high"),
    [
        # the first seed's sentences
        ("at least 50,000", "at_least", 50_000, 50_000, None),
        ("Over one million", "more_than", 1_000_000, 1_000_000, None),
        ("just under four", "fewer_than", 4, None, 4),
        ("tens of thousands", "order_of_magnitude", None, 10_000, 99_999),
        ("nine", "exact", 9, 9, 9),
        # every other form
        ("between 5,000 and 7,000", "range", None, 5_000, 7_000),
        ("5,000-7,000", "range", None, 5_000, 7_000),
        ("5,000 – 7,000", "range", None, 5_000, 7_000),
        ("from 10 to 20", "range", None, 10, 20),
        ("about 1.5 million", "approximately", 1_500_000, None, None),
        ("some 300", "approximately", 300, None, None),
        ("up to 2,000", "at_most", 2_000, None, 2_000),
        ("fewer than 100", "fewer_than", 100, None, 100),
        ("more than 500", "more_than", 500, 500, None),
        ("hundreds of thousands", "order_of_magnitude", None, 100_000, 999_999),
        ("hundreds", "order_of_magnitude", None, 100, 999),
        ("dozens", "order_of_magnitude", None, 24, 143),
        ("twenty-five thousand", "exact", 25_000, 25_000, 25_000),
        ("one hundred and twenty", "exact", 120, 120, 120),
        ("a million", "exact", 1_000_000, 1_000_000, 1_000_000),
        ("1,140", "exact", 1_140, 1_140, 1_140),
        ("2 million", "exact", 2_000_000, 2_000_000, 2_000_000),
    ],
)
def test_phrases(text: str, qualifier: str, value: int | None, low: int | None, high: int | None) -> None:
    parsed = parse_phrase(text)
    assert parsed is not None
    assert (parsed.qualifier, parsed.value, parsed.low, parsed.high) == (qualifier, value, low, high)


def test_percent() -> None:
    parsed = parse_phrase("12%")
    assert parsed is not None and parsed.unit == "percent" and parsed.value == 12


@pytest.mark.parametrize("text", ["", "many", "one two", "went home", "1.2.3", "forty forty"])
def test_not_numbers(text: str) -> None:
    assert parse_phrase(text) is None


def test_bounds_follow_the_rule_table() -> None:
    for qualifier, rule in QUALIFIER_RULES.items():
        if rule.value == "n":
            value, low, high = bounds(qualifier, 7)
            assert value == 7
            assert low == (7 if rule.low == "n" else None)
            assert high == (7 if rule.high == "n" else None)


def test_every_qualifier_word_maps_to_a_rule() -> None:
    assert set(QUALIFIER_WORDS.values()) <= set(QUALIFIER_RULES)


@given(st.integers(min_value=0, max_value=999_999_999))
def test_digits_round_trip(n: int) -> None:
    assert parse_number(f"{n:,}") == n
    assert parse_number(str(n)) == n


@given(st.integers(min_value=0, max_value=999_999_999))
def test_words_round_trip(n: int) -> None:
    words = num2words(n).replace(",", "")
    assert parse_number(words) == n, words


@given(st.integers(min_value=1, max_value=10**8), st.sampled_from(sorted(QUALIFIER_WORDS)))
def test_qualified_round_trip(n: int, word: str) -> None:
    parsed = parse_phrase(f"{word} {n:,}")
    assert parsed is not None
    assert parsed.qualifier == QUALIFIER_WORDS[word]
    assert (parsed.value, parsed.low, parsed.high) == bounds(parsed.qualifier, n)
