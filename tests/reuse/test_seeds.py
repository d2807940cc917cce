"""DESIGN.md, "What the seeds must show", for passages: in either ingest order."""

import pytest

from tests.golden import check_golden

EARLY, LATE = "000_28c5dd749a0a6b13", "001_5a9cac7b8d2db75a"
# Background paragraphs: index in 000 → index in 001 (15 of them).
BACKGROUND = {3: 5, 4: 7, 5: 8, 6: 9, 7: 10, 8: 11, 9: 12, 10: 13, 11: 14, 12: 15, 13: 16, 14: 17, 15: 18,
              16: 19, 17: 20}


def _ingest(sl, seeds_dir, order):
    for name in order:
        assert sl.ingest([seeds_dir / f"{name}.txt"]).ok


@pytest.mark.parametrize("order", [(EARLY, LATE), (LATE, EARLY)], ids=["000-first", "001-first"])
def test_recycled_background_points_at_its_counterpart(sl, seeds_dir, order, update_golden):
    _ingest(sl, seeds_dir, order)
    first, second = (sl.article(a) for a in order)
    mapping = BACKGROUND if order[0] == EARLY else {v: k for k, v in BACKGROUND.items()}
    # The first article is all new (its promo line aside).
    assert {p.status for p in first.passages} <= {"new", "boilerplate"}
    assert first.duplicate_of is None and second.duplicate_of is None
    later_background = {v: k for k, v in mapping.items()}
    for passage in second.passages:
        if passage.index in later_background:
            assert passage.status == "recycled", passage.text
            assert passage.first_seen.article_id == first.id
            assert passage.first_seen.index == later_background[passage.index]
            assert 0.6 <= passage.score <= 1.0
        elif passage.text.startswith("Watch more:"):
            assert passage.status == "boilerplate"
        else:
            assert passage.status == "new", passage.text
    check_golden(f"seeds_reuse_{order[0][:3]}_first", {
        a.id: [{"index": p.index, "status": p.status, "score": p.score,
                "first_seen": [p.first_seen.article_id, p.first_seen.index] if p.first_seen else None}
               for p in a.passages] for a in (first, second)}, update_golden)


def test_both_in_one_batch_match_the_two_step_result(sl, seeds_dir):
    sl.ingest([seeds_dir])  # one batch: the second article must still see the first
    late = sl.article(LATE)
    assert sum(p.status == "recycled" for p in late.passages) == 15
