"""Passages read against their story: recycled within it, recycled from elsewhere, new; following splits."""

import json

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from storyline.records import PassageRef
from storyline.stories.stage import story_id_for
from tests.reuse.test_seeds import BACKGROUND
from tests.stories.test_stage import DRIFT, EARLY, LATE, _stream

# A background paragraph several articles reprint.
CROSSING = ("The harbour crossing opened in 1932 and carries about 160,000 vehicles a day, according to the "
            "city transport office, which maintains it.")


@pytest.mark.parametrize("order", [(EARLY, LATE), (LATE, EARLY)])
def test_seeds_later_article_recycles_the_background_from_its_story(sl, seeds_dir, order):
    for name in order:
        sl.ingest([seeds_dir / f"{name}.txt"])
    first, later = order
    counterpart = BACKGROUND if first == EARLY else {v: k for k, v in BACKGROUND.items()}
    in_later = {v: k for k, v in counterpart.items()}  # later article's index -> the first one's
    seen = sl.novelty(later)
    assert seen.story_id == sl.article(first).story_id
    for p in seen.passages:
        if p.index in in_later:
            assert p.status == "recycled" and p.in_story == p.first_seen == PassageRef(first, in_later[p.index])
        elif p.status != "boilerplate":  # "Watch more: ... VIDEO"
            assert p.status == "new" and p.in_story is None
    assert seen.recycled_in_story == 15 and seen.recycled_elsewhere == 0
    # Characters, as the web UI and the API count them, not paragraphs.
    passages = sl.article(later).passages
    new_chars = sum(p.end - p.start for p in passages if p.status == "new")
    assert seen.new_share == round(new_chars / sum(p.end - p.start for p in passages), 4) != round(
        seen.count("new") / (seen.count("new") + 15), 4)
    assert seen.new_share == sl.queries.article_row(later).new_share
    assert sl.novelty(first).count("recycled") == 0


def test_a_passage_seen_only_in_other_stories_stays_recycled_pointing_at_its_first_sighting(sl, tmp_path):
    rows = [("a1", "Harbour bridge pier crack found by engineers.\n\n" + CROSSING, "2025-03-01"),
            ("f1", "Ferry fares rise for island commuters next month.\n\nThe island ferry company blamed fuel "
                   "costs for the increase in fares.\n\n" + CROSSING, "2025-03-01"),
            ("f2", "Island commuters protest ferry fare rise.\n\nFerry company fuel costs were cited as commuters "
                   "marched against fares.\n\n" + CROSSING, "2025-03-02")]
    sl.ingest([_stream(tmp_path, rows)])
    assert sl.article("f1").story_id == sl.article("f2").story_id != sl.article("a1").story_id
    f1, f2 = sl.novelty("f1"), sl.novelty("f2")
    # Not news (it was printed before), but nothing earlier in the ferry story carries it.
    assert f1.passages[2].status == "recycled" and f1.passages[2].from_elsewhere
    assert f1.passages[2].first_seen == PassageRef("a1", 1)
    f1_chars = [p.end - p.start for p in sl.article("f1").passages]
    assert (f1.recycled_in_story, f1.recycled_elsewhere, f1.new_share) == (0, 1, round(sum(f1_chars[:2]) / sum(f1_chars), 4))
    # The next ferry article finds the copy in its own story; provenance stays the first sighting.
    assert f2.passages[2].in_story == PassageRef("f1", 2) and f2.passages[2].first_seen == PassageRef("a1", 1)
    assert (f2.recycled_in_story, f2.recycled_elsewhere) == (1, 0)


def test_after_a_split_the_view_follows_the_story_each_article_is_in(sl, tmp_path):
    rows = [(i, f"{t}.\n\n{CROSSING}" if i in ("a1", "b1", "b2") else t, d) for i, t, d in DRIFT]
    sl.ingest([_stream(tmp_path, rows[:5], "before.jsonl")])
    assert sl.article("b1").story_id == story_id_for("a1")  # five articles: not checked yet
    assert sl.novelty("b1").passages[1].in_story == PassageRef("a1", 1)
    assert sl.novelty("b2").passages[1].in_story == PassageRef("a1", 1)
    read_before = sl.article("b1")  # a caller's copy, which the split below makes stale
    sl.ingest([_stream(tmp_path, rows[5:], "after.jsonl")])
    # An article read before the split is read against the story it is in now.
    assert read_before.story_id == story_id_for("a1")
    assert sl.novelty(read_before) == sl.novelty("b1") == sl.queries.novelties([read_before])["b1"]
    assert sl.article("b1").story_id == sl.article("b2").story_id == story_id_for("b1")  # split off
    b1, b2 = sl.novelty("b1"), sl.novelty("b2")
    assert b1.passages[1].status == "recycled" and b1.passages[1].from_elsewhere
    assert b2.passages[1].in_story == PassageRef("b1", 1)
    assert b1.passages[1].first_seen == b2.passages[1].first_seen == PassageRef("a1", 1)


def test_cli_article_and_story_show_the_story_view(db_path, tmp_path):
    rows = [("a1", "Harbour bridge pier crack found by engineers.\n\n" + CROSSING, "2025-03-01"),
            ("f1", "Ferry fares rise for island commuters next month.\n\nThe island ferry company blamed fuel "
                   "costs for the increase in fares.\n\n" + CROSSING, "2025-03-01")]
    runner = CliRunner()
    runner.invoke(app, ["ingest", str(_stream(tmp_path, rows)), "--db", str(db_path)])
    shown = runner.invoke(app, ["article", "f1", "--db", str(db_path)]).output
    assert "2 of 3 paragraphs new; recycled: 0 from earlier in its story, 1 from other stories" in shown
    assert "first seen in a1 ¶1, score 1.00; not earlier in this story" in shown
    data = json.loads(runner.invoke(app, ["article", "f1", "--db", str(db_path), "--json"]).stdout)
    assert data["novelty"]["recycled_elsewhere"] == 1 and data["passages"][2]["status"] == "recycled"
    assert data["novelty"]["passages"][2] == {"index": 2, "status": "recycled", "in_story": None,
                                              "first_seen": {"article_id": "a1", "index": 1}}
    listed = runner.invoke(app, ["story", data["story_id"], "--db", str(db_path)]).output
    assert "2/3 new (1 from other stories)" in listed
