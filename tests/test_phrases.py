"""core/phrases.py: number phrases -> qualifier, value and bounds."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from num2words import num2words

from toolkit.core.phrases import (
    QUALIFIER_RULES,
    QUALIFIER_WORDS,
    bounds,
    find_phrases,
    not_a_figure,
    parse_number,
    parse_phrase,
)


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


# Written by hand, not read from the implementation's tables: (qualifier, value, low, high) for
# "<word> 1,200". A remapped word or a swapped bound fails here.
AT_LEAST = ("at_least", 1200, 1200, None)
MORE_THAN = ("more_than", 1200, 1200, None)
AT_MOST = ("at_most", 1200, None, 1200)
FEWER_THAN = ("fewer_than", 1200, None, 1200)
ABOUT = ("approximately", 1200, None, None)
EXACT = ("exact", 1200, 1200, 1200)
PINNED = {
    "no fewer than": AT_LEAST,
    "no less than": AT_LEAST,
    "not less than": AT_LEAST,
    "a minimum of": AT_LEAST,
    "at least": AT_LEAST,
    "more than": MORE_THAN,
    "in excess of": MORE_THAN,
    "upwards of": MORE_THAN,
    "greater than": MORE_THAN,
    "well over": MORE_THAN,
    "over": MORE_THAN,
    "above": MORE_THAN,
    "exceeding": MORE_THAN,
    "exceeded": MORE_THAN,
    "surpassing": MORE_THAN,
    "surpassed": MORE_THAN,
    "topped": MORE_THAN,
    "as many as": AT_MOST,
    "no more than": AT_MOST,
    "not more than": AT_MOST,
    "a maximum of": AT_MOST,
    "at most": AT_MOST,
    "up to": AT_MOST,
    "fewer than": FEWER_THAN,
    "less than": FEWER_THAN,
    "just under": FEWER_THAN,
    "just short of": FEWER_THAN,
    "nearly": FEWER_THAN,
    "almost": FEWER_THAN,
    "under": FEWER_THAN,
    "below": FEWER_THAN,
    "approximately": ABOUT,
    "about": ABOUT,
    "around": ABOUT,
    "roughly": ABOUT,
    "some": ABOUT,
    "an estimated": ABOUT,
    "estimated": ABOUT,
    "close to": ABOUT,
    "circa": ABOUT,
    "almost exactly": EXACT,
    "exactly": EXACT,
    "precisely": EXACT,
}


@pytest.mark.parametrize("word", sorted(PINNED))
def test_every_qualifier_word_has_its_pinned_meaning(word: str) -> None:
    parsed = parse_phrase(f"{word} 1,200")
    assert parsed is not None
    assert (parsed.qualifier, parsed.value, parsed.low, parsed.high) == PINNED[word]
    capitalised = parse_phrase(f"{word.capitalize()} 1,200")
    assert capitalised is not None and capitalised.qualifier == PINNED[word][0]


def test_every_qualifier_word_is_pinned() -> None:
    assert set(QUALIFIER_WORDS) == set(PINNED)  # a new word needs its meaning written above


@pytest.mark.parametrize(
    ("qualifier", "expected"),
    [
        ("exact", (7, 7, 7)),
        ("approximately", (7, None, None)),
        ("at_least", (7, 7, None)),
        ("more_than", (7, 7, None)),
        ("at_most", (7, None, 7)),
        ("fewer_than", (7, None, 7)),
    ],
)
def test_bounds_of_a_single_figure(qualifier: str, expected: tuple) -> None:
    assert bounds(qualifier, 7) == expected


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


@given(st.integers(min_value=1, max_value=10**8), st.sampled_from(sorted(PINNED)))
def test_qualified_round_trip(n: int, word: str) -> None:
    parsed = parse_phrase(f"{word} {n:,}")
    assert parsed is not None
    qualifier, _, low, high = PINNED[word]
    assert (parsed.qualifier, parsed.value) == (qualifier, n)
    assert (parsed.low, parsed.high) == (n if low else None, n if high else None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # written out by hand: what each number-word form means, and what is not a number
        ("a dozen", 12),
        ("dozen", 12),
        ("two dozen", 24),
        ("three hundred dozen", None),  # a dozen after a whole hundred is not how a number is said
        ("a hundred", 100),
        ("an hundred", 100),
        ("one a", None),
        ("twenty a", None),
        ("a thousand", 1_000),
        ("a hundred thousand", 100_000),
        ("half a million", 500_000),
        ("a quarter of a million", 250_000),
        ("one quarter of a thousand", 250),
        ("three quarters of a million", 750_000),
        ("a third of a million", None),  # 333,333.3: no count
        ("a third of a thousand", None),
        ("three quarter of a million", None),  # three quarters, plural
        ("a quarters of a million", None),
        ("half an hundred", 50),
        ("Half a Million", 500_000),
        ("  nine  ", 9),
        ("twenty-one", 21),
        ("twenty ten", None),  # a unit after a tens word must be below ten
        ("twenty nineteen", None),
        ("one hundred and one", 101),
        ("one hundred one hundred", None),
        ("one hundred hundred", None),
        ("one thousand one thousand", None),  # scales only fall
        ("one million one thousand", 1_001_000),
        ("one thousand one million", None),
        ("a billion", 1_000_000_000),
        ("two billion three million", 2_003_000_000),
        ("1.5 million", 1_500_000),
        ("88.4", 88.4),
        ("1.23456 million", 1_234_560),
        ("1.2345678 million", None),  # not a whole count
        ("2 thousand", 2_000),
        ("seven dozen", 84),
        ("hundred", 100),
        ("thousand", 1_000),
    ],
)
def test_number_words(text: str, expected: int | float | None) -> None:
    got = parse_number(text)
    assert got == expected
    assert type(got) is type(expected)  # a whole count stays an int: 500000, not 500000.0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("between 10 and 20%", ("range", None, 10, 20, "percent")),
        ("10-20 per cent", ("range", None, 10, 20, "percent")),
        ("5,000\u20147,000", ("range", None, 5_000, 7_000, None)),  # em dash
        ("5,000\u20137,000", ("range", None, 5_000, 7_000, None)),  # en dash
        ("at  least\n50,000", ("at_least", 50_000, 50_000, None, None)),  # any run of spaces is one
        ("5,000-5,000", None),  # a range needs two different ends
        ("7,000-5,000", None),
        ("between twenty ten and 40", None),  # an end that is not a number
        ("between 40 and twenty ten", None),
        ("tens of millions", ("order_of_magnitude", None, 10_000_000, 99_999_999, None)),
        ("hundreds of thousands", ("order_of_magnitude", None, 100_000, 999_999, None)),
        ("millions", ("order_of_magnitude", None, 1_000_000, 9_999_999, None)),
        ("3 hundred thousand", ("exact", 300_000, 300_000, 300_000, None)),
        ("2 thousand million", ("exact", 2_000_000_000, 2_000_000_000, 2_000_000_000, None)),
    ],
)
def test_phrase_forms(text: str, expected: tuple | None) -> None:
    parsed = parse_phrase(text)
    got = None if parsed is None else (parsed.qualifier, parsed.value, parsed.low, parsed.high, parsed.unit)
    assert got == expected


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("One soldier and 1,200 others.", ["1,200"]),  # a bare "one" is a pronoun
        ("A report, an estimate and 300 more.", ["300"]),
        ("Thousands of them; in 2023 some 40,000.", ["Thousands", "some 40,000"]),
        ("In 2023, 500 left.", ["500"]),  # the year is not a figure
        ("MILLION was the word; 7 million was the figure.", ["7 million"]),
        ("Losses reached a quarter of a million.", ["a quarter of a million"]),  # not "a million"
        ("The governor, 58, said 300 had left.", ["300"]),
        ("Russian losses have surpassed 1,000,000.", ["surpassed 1,000,000"]),
    ],
)
def test_bare_words_and_years_are_not_figures(text: str, found: list[str]) -> None:
    assert [f.phrase for f in find_phrases(text)] == found


def test_a_found_phrase_knows_where_it_is() -> None:
    text = "Officials said at least 50,000 had left."
    [f] = find_phrases(text)
    assert (f.start, f.end, f.phrase) == (text.index("at least"), text.index(" had"), "at least 50,000")
    assert text[f.start : f.end] == f.phrase


@pytest.mark.parametrize(
    ("text", "start", "end", "expected"),
    [
        ("He is 57 years old.", 6, 8, True),
        ("On May 20 they met.", 7, 9, True),
        ("May 20 was the day.", 4, 6, True),  # the month is the text's first word
        ("They counted 500 soldiers.", 13, 16, False),
        ("The governor, 58, said so.", 14, 16, True),  # an age in apposition
        ("Ivanov, 34, a sergeant, fled.", 8, 10, True),
        ("In Kyiv, 12, 14 and 15 were counted.", 9, 11, False),  # a list, not an age
        ("Losses, 40, and then more.", 8, 10, False),
        ("The regiment, 140, was there.", 14, 17, False),  # above any age
        ("They said, 300, not 200.", 11, 14, False),
    ],
)
def test_the_words_around_a_number_can_make_it_no_figure(text: str, start: int, end: int, expected: bool) -> None:
    assert text[start:end].strip().isdigit()
    assert not_a_figure(text, start, end) is expected
