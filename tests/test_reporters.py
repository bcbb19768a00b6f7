"""compare/reporters.py: two compilations of one claimant's reports, day by day, on small frames."""

from __future__ import annotations

import pandas as pd

from toolkit.compare.reporters import claim_reporters, disagreements

SOURCES = pd.DataFrame(
    {
        "source_id": ["S0001", "S0002", "S0003"],
        "data_path": ["seeds/first/aaa/data/days.json", "seeds/second/bbb/days.json", ""],
    }
)


def claims(rows: list[tuple[str, str, str, float]]) -> pd.DataFrame:
    """(claim ID, source ID, day, value) of one claimant's tanks."""
    return pd.DataFrame(
        {
            "claim_id": [r[0] for r in rows],
            "source_id": [r[1] for r in rows],
            "claimant_id": "staff",
            "metric_id": "tank_losses",
            "subject": "tanks",
            "period_end": pd.to_datetime([r[2] for r in rows]),
            "status": "reported",
            "value": [r[3] for r in rows],
            "value_low": float("nan"),
            "value_high": float("nan"),
            "locator": [f"/{i}/tanks" for i in range(len(rows))],
        }
    )


def test_each_claim_has_the_compilation_it_was_read_from() -> None:
    frame = claims([("C0001", "S0001", "2024-01-01", 1), ("C0002", "S0003", "2024-01-01", 1)])
    assert claim_reporters(frame, SOURCES).tolist() == ["first", ""]  # an article's figure: no compilation


def test_a_day_two_compilations_give_otherwise_is_one_row_led_by_the_first_claim() -> None:
    frame = claims(
        [
            ("C0001", "S0001", "2024-01-01", 10),
            ("C0002", "S0001", "2024-01-02", 12),
            ("C0010", "S0002", "2024-01-01", 10),  # agrees
            ("C0011", "S0002", "2024-01-02", 13),  # disagrees
            ("C0012", "S0002", "2024-01-03", 14),  # only the second gives this day
            ("C0013", "S0003", "2024-01-02", 99),  # an article: not a compilation
        ]
    )
    found = disagreements(frame, SOURCES)
    assert found[["day", "claim_id", "reporter", "value", "other_claim_id", "other_reporter", "other_value"]].astype(
        str
    ).values.tolist() == [["2024-01-02", "C0002", "first", "12", "C0011", "second", "13"]]
    assert found.loc[0, "other_locator"] == "/3/tanks"


def test_a_superseded_claim_and_another_subject_disagree_with_nothing() -> None:
    frame = claims([("C0001", "S0001", "2024-01-01", 10), ("C0010", "S0002", "2024-01-01", 11)])
    assert len(disagreements(frame, SOURCES)) == 1
    superseded = frame.assign(status=["superseded", "reported"])
    assert disagreements(superseded, SOURCES).empty
    other_subject = frame.assign(subject=["tanks", "tanks of the other side"])
    assert disagreements(other_subject, SOURCES).empty
