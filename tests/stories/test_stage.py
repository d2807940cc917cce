"""Online story clustering: the seeds form one story, ids are stable, assignments are logged."""

import json

import pytest
from typer.testing import CliRunner

from storyline import Storyline
from storyline.cli import app
from storyline.errors import NotFoundError
from storyline.stories.stage import story_id_for

EARLY, LATE = "000_28c5dd749a0a6b13", "001_5a9cac7b8d2db75a"


@pytest.mark.parametrize("order", [(EARLY, LATE), (LATE, EARLY)])
def test_seeds_form_one_story_founded_by_the_first(sl, seeds_dir, order):
    for name in order:
        sl.ingest([seeds_dir / f"{name}.txt"])
    (story,) = sl.stories()
    assert story.id == story_id_for(order[0])
    assert set(story.article_ids) == {EARLY, LATE}
    assert sl.article(order[1]).story_id == story.id


def test_story_ids_are_stable_across_sessions(db_path, seeds_dir, fixtures):
    with Storyline(db_path) as engine:
        engine.ingest([seeds_dir / f"{EARLY}.txt"])
        first = engine.article(EARLY).story_id
    with Storyline(db_path) as engine:
        engine.ingest([seeds_dir / f"{LATE}.txt", fixtures / "page.html"])
        assert engine.article(EARLY).story_id == first == engine.article(LATE).story_id
        assert engine.article("page").story_id != first  # a bridge in Carvenia is another story
        assert len(engine.stories()) == 2


def test_every_assignment_is_logged_with_its_reason(sl, seeds_dir):
    sl.ingest([seeds_dir])
    (story,) = sl.stories()
    rows = sl.store.story_index().history(story.id)
    assert [(r["article_id"], r["event"]) for r in rows] == [(EARLY, "created"), (LATE, "joined")]
    assert rows[1]["score"] >= 0.15 and "korean" in rows[1]["shared_terms"]


def test_missing_story(sl):
    with pytest.raises(NotFoundError, match="no story with id 'nope'"):
        sl.story("nope")


def test_cli_stories_story_and_export(db_path, seeds_dir):
    runner = CliRunner()
    runner.invoke(app, ["ingest", str(seeds_dir), "--db", str(db_path)])
    listed = json.loads(runner.invoke(app, ["stories", "--db", str(db_path), "--json"]).stdout)
    assert len(listed) == 1 and listed[0]["articles"] == 2 and listed[0]["first_published"] == "2024-10-28"
    shown = runner.invoke(app, ["story", listed[0]["id"], "--db", str(db_path)])
    assert shown.exit_code == 0 and "18/18 new" in shown.output and "5/21 new" in shown.output
    exported = json.loads(runner.invoke(app, ["export", "--db", str(db_path)]).stdout)
    (story,) = exported["stories"]
    assert set(story) == {"id", "title", "article_ids", "timeline", "statements", "contradictions"}
    assert all(a["story_id"] == story["id"] for a in exported["articles"])


def _bridge_stream(tmp_path):
    """Two unrelated stories, then an article that matches both."""
    path = tmp_path / "bridge.jsonl"
    rows = [("a", "Harbour bridge pier crack engineers", "2025-03-01"),
            ("b", "Ferry terminal queues commuters morning", "2025-03-01"),
            ("c", "Harbour bridge pier crack ferry terminal queues", "2025-03-02")]
    path.write_text("".join(json.dumps({"id": i, "text": t, "published": d}) + "\n" for i, t, d in rows))
    return path


def test_an_article_bridging_two_close_stories_merges_them_with_a_logged_reason(db_path, tmp_path):
    from storyline.settings import Settings, StorySettings

    path = _bridge_stream(tmp_path)
    with Storyline(db_path, Settings(stories=StorySettings(join=0.2, merge=0.0))) as engine:
        engine.ingest([path])
        (story,) = engine.stories()
        assert story.id == story_id_for("a") and set(story.article_ids) == {"a", "b", "c"}
        assert engine.story(story_id_for("b")).id == story.id  # the absorbed id still leads somewhere
        events = [(h["event"], h.get("story")) for h in engine.store.story_index().history(story.id)]
        assert ("absorbed", story_id_for("b")) in events
        merged = engine.store.story_index().history(story_id_for("b"))
        assert merged[-1]["event"] == "merged" and merged[-1]["into"] == story.id
        assert merged[-1]["bridge_article"] == "c" and merged[-1]["articles_moved"] == 1


def test_without_merging_the_bridge_only_joins(db_path, tmp_path):
    from storyline.settings import Settings, StorySettings

    path = _bridge_stream(tmp_path)
    with Storyline(db_path, Settings(stories=StorySettings(join=0.2, merge=1.0))) as engine:
        engine.ingest([path])
        assert len(engine.stories()) == 2
