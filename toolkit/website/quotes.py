"""Where each quote sits in its archived source text: the provenance made visible.

A claim page shows the lines around its quote with the quote marked; a source page shows the
whole text with every quote marked and linked to its claim. Quotes are found the way validation
finds them (check/provenance.py, with core/text.py): an exact substring first, then a match after normalising typography
and whitespace, mapped back to the original characters so the mark covers what the document says.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from ..core.text import TYPOGRAPHY, normalise

CONTEXT_CHARS = 600  # of text kept on each side of a quote on a claim page


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True)
class Context:
    """The text before the quote, the quote as the document writes it, the text after it."""

    before: str
    quote: str
    after: str
    clipped_before: bool
    clipped_after: bool


@dataclass(frozen=True)
class Segment:
    """A run of the source text: marked when quotes cover it, with the claims ending at its end."""

    text: str
    claims: tuple[str, ...]  # the claims whose quotes cover this run
    anchors: tuple[str, ...]  # the claims whose quotes start here
    ends: tuple[str, ...]  # the claims whose quotes end here


class Seed:
    """One archived text, with its normalised form computed once for all its quotes."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._normal: tuple[str, list[int]] | None = None

    def _normalised(self) -> tuple[str, list[int]]:
        """The text normalised as core/text.normalise does, with each character's origin."""
        if self._normal is None:
            chars: list[str] = []
            origin: list[int] = []
            space = False
            for i, ch in enumerate(self.text):
                if ch.isspace():
                    space = bool(chars)
                    continue
                if space:
                    chars.append(" ")
                    origin.append(i)
                    space = False
                for out in TYPOGRAPHY.get(ch, ch):
                    chars.append(out)
                    origin.append(i)
            self._normal = ("".join(chars), origin)
        return self._normal

    def locate(self, quote: str) -> Span | None:
        if not quote:
            return None
        at = self.text.find(quote)
        if at >= 0:
            return Span(at, at + len(quote))
        needle = normalise(quote)
        normal, origin = self._normalised()
        at = normal.find(needle) if needle else -1
        if at < 0:
            return None
        return Span(origin[at], origin[at + len(needle) - 1] + 1)

    def context(self, span: Span) -> Context:
        """The lines holding the quote, with the line before and after, clipped to CONTEXT_CHARS."""
        text = self.text
        line_start = text.rfind("\n", 0, span.start) + 1
        start = text.rfind("\n", 0, max(line_start - 1, 0)) + 1 if line_start else 0
        line_end = text.find("\n", span.end)
        line_end = len(text) if line_end < 0 else line_end
        end = text.find("\n", line_end + 1) if line_end < len(text) else -1
        end = len(text) if end < 0 else end
        clip_before = span.start - start > CONTEXT_CHARS
        clip_after = end - span.end > CONTEXT_CHARS
        if clip_before:
            start = span.start - CONTEXT_CHARS
        if clip_after:
            end = span.end + CONTEXT_CHARS
        return Context(
            text[start : span.start], text[span.start : span.end], text[span.end : end], clip_before, clip_after
        )

    def segments(self, spans: dict[str, Span]) -> list[Segment]:
        """The whole text cut at every quote's start and end, so overlapping quotes both show."""
        cuts = {0, len(self.text)}
        starts: dict[int, list[str]] = {}
        ends: dict[int, list[str]] = {}
        for cid, span in sorted(spans.items()):
            cuts.update((span.start, span.end))
            starts.setdefault(span.start, []).append(cid)
            ends.setdefault(span.end, []).append(cid)
        bounds = sorted(cuts)
        active: dict[str, None] = {}
        out: list[Segment] = []
        for a, b in itertools.pairwise(bounds):
            for cid in ends.get(a, ()):
                active.pop(cid, None)
            for cid in starts.get(a, ()):
                active[cid] = None
            out.append(Segment(self.text[a:b], tuple(active), tuple(starts.get(a, ())), tuple(ends.get(b, ()))))
        return out
