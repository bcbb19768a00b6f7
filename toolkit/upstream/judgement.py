"""Whether a figure of a snapshot is new, the one the package holds already, or a correction of it.

A figure is judged as a whole: its numbers and words (wording, qualifier), and, for a row of a
compiled table, what the row says of it besides (its reference and its flag, kept in the claim's
notes). Any change is a new claim that supersedes the held one, and the verdict says what changed,
so the import's output and the new claim's notes can say it. A figure is held under its key
(claimant, metric, subject, day); a row of a compiled table whose compiler corrected its claimant
or its day no longer meets its old key, so a figure with a new key is set beside a held one that
the snapshot lacks when everything else of the two rows is the same: the new one corrects the old,
instead of a new figure beside a "missing" one that stays current.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, Protocol


class _Figure(Protocol):
    """What a verdict reads of a figure of the snapshot (series_plan._Figure)."""

    @property
    def claimant(self) -> str: ...
    @property
    def metric(self) -> str: ...
    @property
    def subject(self) -> str: ...
    @property
    def day(self) -> dt.date: ...
    @property
    def wording(self) -> str: ...
    @property
    def qualifier(self) -> str: ...
    @property
    def bounded(self) -> bool: ...
    @property
    def reference_note(self) -> str: ...
    @property
    def flag_note(self) -> str: ...
    @property
    def flag_text(self) -> str: ...


Key = tuple[str, str, str, str]  # claimant, metric, subject, day
Kind = Literal["new", "same", "changed", "corrected"]


@dataclass(frozen=True, kw_only=True)
class Verdict:
    figure: _Figure
    kind: Kind
    held: dict[str, str] | None = None  # the claim it is (same) or supersedes (changed, corrected)
    why: str = ""  # what changed, in words: "its reference", "its claimant (a -> b)"


def key_of(figure: _Figure) -> Key:
    return (figure.claimant, figure.metric, figure.subject, figure.day.isoformat())


def differences(held: dict[str, str], figure: _Figure) -> list[str]:
    """What the figure says otherwise than the held claim, in words ([] when nothing). A row's
    reference and flag are compared as the sentences they put in the claim's notes; whatever else
    the notes say (a person's words, a supersession) is not the row's."""
    out = []
    if held["wording"] != figure.wording or held["qualifier"] != figure.qualifier:
        out.append(f"its figure ({held['wording']} -> {figure.wording})")
    notes = held["notes"]  # every claims row has the column (empty, or what it says)
    if figure.reference_note and figure.reference_note not in notes:
        out.append("its reference")
    if figure.flag_text:
        was, now = figure.flag_text in notes, bool(figure.flag_note)
        if was != now:
            out.append("its warring-party flag (" + ("now set" if now else "no longer set") + ")")
    return out


def judge(figures: Iterable[_Figure], live: dict[Key, dict[str, str]], held_here: set[Key]) -> list[Verdict]:
    """A verdict per figure, in the order given. live: the current claims of the series by key;
    held_here: the keys of the live claims that this file's figures come from (the ones a figure
    of a corrected row may correct)."""
    verdicts: list[Verdict] = []
    seen: set[Key] = set()
    for figure in figures:
        key = key_of(figure)
        seen.add(key)
        held = live.get(key)
        if held is None:
            verdicts.append(Verdict(figure=figure, kind="new"))
            continue
        changed = differences(held, figure)
        if changed:
            verdicts.append(Verdict(figure=figure, kind="changed", held=held, why=", ".join(changed)))
        else:
            verdicts.append(Verdict(figure=figure, kind="same", held=held))
    lacking = [live[k] for k in sorted(held_here - seen)]
    return _corrections(verdicts, lacking)


def _corrections(verdicts: list[Verdict], lacking: list[dict[str, str]]) -> list[Verdict]:
    """Each new figure of a compiled table's row beside a held claim the file lacks, when the two
    say the same but for the claimant or the day (one each, in the order of the file)."""
    out = []
    for verdict in verdicts:
        figure = verdict.figure
        if verdict.kind != "new" or not figure.bounded:
            out.append(verdict)
            continue
        match = next((h for h in lacking if _same_but_for_key(h, figure)), None)
        if match is None:
            out.append(verdict)
            continue
        lacking.remove(match)
        out.append(Verdict(figure=figure, kind="corrected", held=match, why=_key_change(match, figure)))
    return out


def _same_but_for_key(held: dict[str, str], figure: _Figure) -> bool:
    return (
        held["metric_id"] == figure.metric
        and held["subject"] == figure.subject
        and not differences(held, figure)
        and (held["claimant_id"], held["period_end"]) != (figure.claimant, figure.day.isoformat())
    )


def _key_change(held: dict[str, str], figure: _Figure) -> str:
    parts = []
    if held["claimant_id"] != figure.claimant:
        parts.append(f"its claimant ({held['claimant_id']} -> {figure.claimant})")
    if held["period_end"] != figure.day.isoformat():
        parts.append(f"its day ({held['period_end']} -> {figure.day.isoformat()})")
    return ", ".join(parts)
