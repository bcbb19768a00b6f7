"""Number phrases in text -> qualifier, value and bounds, by the rules in docs/data-dictionary.md.

One module owns the reading of "at least 50,000", "over one million", "tens of thousands",
"between 5,000 and 7,000" and "nine", so that validation (does the row say what its wording
says?) and extraction (what figures does this document report?) can never disagree.

The rules (value, value_low, value_high) for a stated figure n:
  exact n -> (n, n, n)            approximately n -> (n, -, -)
  at_least n -> (n, n, -)         more_than n -> (n, n, -)   (n is an exclusive bound)
  at_most n -> (n, -, n)          fewer_than n -> (n, -, n)  (n is an exclusive bound)
  range a..b -> (-, a, b)         order_of_magnitude ("tens of thousands") -> (-, 10,000, 99,999)
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class QualifierRule:
    """How a qualifier sets value, value_low and value_high: 'n' is the stated figure,
    'set' a bound the wording gives, '' empty."""

    value: str
    low: str
    high: str
    examples: str
    meaning: str


QUALIFIER_RULES: dict[str, QualifierRule] = {
    "exact": QualifierRule("n", "n", "n", "nine; 1,140", "The figure as stated, with no qualifying word."),
    "approximately": QualifierRule(
        "n",
        "",
        "",
        "about 5,000; some 300; an estimated 2 million",
        "Close to the figure, either side; no bound is implied.",
    ),
    "at_least": QualifierRule(
        "n", "n", "", "at least 50,000; no fewer than 300", "The figure or more (inclusive lower bound)."
    ),
    "more_than": QualifierRule(
        "n", "n", "", "over one million; more than 500", "Above the figure (value_low is an exclusive bound)."
    ),
    "at_most": QualifierRule("n", "", "n", "up to 2,000; at most 40", "The figure or fewer (inclusive upper bound)."),
    "fewer_than": QualifierRule(
        "n",
        "",
        "n",
        "just under four; fewer than 100; nearly 700",
        "Below the figure (value_high is an exclusive bound).",
    ),
    "range": QualifierRule(
        "", "set", "set", "between 5,000 and 7,000; 5,000-7,000", "Two stated figures; value stays empty."
    ),
    "estimate": QualifierRule(
        "n",
        "set",
        "set",
        "an estimated 320,000 (290,000 to 350,000)",
        "A central estimate with the range it lies in, all three stated (a compiled table's estimate columns).",
    ),
    "order_of_magnitude": QualifierRule(
        "",
        "set",
        "set",
        "tens of thousands (10,000-99,999); hundreds (100-999); dozens (24-143); a few thousand (2,000-9,999)",
        "A plural magnitude word: tens of X is 10X to 100X-1, hundreds of X is 100X to 1000X-1, "
        "dozens is two to eleven dozen; value stays empty.",
    ),
}
# the qualifiers whose stated figure is also a bound, read off the rules above
LOW_IS_FIGURE = tuple(q for q, rule in QUALIFIER_RULES.items() if rule.low == "n")
HIGH_IS_FIGURE = tuple(q for q, rule in QUALIFIER_RULES.items() if rule.high == "n")

# Longest phrases first, so "just under" wins over "under".
QUALIFIER_WORDS: dict[str, str] = {
    "no fewer than": "at_least",
    "no less than": "at_least",
    "not less than": "at_least",
    "a minimum of": "at_least",
    "at least": "at_least",
    "as many as": "at_most",
    "more than": "more_than",
    "in excess of": "more_than",
    "upwards of": "more_than",
    "greater than": "more_than",
    "well over": "more_than",
    "over": "more_than",
    "above": "more_than",
    "exceeding": "more_than",
    "exceeded": "more_than",  # "losses have exceeded 1,000,000": past it
    "surpassing": "more_than",
    "surpassed": "more_than",
    "topped": "more_than",
    "no more than": "at_most",
    "not more than": "at_most",
    "a maximum of": "at_most",
    "at most": "at_most",
    "up to": "at_most",
    "fewer than": "fewer_than",
    "less than": "fewer_than",
    "just under": "fewer_than",
    "just short of": "fewer_than",
    "nearly": "fewer_than",
    "almost": "fewer_than",
    "under": "fewer_than",
    "below": "fewer_than",
    "approximately": "approximately",
    "about": "approximately",
    "around": "approximately",
    "roughly": "approximately",
    "some": "approximately",
    "an estimated": "approximately",
    "estimated": "approximately",
    "close to": "approximately",
    "circa": "approximately",
    "almost exactly": "exact",
    "exactly": "exact",
    "precisely": "exact",
}
_QUALIFIER_RE = "|".join(re.escape(k) for k in sorted(QUALIFIER_WORDS, key=len, reverse=True))

UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
# "tens of thousands" -> [10 * scale, 100 * scale - 1]; "dozens" -> two to eleven dozen.
MAGNITUDES = {
    "dozens": (24, 143),
    "tens": (10, 99),
    "hundreds": (100, 999),
    "thousands": (1_000, 9_999),
    "millions": (1_000_000, 9_999_999),
}

DIGITS_RE = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?"
WORD_RE = "|".join(sorted([*UNITS, *TENS, *SCALES, "a", "an", "dozen", "half"], key=len, reverse=True))
NUMBER_RE = (
    rf"(?:(?:{DIGITS_RE})(?:\s+(?:hundred|thousand|million|billion))*"
    rf"|(?:(?:{WORD_RE})(?:[\s-]+(?:and\s+)?(?:{WORD_RE}))*))"
)


Number = int | float  # a float only for a figure written with decimals (88.4), never for a whole one


@dataclass(frozen=True)
class Parsed:
    qualifier: str
    value: Number | None
    low: Number | None
    high: Number | None
    unit: str | None = None  # "percent" when the phrase says so


def bounds(qualifier: str, n: Number) -> tuple[Number | None, Number | None, Number | None]:
    """(value, value_low, value_high) for a single stated figure n, by QUALIFIER_RULES."""
    rule = QUALIFIER_RULES[qualifier]
    return tuple(n if part == "n" else None for part in (rule.value, rule.low, rule.high))  # type: ignore[return-value]


def _words_to_int(text: str) -> int | None:
    """English number words to an int; None unless every word fits the grammar.

    Each word must have room in the number built so far: a unit only in an empty ones place
    (or after a tens word), a tens word only in an empty tens place, 'hundred' only after 1-99,
    and thousand/million/billion only in falling order.
    """
    tokens = [t for t in re.split(r"[\s-]+", text.strip()) if t and t != "and"]
    if not tokens:
        return None
    total, current, last_scale, last = 0, 0, 10**12, ""
    for tok in tokens:
        if tok in ("a", "an"):
            if current or last in UNITS:
                return None
            current = 1
        elif tok == "dozen":
            if current % 100 == 0 and current:
                return None
            current = (current or 1) * 12
        elif tok in UNITS:
            after_tens = last in TENS and UNITS[tok] < 10
            if current % 100 != 0 and not after_tens:
                return None
            current += UNITS[tok]
        elif tok in TENS:
            if current % 100 != 0:
                return None
            current += TENS[tok]
        elif tok == "hundred":
            if current >= 100:
                return None
            current = (current or 1) * 100
        elif tok in SCALES:
            scale = SCALES[tok]
            if scale >= last_scale:
                return None
            total += (current or 1) * scale
            current, last_scale = 0, scale
        else:
            return None
        last = tok
    return total + current


def parse_number(text: str) -> Number | None:
    """'50,000' -> 50000, 'one million' -> 1000000, '1.5 million' -> 1500000, 'nine' -> 9,
    '88.4' -> 88.4, 'half a million' -> 500000."""
    t = text.strip().lower()
    half = re.fullmatch(r"half (?:a|an) (hundred|thousand|million|billion)", t)
    if half:
        return SCALES[half.group(1)] // 2
    part = re.fullmatch(r"(a|one|three) (quarters?|third) of (?:a|an) (hundred|thousand|million|billion)", t)
    if part:  # a quarter of a million, three quarters of a million, a third of a million
        count = 3 if part.group(1) == "three" else 1
        denominator = 3 if part.group(2) == "third" else 4
        if (count == 3) != part.group(2).endswith("s") or (denominator == 3 and count == 3):
            return None
        whole = SCALES[part.group(3)] * count
        return whole // denominator if whole % denominator == 0 else None
    m = re.fullmatch(rf"({DIGITS_RE})((?:\s+(?:hundred|thousand|million|billion))*)", t)
    if m:
        digits = m.group(1).replace(",", "")
        scale = 1
        for word in m.group(2).split():
            scale *= SCALES[word]
        if "." in digits:
            whole, frac = digits.split(".")
            num = int(whole + frac) * scale
            den = 10 ** len(frac)
            if num % den == 0:
                return num // den
            return float(digits) if scale == 1 else None  # 88.4 as written; 1.23456 million is no count
        return int(digits) * scale
    return _words_to_int(t)


def parse_phrase(text: str) -> Parsed | None:
    """Read a whole number phrase; None when it is not one."""
    t = re.sub(r"\s+", " ", text.strip().lower().replace("\u2013", "-").replace("\u2014", "-"))
    unit = None
    m = re.fullmatch(r"(.*?)\s*(%|per ?cent)", t)
    if m:
        t, unit = m.group(1), "percent"
    # order of magnitude: "tens of thousands", "hundreds", "dozens of"
    m = re.fullmatch(r"(dozens|tens|hundreds|thousands|millions)(?: of (thousands|millions))?", t)
    if m and unit is None:
        low, high = MAGNITUDES[m.group(1)]
        scale = {"thousands": 1_000, "millions": 1_000_000}.get(m.group(2) or "", 1)
        return Parsed("order_of_magnitude", None, low * scale, (high + 1) * scale - 1)
    # "a few thousand": a few of a scale word, two to nine of it, as an order of magnitude
    m = re.fullmatch(r"a few (hundred|thousand|million|billion)", t)
    if m and unit is None:
        scale = SCALES[m.group(1)]
        return Parsed("order_of_magnitude", None, 2 * scale, 10 * scale - 1)
    # a central estimate with its range, as a compiled table gives it: "an estimated 320,000 (290,000 to 350,000)"
    m = re.fullmatch(rf"an estimated ({NUMBER_RE}) \(({NUMBER_RE}) to ({NUMBER_RE})\)", t)
    if m and unit is None:
        v, a, b = (parse_number(m.group(i)) for i in (1, 2, 3))
        if v is not None and a is not None and b is not None and a <= v <= b:
            return Parsed("estimate", v, a, b)
        return None
    qualifier = "exact"
    m = re.match(rf"({_QUALIFIER_RE})\s+", t)
    if m:
        qualifier, t = QUALIFIER_WORDS[m.group(1)], t[m.end() :]
    m = (
        re.fullmatch(rf"(?:between|from) ({NUMBER_RE}) (?:and|to) ({NUMBER_RE})", t)
        or re.fullmatch(rf"({NUMBER_RE}) to ({NUMBER_RE})", t)
        or re.fullmatch(rf"({DIGITS_RE}) ?- ?({DIGITS_RE})", t)
    )
    if m:  # a range keeps its two figures; a qualifier before it ("some 300 to 400") stays in the wording
        a, b = parse_number(m.group(1)), parse_number(m.group(2))
        if a is not None and b is not None and a < b:
            return Parsed("range", None, a, b, unit)
        return None
    n = parse_number(t)
    if n is None:
        return None
    value, low, high = bounds(qualifier, n)
    return Parsed(qualifier, value, low, high, unit)


_MAGNITUDE_RE = (
    r"(?:(?:dozens|tens|hundreds|thousands|millions)(?:\s+of\s+(?:thousands|millions))?"
    r"|a\s+few\s+(?:hundred|thousand|million|billion))"
)
_FIRST_WORD_RE = "|".join(sorted([*UNITS, *TENS, *SCALES, "dozen"], key=len, reverse=True))
_WORDS_RE = (
    rf"(?:half\s+an?\s+(?:hundred|thousand|million|billion)"
    rf"|(?:an?|one|three)\s+(?:quarters?|third)\s+of\s+an?\s+(?:hundred|thousand|million|billion)"
    rf"|(?:an?\s+(?:hundred|thousand|million|billion|dozen))|(?:{_FIRST_WORD_RE}))"
    rf"(?:[\s-]+(?:and\s+)?(?:{WORD_RE})\b)*"
)
_NUM_RE = rf"(?:(?:{DIGITS_RE})(?:\s+(?:hundred|thousand|million|billion))*|{_WORDS_RE})"
_FINDER = re.compile(
    rf"(?<![\w.,])(?:"
    rf"(?:between|from)\s+{_NUM_RE}\s+(?:and|to)\s+{_NUM_RE}"
    rf"|{_MAGNITUDE_RE}"
    rf"|(?:(?:{_QUALIFIER_RE})\s+)?{_NUM_RE}(?:\s*[-\u2013]\s*(?:{DIGITS_RE})|\s+to\s+{_NUM_RE})?"
    rf"(?:\s*(?:%|per\s?cent))?"
    rf")(?![\w])",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?:1[89]|20)[0-9]{2}")
_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
# What a number is when it is not a figure, read from the words around it.
_NOT_A_FIGURE_BEFORE = re.compile(
    rf"(?:\b(?:{_MONTHS})\.?\s+"  # May 20: a day
    r"|\b(?:[Aa]rticles?|Art\.|[Pp]art|[Ss]ections?|[Pp]aragraphs?|[Cc]lauses?|[Cc]hapters?|[Ii]tems?|[Pp]oints?"
    r"|[Pp]ages?|pp?\.|No\.|[Nn]umber|[Nn]o|[Rr]esolution|[Dd]ecree|[Oo]rder|[Rr]egiment|[Bb]rigade|[Dd]ivision"
    r"|[Bb]attalion|[Uu]nit|[Rr]oute|[Hh]ighway|[Ff]light|[Rr]egion|[Dd]istrict|[Zz]one|[Ss]ector|[Cc]olony"
    r"|[Cc]amp)\s+"  # Article 337, page 5, Region 14, penal colony 6
    r"|[A-Za-z]+-"  # AK-12, T-72, Su-25: a model
    r"|[0-9]:)$"  # the minutes of 10:30
)
_NOT_A_FIGURE_AFTER = re.compile(
    rf"^(?:\s*-?\s*years?[\s-]+olds?\b|-year-olds?\b"  # 57-year-old: an age
    r"|\s*(?:a\.m\.|p\.m\.|am\b|pm\b|GMT\b|UTC\b|hours\b|o'clock\b)|:[0-9]"  # 10:30, 5 pm: a time
    rf"|\s+(?:{_MONTHS})\b"  # 20 May: a day
    r"|\s+of\s+the\s+(?:[A-Z][a-z]+\s+)*(?:Code|Law|Constitution|Convention)\b"  # 337 of the Criminal Code
    r"|(?:st|nd|rd|th)\b)"  # 3rd: an ordinal
)


# "The governor, 58, said": a bare number set off by commas right after a word is an age in apposition
_APPOSITION_BEFORE = re.compile(r"[A-Za-z)]\s*,\s*$")
_APPOSITION_AFTER = re.compile(r"^\s*,(?!\s*(?:[0-9]|and\b|or\b))")  # not a list: "12, 14 and 15"
_AGE = re.compile(r"[1-9][0-9]?|1[01][0-9]")  # up to 119


def not_a_figure(text: str, start: int, end: int) -> bool:
    """The number at text[start:end] is a day, an age, a time, a model, an article or a page
    number by the words around it, not a reported figure."""
    before, after = text[max(0, start - 40) : start], text[end : end + 60]
    apposition = (
        _AGE.fullmatch(text[start:end]) is not None
        and _APPOSITION_BEFORE.search(before) is not None
        and _APPOSITION_AFTER.match(after) is not None
    )
    return bool(apposition or _NOT_A_FIGURE_BEFORE.search(before) or _NOT_A_FIGURE_AFTER.match(after))


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    phrase: str
    parsed: Parsed


def find_phrases(text: str) -> list[Found]:
    """Every number phrase in text that parse_phrase can read, left to right.

    Plain four-digit years (1800-2099 without a separator) and a bare "one" are skipped: they
    are dates and pronouns far more often than figures; so are numbers that the words around them
    make a day, an age, a time, a model, an article, a page or a unit number (not_a_figure).
    """
    found = []
    for m in _FINDER.finditer(text):
        phrase = m.group(0).strip()
        if _YEAR.fullmatch(phrase) or phrase.lower() in ("one", "a", "an", *SCALES):
            continue  # a year, a pronoun, or a scale word alone ("thousands of"... is matched whole)
        if not_a_figure(text, m.start(), m.start() + len(phrase)):
            continue
        parsed = parse_phrase(phrase)
        if parsed is not None:
            found.append(Found(m.start(), m.start() + len(phrase), phrase, parsed))
    return found
