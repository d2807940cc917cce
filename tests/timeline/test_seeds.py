"""DESIGN.md, "What the seeds must show", for the timeline: in either ingest order, and in one batch."""

import pytest

from tests.golden import check_golden

EARLY, LATE = "000_28c5dd749a0a6b13", "001_5a9cac7b8d2db75a"
EXPECTED = [("2024-10", "early"), ("2024-10-15", None), ("2024-10-17", None), ("2024-10-25", None),
            ("2024-10-27/2024-10-28", None), ("2024-11-01", None)]


@pytest.mark.parametrize("order", [(EARLY, LATE), (LATE, EARLY), None], ids=["000-first", "001-first", "one-batch"])
def test_the_seeds_timeline(sl, seeds_dir, order, update_golden):
    if order is None:
        assert sl.ingest([seeds_dir]).ok
    else:
        for name in order:
            assert sl.ingest([seeds_dir / f"{name}.txt"]).ok
    (story,) = sl.stories()
    entries = sl.timeline(story.id)
    assert [(e.date, e.qualifier) for e in entries] == EXPECTED
    assert all(e.article_ids == [EARLY, LATE] for e in entries)
    early_october = entries[0].text
    assert early_october.startswith("To recap, in early October, South Korean Defense Minister Kim Yong-hyun")
    # One golden file for every order: the timeline must not depend on it.
    check_golden("seeds_timeline", [e.as_dict() for e in entries], update_golden)
