"""Online story clustering: the seeds form one story, ids are stable, assignments are logged."""

import json

import pytest
from typer.testing import CliRunner

from storyline import Storyline
from storyline.cli import app
from storyline.errors import NotFoundError
from storyline.stories.stage import story_id_for
from storyline.text.similarity import content_words

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
    # the terms are words' first six letters; the log names them as the article wrote them
    written = set(content_words(sl.article(LATE).text.lower()))
    assert any(len(t) > 6 for t in rows[1]["shared_terms"]) and set(rows[1]["shared_terms"]) <= written


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


DRIFT = [("a1", "Harbour bridge pier crack found by engineers", "2025-03-01"),
         ("a2", "Harbour bridge pier crack: engineers close lanes", "2025-03-01"),
         ("a3", "Engineers inspect harbour bridge pier crack", "2025-03-02"),
         ("b1", "Harbour bridge closure sends commuters to ferry terminal queues", "2025-03-02"),
         ("b2", "Ferry terminal queues: commuters wait an hour as harbour ferries fill", "2025-03-03"),
         ("b3", "Ferry operator adds sailings for commuters after terminal queues", "2025-03-03"),
         ("b4", "Commuters praise extra ferry sailings as terminal queues shorten", "2025-03-04")]


def _stream(tmp_path, rows, name="stream.jsonl"):
    path = tmp_path / name
    path.write_text("".join(json.dumps({"id": i, "text": t, "published": d}) + "\n" for i, t, d in rows))
    return path


def test_a_story_that_drifts_apart_splits_with_a_logged_reason(sl, tmp_path):
    """The ferry articles each joined the bridge story's centroid, but not each other's bridge
    articles: at six articles the story is checked and the ferry group leaves."""
    sl.ingest([_stream(tmp_path, DRIFT)])
    bridge, ferry = sl.stories()
    assert bridge.id == story_id_for("a1") and bridge.article_ids == ["a1", "a2", "a3"]
    assert ferry.id == story_id_for("b1") and ferry.article_ids == ["b1", "b2", "b3", "b4"]
    index = sl.store.story_index()
    split = next(h for h in index.history(bridge.id) if h["event"] == "split")
    assert split["new_story"] == ferry.id and split["articles_moved"] == ["b1", "b2", "b3"]
    assert split["score"] < 0.15 and split["article_id"] == "b3"  # the article whose arrival triggered it
    assert "ferry" in split["moved_terms"] and "bridge" in split["kept_terms"]
    events = [(h["event"], h["article_id"]) for h in index.history(ferry.id)]
    assert events == [("split_off", "b3"), ("moved", "b1"), ("moved", "b2"), ("moved", "b3"), ("joined", "b4")]
    for moved in (h for h in index.history(ferry.id) if h["event"] == "moved"):
        assert moved["from"] == bridge.id and moved["reason"] == "split"
        assert moved["score"] > moved["score_to_old"]  # closer to where it went
    # The story that lost the group keeps its id, and b4 found the ferry story on its own.
    assert sl.article("b3").story_id == ferry.id and sl.story(bridge.id).id == bridge.id


def test_a_splits_log_names_its_terms_as_the_articles_wrote_them(sl, tmp_path):
    """Terms are cut words ("termin", "commut"); the log shows the words. The first articles are
    ingested (and their counts committed) before the one that triggers the split, so the words
    come from the store as well as from the articles counted since."""
    sl.ingest([_stream(tmp_path, DRIFT[:4], "first.jsonl")])
    sl.ingest([_stream(tmp_path, DRIFT[4:], "second.jsonl")])
    bridge, ferry = sl.stories()
    index = sl.store.story_index()
    split = next(h for h in index.history(bridge.id) if h["event"] == "split")
    words = {w.strip(":").lower() for _, text, _ in DRIFT for w in text.split()}
    assert {"terminal", "commuters"} <= set(split["moved_terms"]) and "engineers" in split["kept_terms"]
    moved = [h for h in index.history(ferry.id) if h["event"] == "moved"]
    assert moved and all(set(h["shared_terms"]) <= words for h in moved)
    assert set(split["moved_terms"]) | set(split["kept_terms"]) <= words


def test_reingesting_after_a_split_changes_nothing(sl, tmp_path):
    path = _stream(tmp_path, DRIFT)
    sl.ingest([path])
    before = ([(s.id, s.article_ids) for s in sl.stories()],
              sl.store._conn.execute("SELECT count(*) FROM story_log").fetchone())
    report = sl.ingest([path])
    assert report.added == [] and len(report.duplicates) == len(DRIFT)
    after = ([(s.id, s.article_ids) for s in sl.stories()],
             sl.store._conn.execute("SELECT count(*) FROM story_log").fetchone())
    assert after == before


def test_the_same_stream_splits_the_same_way_in_another_store(tmp_path):
    results = []
    for n in range(2):
        with Storyline(tmp_path / f"{n}.db") as engine:
            engine.ingest([_stream(tmp_path, DRIFT)])
            results.append([(s.id, s.article_ids) for s in engine.stories()])
    assert results[0] == results[1]


def test_a_story_that_holds_together_does_not_split(sl, tmp_path):
    rows = [(f"c{i}", text, f"2025-03-0{1 + i // 3}") for i, text in enumerate([
        "Harbour bridge pier crack found by engineers", "Harbour bridge pier crack: engineers close lanes",
        "Engineers inspect harbour bridge pier crack", "Harbour bridge crack: repairs to take two weeks",
        "Bridge pier repairs begin as crack widens", "Harbour bridge lanes reopen after pier crack repairs",
        "Engineers sign off harbour bridge pier repairs", "Harbour bridge crack inquiry names engineers"])]
    sl.ingest([_stream(tmp_path, rows)])
    (story,) = sl.stories()
    assert len(story.article_ids) == 8
    assert {h["event"] for h in sl.store.story_index().history(story.id)} == {"created", "joined"}


def test_splitting_can_be_turned_off(db_path, tmp_path):
    from storyline.settings import Settings, StorySettings

    with Storyline(db_path, Settings(stories=StorySettings(split=0.0))) as engine:
        engine.ingest([_stream(tmp_path, DRIFT)])
        (story,) = engine.stories()
        assert len(story.article_ids) == len(DRIFT)


def test_cli_story_shows_the_split_and_why_each_article_moved(db_path, tmp_path):
    runner = CliRunner()
    runner.invoke(app, ["ingest", str(_stream(tmp_path, DRIFT)), "--db", str(db_path)])
    ferry, bridge = story_id_for("b1"), story_id_for("a1")
    shown = runner.invoke(app, ["story", ferry, "--db", str(db_path)])
    assert shown.exit_code == 0
    assert f"moved from {bridge} by a split" in shown.output
    assert f"split off from {bridge}: 3 articles" in shown.output
    kept = runner.invoke(app, ["story", bridge, "--db", str(db_path)]).output
    assert f"3 articles left for {ferry}" in kept
    data = json.loads(runner.invoke(app, ["story", ferry, "--db", str(db_path), "--json"]).stdout)
    moved = [a for a in data["assignments"] if a["event"] == "moved"]
    assert [a["article_id"] for a in moved] == ["b1", "b2", "b3"] and all(a["from"] == bridge for a in moved)
    assert [a["id"] for a in data["articles"]] == ["b1", "b2", "b3", "b4"]


def _asked_states(monkeypatch):
    """Every story seq a SqliteStoryIndex reads whole (its centroid) from now on."""
    from storyline.store.story_index import SqliteStoryIndex

    asked: list[int] = []
    states = SqliteStoryIndex.states

    def spy(self, seqs):
        asked.extend(seqs)
        return states(self, seqs)

    monkeypatch.setattr(SqliteStoryIndex, "states", spy)
    return asked


def test_a_candidate_story_outside_the_window_is_not_read_by_a_writer_that_does_not_hold_it(
        db_path, tmp_path, monkeypatch):
    """A freshly opened writer finds the old story through its terms, knows from its last day that
    it is outside the article's window, and skips it without reading its centroid; a candidate
    inside the window is read and joined as before."""
    march = [("m1", "Harbour bridge pier crack found by engineers", "2025-03-01"),
             ("m2", "Harbour bridge pier crack: engineers close lanes", "2025-03-02")]
    with Storyline(db_path) as sl:
        sl.ingest([_stream(tmp_path, march, "march.jsonl")])
        (old,) = sl.stories()
        seq = sl.store._conn.execute("SELECT seq FROM stories WHERE id = ?", (old.id,)).fetchone()[0]
    asked = _asked_states(monkeypatch)
    june = [("j1", "Harbour bridge pier crack found by engineers again", "2025-06-01")]
    with Storyline(db_path) as sl:
        sl.ingest([_stream(tmp_path, june, "june.jsonl")])
        assert sl.story(story_id_for("j1")).article_ids == ["j1"]  # founded its own: the old one is out of reach
        assert sl.story(old.id).article_ids == ["m1", "m2"]
    assert seq not in asked
    later = [("m3", "Harbour bridge pier crack: engineers reopen lanes", "2025-03-05")]
    with Storyline(db_path) as sl:
        sl.ingest([_stream(tmp_path, later, "later.jsonl")])
        assert "m3" in sl.story(old.id).article_ids
    assert seq in asked
