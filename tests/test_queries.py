"""The read side: every query over a real store, the story view cache, and that reading never writes."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import storyline.queries as queries_module
from storyline import Storyline
from storyline.errors import NotFoundError, SettingsError
from storyline.queries import Queries, ViewCache
from storyline.settings import QuerySettings, Settings, StorySettings
from storyline.stories.stage import story_id_for
from tests.conftest import ROOT, SHARED

EARLY, LATE = "000_28c5dd749a0a6b13", "001_5a9cac7b8d2db75a"
EXAMPLES = ROOT / "examples"
BRIDGE = ["001_harbor-bridge-closed", "002_repair-crews-ferries", "003_emergency-funds-pier-five"]
SEEDS_STORY, BRIDGE_STORY = story_id_for(EARLY), story_id_for(BRIDGE[0])


def _need_seeds() -> Path:
    seeds = SHARED / "seeds"
    if not seeds.exists():
        pytest.skip(f"{seeds} not present")
    return seeds


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds and three of the four examples, read for statements (the parser runs once here)."""
    seeds = _need_seeds()
    db = tmp_path_factory.mktemp("queries") / "built.db"
    with Storyline(db) as sl:
        assert sl.ingest([seeds, *(EXAMPLES / f"{name}.txt" for name in BRIDGE)]).ok
        sl.analyse_statements()
    return db


@pytest.fixture
def store_copy(built: Path, tmp_path: Path) -> Path:
    """A copy of the built store, for tests that write to it."""
    db = tmp_path / "copy.db"
    shutil.copy(built, db)
    return db


class Counting:
    """Counts the calls of an assembly function (monkeypatched into storyline.queries)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
        self.calls = 0
        real = getattr(queries_module, name)

        def counted(*args, **kwargs):
            self.calls += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(queries_module, name, counted)


@pytest.fixture
def assembled(monkeypatch: pytest.MonkeyPatch) -> tuple[Counting, Counting]:
    """(timeline assemblies, statement assemblies) counted from here on."""
    return Counting(monkeypatch, "timeline_entries"), Counting(monkeypatch, "story_statements")


# -- every query -------------------------------------------------------------------------------

def test_articles_and_their_novelty(built: Path):
    with Storyline(built) as sl:
        q = sl.queries
        assert [a.id for a in q.articles()] == [EARLY, LATE, *BRIDGE]  # ingest order
        assert q.count_articles() == 5 and q.has_article(LATE) and not q.has_article("nope")
        later = q.article(LATE)
        assert later.story_id == SEEDS_STORY and len(later.passages) == 21
        novelty = q.novelty(LATE)
        assert novelty == q.novelty(later)  # by id or by article
        assert novelty.count("new") == 5 and novelty.recycled_in_story == 15 and novelty.recycled_elsewhere == 0
        with pytest.raises(NotFoundError, match="no article with id 'nope'"):
            q.article("nope")


def test_stories_summaries_and_logs(built: Path):
    with Storyline(built) as sl:
        q = sl.queries
        assert [(s.id, sorted(s.article_ids)) for s in q.stories()] == [
            (SEEDS_STORY, [EARLY, LATE]), (BRIDGE_STORY, sorted(BRIDGE))]
        story = q.story(SEEDS_STORY)
        assert story.article_ids == [EARLY, LATE] and story.title.startswith("Ukraine's Foreign Minister")
        assert q.story_summary(story) == {"id": SEEDS_STORY, "title": story.title, "articles": 2, "sources": 2, "outlets": 2,
                                          "first_published": "2024-10-28", "last_published": "2024-10-28"}
        assert [(h["article_id"], h["event"]) for h in q.history(SEEDS_STORY)] == [(EARLY, "created"),
                                                                                   (LATE, "joined")]
        version = q.story_version(BRIDGE_STORY)
        assert (version.id, version.articles, version.analysed, version.pending) == (BRIDGE_STORY, 3, 3, 0)
        for read in (q.story, q.story_version, q.timeline, q.statements, q.pending_statements):
            with pytest.raises(NotFoundError, match="no story with id 'nope'"):
                read("nope")


def test_timeline_and_statements_of_the_seeds(built: Path):
    with Storyline(built) as sl:
        q = sl.queries
        timeline = q.timeline(SEEDS_STORY)
        assert [(e.date, e.qualifier) for e in timeline] == [
            ("2024-10", "early"), ("2024-10-15", None), ("2024-10-17", None), ("2024-10-25", None),
            ("2024-10-27/2024-10-28", None), ("2024-11-01", None)]
        assert timeline[0].article_ids == [EARLY, LATE]
        statements, contradictions = q.statements(SEEDS_STORY)
        assert len(statements) > 10 and contradictions
        by_id = {s.id: s for s in statements}
        assert all(set(c.statement_ids) <= set(by_id) for c in contradictions)
        assert q.pending_statements(SEEDS_STORY) == 0 and q.unanalysed_articles() == []
        assert q.timeline(BRIDGE_STORY) and q.statements(BRIDGE_STORY)[0]
        # the engine's reads are the same reads
        assert sl.timeline(SEEDS_STORY) == timeline
        assert sl.statements(SEEDS_STORY, analyse=False) == (statements, contradictions)


def test_browsing_queries(built: Path):
    with Storyline(built) as sl:
        q = sl.queries
        total, rows = q.story_list()
        assert total == 2 and {r.id for r in rows} == {SEEDS_STORY, BRIDGE_STORY}
        assert [r.id for r in q.story_list(text="harbor bridge")[1]] == [BRIDGE_STORY]
        assert [r.id for r in q.story_list(since="2024-10-28", until="2024-10-28")[1]] == [SEEDS_STORY]
        assert [r.id for r in q.story_list(since="2025-03-05")[1]] == [BRIDGE_STORY]
        assert q.story_list(offset=1, limit=1)[1][0].id in {SEEDS_STORY, BRIDGE_STORY}
        row = q.story_row(SEEDS_STORY)
        assert row is not None and row.articles == 2 and row.sources == 2 and q.story_row("nope") is None
        assert [a.id for a in q.story_articles(BRIDGE_STORY)] == BRIDGE  # publication order
        article = q.article_row(LATE)
        assert article is not None and article.story_id == SEEDS_STORY and 0 < article.new_share < 0.5
        assert q.article_row("nope") is None
        titles = q.titles([EARLY, "nope"])
        assert set(titles) == {EARLY} and titles[EARLY][2] == "2024-10-28"
        found = q.search('"Netherlands Defense Academy"')
        assert found.articles == 1 and found.groups[0].hits[0].id in (EARLY, LATE)
        assert found.groups[0].story.id == SEEDS_STORY
        halvek = q.search("Halvek", per_story=2)
        assert halvek.articles == 3 and len(halvek.groups[0].hits) == 2 and halvek.groups[0].matches == 3


def test_statements_are_read_only_never_parsed(tmp_path: Path):
    seeds = _need_seeds()
    with Storyline(tmp_path / "s.db") as sl:
        sl.ingest([seeds])
        q = sl.queries
        assert q.pending_statements(SEEDS_STORY) == 2 and q.unanalysed_articles() == [EARLY, LATE]
        assert q.unanalysed_articles([LATE, "nope"]) == [LATE]
        # what else of their stories waits: the other seed, then nothing once both are named
        assert q.pending_besides([LATE]) == 1 and q.pending_besides([EARLY, LATE, LATE]) == 0
        assert q.pending_besides(["nope"]) == 0 and q.pending_besides([]) == 0
        assert q.statements(SEEDS_STORY) == ([], [])  # nothing was parsed by asking
        assert q.pending_statements(SEEDS_STORY) == 2


# -- reading never writes ----------------------------------------------------------------------

def _digest(db: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in (db, db.with_name(db.name + "-wal")) if p.exists()}


def test_queries_never_write(store_copy: Path):
    with Storyline(store_copy) as sl:  # opening is the engine's business: it may migrate
        conn = sl.store._conn
        conn.execute("PRAGMA query_only = ON")  # any write from here on is an error
        changes, files = conn.total_changes, _digest(store_copy)
        q = Queries(sl.store, sl.settings)
        for story in q.stories():
            q.story(story.id)
            q.story_version(story.id)
            q.story_summary(story)
            q.history(story.id)
            q.timeline(story.id)
            q.timeline(story.id)  # from the cache
            q.statements(story.id)
            q.pending_statements(story.id)
            q.story_row(story.id)
            q.story_articles(story.id)
        for article in q.articles():
            q.novelty(article.id)
            q.article_row(article.id)
        q.unanalysed_articles()
        q.pending_besides([EARLY])
        q.story_list("bridge", "2025-01-01", "2025-12-31")
        q.titles([EARLY, LATE])
        q.search("Pier")
        q.story_days([s.id for s in q.stories()])
        q.stats()
        q.count_articles()
        assert conn.total_changes == changes
        assert _digest(store_copy) == files


# -- the story view cache ------------------------------------------------------------------------

def test_an_unchanged_story_is_assembled_once(built: Path, assembled):
    timelines, statements = assembled
    with Storyline(built) as sl:
        q = sl.queries
        first = q.timeline(SEEDS_STORY), q.statements(SEEDS_STORY)
        second = q.timeline(SEEDS_STORY), q.statements(SEEDS_STORY)
        assert first == second
        assert (timelines.calls, statements.calls) == (1, 1)
        q.timeline(BRIDGE_STORY)
        assert timelines.calls == 2  # another story is another entry
        assert q.cache.hits == 2 and len(q.cache) == 2


def test_a_view_cannot_be_changed_through_what_a_read_returns(built: Path, assembled):
    timelines, statements = assembled
    with Storyline(built) as sl:
        q = sl.queries
        timeline = q.timeline(SEEDS_STORY)
        claims, conflicts = q.statements(SEEDS_STORY)
        expected = (json.dumps([e.as_dict() for e in timeline]),
                    [(c.id, c.text, list(c.article_ids), list(c.speaker_aliases)) for c in claims], list(conflicts))
        timeline[0].article_ids.append("mutated")
        timeline[0].text = "mutated"
        timeline.clear()
        claims[0].article_ids.clear()
        claims[0].speaker_aliases.append("mutated")
        claims[1].text = "mutated"
        claims.reverse()
        conflicts.clear()
        again = q.timeline(SEEDS_STORY)
        claims, conflicts = q.statements(SEEDS_STORY)
        assert (timelines.calls, statements.calls) == (1, 1)  # both came from the cache
        assert (json.dumps([e.as_dict() for e in again]),
                [(c.id, c.text, list(c.article_ids), list(c.speaker_aliases)) for c in claims],
                list(conflicts)) == expected


def test_an_article_joining_the_story_is_a_new_version(store_copy: Path, assembled):
    timelines, statements = assembled
    with Storyline(store_copy) as sl:
        q = sl.queries
        before = q.timeline(BRIDGE_STORY)
        q.statements(BRIDGE_STORY)
        seeds_version = q.story_version(SEEDS_STORY).key
        q.timeline(SEEDS_STORY)
        assert sl.ingest([EXAMPLES / "004_load-tests-passed.txt"]).ok
        assert q.story(BRIDGE_STORY).article_ids[-1] == "004_load-tests-passed"
        after = q.timeline(BRIDGE_STORY)
        assert timelines.calls == 3 and after != before
        assert any("004_load-tests-passed" in e.article_ids for e in after)
        q.statements(BRIDGE_STORY)  # not analysed yet, but the story has an article more
        assert statements.calls == 2 and q.pending_statements(BRIDGE_STORY) == 1
        # the other story did not change: still the same version, still cached
        assert q.story_version(SEEDS_STORY).key == seeds_version
        q.timeline(SEEDS_STORY)
        assert timelines.calls == 3


def test_statements_analysed_are_a_new_version(tmp_path: Path, assembled):
    timelines, statements = assembled
    seeds = _need_seeds()
    with Storyline(tmp_path / "s.db") as sl:
        sl.ingest([seeds])
        q = sl.queries
        assert q.statements(SEEDS_STORY) == ([], [])
        assert q.statements(SEEDS_STORY) == ([], []) and statements.calls == 1
        sl.analyse_statements([EARLY])
        one = q.statements(SEEDS_STORY)[0]
        assert statements.calls == 2 and one and all(s.article_ids == [EARLY] for s in one)
        sl.analyse_statements()
        both = q.statements(SEEDS_STORY)[0]
        assert statements.calls == 3 and any(s.article_ids == [EARLY, LATE] for s in both)
        q.timeline(SEEDS_STORY)
        q.timeline(SEEDS_STORY)
        assert timelines.calls == 1


def test_an_article_re_analysed_is_a_new_version(store_copy: Path, assembled):
    """Another process rewrites an article's statements (as many as before, one span shorter):
    the fingerprint of the stored rows changes, so the cached claims are not served."""
    _, statements = assembled
    with Storyline(store_copy) as sl:
        q = sl.queries
        before = q.story_version(SEEDS_STORY).key
        text = next(s.text for s in q.statements(SEEDS_STORY)[0] if s.article_ids == [LATE])
        with sqlite3.connect(store_copy) as writer:
            seq = writer.execute("SELECT seq FROM articles WHERE id = ?", (LATE,)).fetchone()[0]
            rows = writer.execute("SELECT count(*) FROM article_statements WHERE article_seq = ?", (seq,)).fetchone()
            # as a re-analysis that finds the same statements with other spans: each content a character shorter
            writer.execute("UPDATE article_statements SET content_end = content_end - 1 WHERE article_seq = ?", (seq,))
            assert writer.execute("SELECT statements FROM article_status WHERE article_seq = ?", (seq,)).fetchone()[0] == rows[0]
        assert q.story_version(SEEDS_STORY).key != before
        after = q.statements(SEEDS_STORY)[0]
        assert statements.calls == 2 and text not in [s.text for s in after if s.article_ids == [LATE]]


def _bridge_stream(tmp_path: Path) -> Path:
    """Two unrelated stories, then an article that matches both (tests/stories/test_stage.py)."""
    path = tmp_path / "bridge.jsonl"
    rows = [("a", "Harbour bridge pier crack engineers", "2025-03-01"),
            ("b", "Ferry terminal queues commuters morning", "2025-03-01"),
            ("c", "Harbour bridge pier crack ferry terminal queues", "2025-03-02")]
    path.write_text("".join(json.dumps({"id": i, "text": t, "published": d}) + "\n" for i, t, d in rows))
    return path


def test_a_merge_is_a_new_version_of_the_absorber_and_the_absorbed_id_leads_to_it(tmp_path: Path, assembled):
    timelines, _ = assembled
    path = _bridge_stream(tmp_path)
    lines = path.read_text().splitlines()
    with Storyline(tmp_path / "m.db", Settings(stories=StorySettings(join=0.2, merge=0.0))) as sl:
        q = sl.queries
        first = tmp_path / "first.jsonl"
        first.write_text("\n".join(lines[:2]) + "\n")
        sl.ingest([first])
        a, b = story_id_for("a"), story_id_for("b")
        assert [s.id for s in q.stories()] == [a, b]
        q.timeline(a)
        q.timeline(b)
        q.timeline(a)
        before = q.story_version(a).key
        assert timelines.calls == 2
        sl.ingest([path])  # c bridges the two: b is merged into a
        assert [(s.id, s.article_ids) for s in q.stories()] == [(a, ["a", "b", "c"])]
        assert q.story_version(a).key != before
        q.timeline(a)
        assert timelines.calls == 3
        assert q.story(b).id == a and q.story_version(b).id == a
        q.timeline(b)  # the absorbed id reads the absorber's view, cached
        assert timelines.calls == 3


DRIFT = [("a1", "Harbour bridge pier crack found by engineers", "2025-03-01"),
         ("a2", "Harbour bridge pier crack: engineers close lanes", "2025-03-01"),
         ("a3", "Engineers inspect harbour bridge pier crack", "2025-03-02"),
         ("b1", "Harbour bridge closure sends commuters to ferry terminal queues", "2025-03-02"),
         ("b2", "Ferry terminal queues: commuters wait an hour as harbour ferries fill", "2025-03-03"),
         ("b3", "Ferry operator adds sailings for commuters after terminal queues", "2025-03-03")]


def test_a_split_is_a_new_version(tmp_path: Path, assembled):
    timelines, statements = assembled
    with Storyline(tmp_path / "d.db") as sl:
        q = sl.queries
        path = tmp_path / "drift.jsonl"
        path.write_text("".join(json.dumps({"id": i, "text": t, "published": d}) + "\n" for i, t, d in DRIFT[:5]))
        sl.ingest([path])
        bridge = story_id_for("a1")
        assert q.story(bridge).article_ids == ["a1", "a2", "a3", "b1", "b2"]
        q.timeline(bridge)
        q.statements(bridge)
        before = q.story_version(bridge).key
        path.write_text("".join(json.dumps({"id": i, "text": t, "published": d}) + "\n" for i, t, d in DRIFT))
        sl.ingest([path])  # b3 arrives, the story reaches six articles and the ferry group splits off
        assert q.story(bridge).article_ids == ["a1", "a2", "a3"]
        assert q.story_version(bridge).key != before
        q.timeline(bridge)
        q.statements(bridge)
        assert (timelines.calls, statements.calls) == (2, 2)


def test_a_cache_is_shared_bounded_and_can_be_off(built: Path, assembled):
    timelines, _ = assembled
    shared = ViewCache(stories=1)
    with Storyline(built) as one, Storyline(built) as two:
        a, b = one.queries.with_cache(shared), Queries(two.store, two.settings, cache=shared)
        a.timeline(SEEDS_STORY)
        b.timeline(SEEDS_STORY)  # another store connection, the same cache: a hit
        assert timelines.calls == 1 and shared.hits == 1
        b.timeline(BRIDGE_STORY)  # one story at most: the seeds' views are dropped
        assert len(shared) == 1
        a.timeline(SEEDS_STORY)
        assert timelines.calls == 3
        off = Queries(one.store, one.settings, cache=ViewCache(0))
        off.timeline(SEEDS_STORY)
        off.timeline(SEEDS_STORY)
        assert timelines.calls == 5 and len(off.cache) == 0
    with Storyline(built, Settings(queries=QuerySettings(view_cache_stories=0))) as sl:
        assert sl.queries.cache.stories == 0


def test_the_setting_is_checked():
    assert Settings().queries.view_cache_stories == 64
    with pytest.raises(SettingsError, match="queries.view_cache_stories"):
        QuerySettings(view_cache_stories=-1)


def test_a_shared_cache_serves_threads(built: Path, assembled):
    timelines, statements = assembled
    shared = ViewCache()

    def read(_: int) -> tuple:
        with Storyline(built) as sl:  # a store per thread, as the server has one per request
            q = sl.queries.with_cache(shared)
            return ([e.as_dict() for e in q.timeline(SEEDS_STORY)],
                    [s.id for s in q.statements(SEEDS_STORY)[0]])

    expected = read(0)
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(read, range(16)))
    assert all(r == expected for r in results)
    assert (timelines.calls, statements.calls) == (1, 1) and shared.hits == 32


# -- the faces read through queries only -----------------------------------------------------------

def test_the_faces_never_reach_into_the_store():
    src = ROOT / "src" / "storyline"
    faces = [src / "cli.py", src / "export.py", *sorted((src / "web").glob("*.py"))]
    offending = [f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
                 for path in faces for n, line in enumerate(path.read_text().splitlines(), 1)
                 if re.search(r"\.store\b", line)]
    assert offending == []


def test_an_unknown_id_offers_the_ids_it_starts(sl, seeds_dir):
    from storyline.errors import NotFoundError

    sl.ingest([seeds_dir])
    (story,) = sl.stories()
    with pytest.raises(NotFoundError) as missing:
        sl.queries.story_version(story.id[:5])
    assert str(missing.value) == f"no story with id {story.id[:5]!r}; did you mean {story.id}?"
    with pytest.raises(NotFoundError) as missing:
        sl.article("00")
    assert str(missing.value) == ("no article with id '00'; did you mean 000_28c5dd749a0a6b13 or "
                                  "001_5a9cac7b8d2db75a?")
    with pytest.raises(NotFoundError) as missing:
        sl.article("%")  # no pattern: a prefix is compared as it is
    assert str(missing.value) == "no article with id '%'" and missing.value.near == ()
