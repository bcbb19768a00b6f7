"""Extraction measured on a corpus of invented paragraphs with an answer key (recall and precision)."""

from __future__ import annotations

import json

from toolkit.contribute.extract import sentences
from toolkit.core.phrases import find_phrases

from .conftest import FIXTURES

CORPUS = json.loads((FIXTURES / "extraction" / "corpus.json").read_text())


def _drafted(text: str) -> list[tuple]:
    """What `claims extract` drafts from text: each sentence's number phrases, as figures."""
    out = []
    for start, end in sentences(text):
        for item in find_phrases(text[start:end]):
            p = item.parsed
            out.append((item.phrase, p.qualifier, p.value, p.low, p.high))
    return out


def test_every_figure_drafted_right_and_few_drafts_that_are_not_figures() -> None:
    expected = [tuple(f) for para in CORPUS["paragraphs"] for f in para["figures"]]
    drafted = [d for para in CORPUS["paragraphs"] for d in _drafted(para["text"])]
    hits = [d for d in drafted if d in expected]
    recall = len({*hits}) / len(expected)
    precision = len(hits) / len(drafted)
    counts = f"{len(expected)} figures, {len(drafted)} drafts"
    print(f"\nextraction corpus: {counts}, recall {recall:.0%}, precision {precision:.0%}")
    missing = [f for f in expected if f not in drafted]
    extra = [d for d in drafted if d not in expected]
    assert recall == 1.0, missing
    assert precision >= 0.9, extra


def test_no_sentence_is_cut_inside_a_number() -> None:
    text = "Of 18,159 cases, 88.4 were counted twice. The rest, 1.5 million, were not."
    assert [text[a:b] for a, b in sentences(text)] == [
        "Of 18,159 cases, 88.4 were counted twice.",
        "The rest, 1.5 million, were not.",
    ]
