"""problems.py: counting every problem while keeping only `limit` of them in full."""

from __future__ import annotations

from toolkit.problems.report import Report


def test_add_many_counts_all_and_keeps_the_limit() -> None:
    report = Report(limit=3)
    report.add_many("row-blank", "f.csv", list(range(2, 12)), message="empty")
    assert report.total == 10 and report.shown == 3
    assert [p.row for p in report.problems] == [2, 3, 4]


def test_extend_merges_as_if_written_in_order() -> None:
    """A check run in a thread writes its own report; merging must keep the limit and counts."""
    main = Report(limit=4)
    main.add_many("row-blank", "a.csv", [2, 3], message="empty")
    side = Report(limit=4)
    side.add_many("text-whitespace", "b.csv", [5, 6, 7, 8, 9], message="spaces", column="notes")
    side.notices.append("a notice")
    main.extend(side)
    assert main.counts == {"row-blank": 2, "text-whitespace": 5}
    assert [(p.file, p.row) for p in main.problems] == [("a.csv", 2), ("a.csv", 3), ("b.csv", 5), ("b.csv", 6)]
    assert main.notices == ["a notice"]
    assert not main.ok()
