"""Changes: the flags a write reports, merged and matched against what a page shows."""

from __future__ import annotations

from dataclasses import dataclass

from shopline.core.changes import EVERYTHING, NOTHING, Changes, changes_of


def test_merge_and_truth():
    assert not NOTHING and EVERYTHING
    merged = Changes(friends=True) | Changes(tags=True)
    assert merged == Changes(friends=True, tags=True)
    assert merged.names() == ["friends", "tags"]
    assert Changes.of("campaigns", "settings") == Changes(campaigns=True, settings=True)


def test_touches_only_shared_flags():
    page = Changes(friends=True, tags=True)
    assert page.touches(Changes(tags=True))
    assert not page.touches(Changes(campaigns=True))
    assert not page.touches(NOTHING)


def test_changes_of_a_result():
    @dataclass
    class Report:
        rows: int
        changes: Changes

    assert changes_of(Changes(friends=True)) == Changes(friends=True)
    assert changes_of(Report(3, Changes(tags=True))) == Changes(tags=True)
    assert changes_of(42) == NOTHING
    assert changes_of(None) == NOTHING
