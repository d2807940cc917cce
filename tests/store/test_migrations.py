"""Released migrations stay as released, and stores of every released schema upgrade to a new store's schema.

A released migration is never edited: stores made with it exist, at its version, and editing it
changes nothing for them (``migrate`` skips it), so they silently lack what the edit added. Migration
3 was edited twice after release; stores made by its first release lack ``stories.merged_into``
and ``stories.dense``, by its second ``stories.dense`` (tests/fixtures/stores/v3-*-release.db).

Two guards:

- migration_hashes.json (beside this file) records, for each released version, the sha256 of its
  function's source (``inspect.getsource(migration.apply)``, trailing whitespace stripped from each
  line, lines joined by "\\n", UTF-8). A released migration whose source differs, or which is gone,
  fails ``test_released_migrations_are_never_edited``. Migrations above the highest recorded version
  are not released yet and may change freely.
- tests/fixtures/stores/ holds a small store per released version (and per historical variant),
  made by tests/fixtures/stores/make_fixtures.py. Each is upgraded to LATEST and compared with a
  new store: same tables, columns and indexes, its data still there.

Releasing a new migration N (say 7):

    PYTHONPATH=src scripts/migration-hashes            # shows the file with 7 added
    PYTHONPATH=src scripts/migration-hashes --write    # appends 7; never rewrites 1..6
    PYTHONPATH=src python tests/fixtures/stores/make_fixtures.py   # adds v7.db (data for new tables:
                                                                   # _write_dataset)

then commit migration_hashes.json and the new fixture. The script refuses (exit 1) when a recorded
migration no longer matches its hash: the fix is to restore it and add a new migration.
"""

from __future__ import annotations

import hashlib
import importlib.util
import inspect
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import storyline
from storyline.errors import StoreError
from storyline.pipeline.ports import Existing
from storyline.store import Store
from storyline.store.migrations import LATEST, MIGRATIONS, migrate
from storyline.store import text_codec
from storyline.store.reuse_index import _key_int, band_rows, packed_level_rows, store_key
from storyline.store.story_index import unpack_terms
from storyline.store.story_terms import StoryTerms, index_term_rows

ROOT = Path(__file__).resolve().parents[2]
HASHES = Path(__file__).resolve().with_name("migration_hashes.json")
STORES = ROOT / "tests" / "fixtures" / "stores"
RECORDED: dict[str, dict[str, str]] = json.loads(HASHES.read_text())

# Fixtures today's migrations cannot bring to a new store's schema: they say version 3, so migration 3
# as it is now never runs on them. Once a new migration repairs them the strict xfail fails: remove it.
# Stores that an upgrade cannot bring to today's schema (none since v7 repaired v3's releases).
NOT_REPAIRED: dict[str, str] = {}


def source_hash(fn: object) -> str:
    text = "\n".join(line.rstrip() for line in inspect.getsource(fn).splitlines())
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _load_make_fixtures():
    spec = importlib.util.spec_from_file_location("make_fixtures", STORES / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


make_fixtures = _load_make_fixtures()
VERSIONS = make_fixtures.fixture_versions()  # fixture file name -> the schema version it is at


# -- released migrations are never edited --------------------------------------------------------

def test_released_migrations_are_never_edited():
    current = {m.version: m for m in MIGRATIONS}
    problems = []
    for key in sorted(RECORDED, key=int):
        migration = current.get(int(key))
        if migration is None:
            problems.append(f"released migration {key} ({RECORDED[key]['function']}) is gone from MIGRATIONS: "
                            "stores at that version exist; put it back")
        elif source_hash(migration.apply) != RECORDED[key]["sha256"]:
            problems.append(f"migration {key} ({migration.name}) was edited after release: add a new migration "
                            f"instead (stores already at version {key} never run the edit)")
    released = max(int(key) for key in RECORDED)
    problems += [f"migration {v} ({m.name}) is below the latest released version {released} but has no recorded "
                 "hash in migration_hashes.json" for v, m in current.items() if v <= released and str(v) not in RECORDED]
    assert not problems, "\n".join(problems)


def test_migrations_are_numbered_one_to_latest_in_order():
    assert [m.version for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))
    assert LATEST == MIGRATIONS[-1].version


def test_the_hashes_script_agrees_with_the_recorded_hashes(tmp_path):
    """scripts/migration-hashes prints the recorded entries as they are, and --write only appends."""
    env = {**os.environ, "PYTHONPATH": str(Path(storyline.__file__).resolve().parents[1])}
    script = [sys.executable, str(ROOT / "scripts" / "migration-hashes")]
    printed = subprocess.run(script, capture_output=True, text=True, env=env, check=True).stdout
    assert {k: v for k, v in json.loads(printed).items() if k in RECORDED} == RECORDED

    older = tmp_path / "hashes.json"  # as if only 1 and 2 were released: --write appends the rest
    older.write_text(json.dumps({k: RECORDED[k] for k in ("1", "2")}))
    subprocess.run([*script, "--write", "--file", str(older)], capture_output=True, env=env, check=True)
    assert json.loads(older.read_text()) == json.loads(printed)

    edited = {**RECORDED, "3": {**RECORDED["3"], "sha256": "0" * 64}}  # as if v3 had been edited since
    older.write_text(json.dumps(edited))
    result = subprocess.run([*script, "--write", "--file", str(older)], capture_output=True, text=True, env=env,
                            check=False)
    assert result.returncode == 1 and "migration 3 (" in result.stderr and "was edited after release" in result.stderr
    assert json.loads(older.read_text()) == edited  # nothing rewritten


# -- fixture stores ------------------------------------------------------------------------------

def test_every_released_version_has_a_fixture_store():
    on_disk = {p.name for p in STORES.glob("*.db")}
    assert {f"v{key}.db" for key in RECORDED} <= on_disk
    assert on_disk == set(VERSIONS), "run tests/fixtures/stores/make_fixtures.py (see its docstring)"


def test_the_fixture_stores_are_what_make_fixtures_builds(tmp_path):
    for fixture in make_fixtures.fixtures():
        name = fixture.name
        make_fixtures.build(fixture, tmp_path / name)
        built, checked_in = sqlite3.connect(tmp_path / name), _copy(name, tmp_path / "checked-in")
        for conn in (built, checked_in):  # the dump reads the search index's content (a view)
            text_codec.register(conn)
        assert _contents(built) == _contents(checked_in), f"{name} differs from what make_fixtures.py builds"
        assert checked_in.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        built.close()
        checked_in.close()


def _copy(name: str, directory: Path) -> sqlite3.Connection:
    directory.mkdir(exist_ok=True)
    shutil.copyfile(STORES / name, directory / name)
    return sqlite3.connect(directory / name, isolation_level=None)


def _contents(conn: sqlite3.Connection) -> tuple:
    return conn.execute("PRAGMA user_version").fetchone()[0], list(conn.iterdump())


def _schema(conn: sqlite3.Connection) -> tuple[set, set]:
    """Columns as (table, column, declared type, notnull, pk) and indexes as (table, index, unique,
    partial, columns), over every table."""
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                                         " AND name NOT LIKE 'sqlite_%'")]
    columns = {(table, name, decl, notnull, pk)
               for table in tables
               for _, name, decl, notnull, _, pk in conn.execute(f"PRAGMA table_info('{table}')")}
    indexes = {(table, index, unique, partial,
                tuple(r[2] for r in conn.execute(f"PRAGMA index_info('{index}')")))
               for table in tables
               for _, index, unique, _, partial in conn.execute(f"PRAGMA index_list('{table}')")}
    return columns, indexes


@pytest.fixture(scope="module")
def new_store_schema(tmp_path_factory) -> tuple[set, set]:
    path = tmp_path_factory.mktemp("new") / "new.db"
    with Store(path):
        pass
    conn = sqlite3.connect(path)
    try:
        return _schema(conn)
    finally:
        conn.close()


def _rows(conn: sqlite3.Connection) -> dict[str, int]:
    """Rows a table; an FTS5 index counted by its shadow tables (its own rows are the content's)."""
    rows = {table: conn.execute(f"SELECT count(*) FROM '{table}'").fetchone()[0]
            for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                                         " AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'")}
    if "passage_rows" in rows:  # v27: the passages' table, behind a view named as the table was
        rows["passages"] = rows.pop("passage_rows")
    if "story_events" in rows:  # v28: the story log's table, behind a view named as the table was
        rows["story_log"] = rows.pop("story_events")
    return rows


@pytest.mark.parametrize("how", ["migrate", "Store"])
@pytest.mark.parametrize("name", sorted(VERSIONS))
def test_a_fixture_store_upgrades_to_the_latest_version(name, how, tmp_path):
    conn = _copy(name, tmp_path)
    path = tmp_path / name
    if how == "migrate":
        assert migrate(conn, str(path)) == VERSIONS[name]
    else:
        conn.close()
        with Store(path):
            pass
        conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST
    conn.close()


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=NOT_REPAIRED[n]))
                                  if n in NOT_REPAIRED else n for n in sorted(VERSIONS)])
def test_an_upgraded_fixture_store_has_the_schema_of_a_new_store(name, tmp_path, new_store_schema):
    conn = _copy(name, tmp_path)
    migrate(conn, str(tmp_path / name))
    columns, indexes = _schema(conn)
    conn.close()
    new_columns, new_indexes = new_store_schema
    problems = ([f"lacks column {c}" for c in sorted(new_columns - columns, key=repr)]
                + [f"has extra column {c}" for c in sorted(columns - new_columns, key=repr)]
                + [f"lacks index {i}" for i in sorted(new_indexes - indexes, key=repr)]
                + [f"has extra index {i}" for i in sorted(indexes - new_indexes, key=repr)])
    assert not problems, f"{name} upgraded to version {LATEST} is not a new store's schema:\n" + "\n".join(problems)


def _band_rows(conn) -> list[tuple[int, int, int]]:
    """Every passage band row, (key, article_seq, idx) sorted, in a store of any version; each key
    by its low 40 bits, as v18 stores it (the fixtures' keys differ there)."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")}
    if "passage_bands_log" in tables:
        return sorted((store_key(k), seq, idx) for _, k, seq, idx in band_rows(conn))
    if "passage_postings" in tables:  # v14-v19: the recent level a row a (key, article, passage)
        lower = [(k, seq, idx) for _, k, seq, idx in packed_level_rows(conn)]
        recent = [(_key_int(k), seq, idx) for k, seq, idx in conn.execute(
            "SELECT key, article_seq, idx FROM passage_bands_recent")]
        return sorted((store_key(k), seq, idx) for k, seq, idx in lower + recent)
    return sorted((store_key(k), seq, idx) for t in ("passage_bands", "passage_bands_mid", "passage_bands_recent")
                  if t in tables for k, seq, idx in conn.execute(f"SELECT key, article_seq, idx FROM {t}"))


@pytest.mark.parametrize("name", sorted(VERSIONS))
def test_fixture_data_survives_the_upgrade(name, tmp_path):
    conn = _copy(name, tmp_path)
    before = _rows(conn)
    bands_before = _band_rows(conn)
    conn.close()
    path = tmp_path / name
    with Store(path) as store:
        for aid, *_, paragraphs in make_fixtures.ARTICLES:
            article = store.get_article(aid)
            assert article.text == make_fixtures.article_text(paragraphs)
            assert [p.text for p in article.passages] == list(paragraphs)
            assert [p.index for p in article.passages] == list(range(len(paragraphs)))
            assert [[[s.start, s.end] for s in p.sentences] for p in article.passages] == \
                [make_fixtures._sentences(p) for p in paragraphs]  # v17 packs them
        recycled = store.get_article("lp-2025-03-04-repair-crews").passages[2]
        if VERSIONS[name] >= 2:
            assert recycled.status == "recycled" and recycled.first_seen is not None
            assert (recycled.first_seen.article_id, recycled.first_seen.index) == ("hc-2025-03-01-bridge-closed", 1)
        else:
            assert recycled.status == "new" and recycled.first_seen is None
        for aid, _, _, url, *_ in make_fixtures.ARTICLES:  # v21 keys the stored URLs
            tracked = url.replace("https://", "http://www.") + "?utm_source=rss#comments"
            assert store.find_existing("another-id", tracked) == Existing(aid, "same URL", store.get_article(aid).content_hash)
    conn = sqlite3.connect(path)
    text_codec.register(conn)  # the search index's content: the texts, decompressed
    assert [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY seq")] == [a[0] for a in make_fixtures.ARTICLES]
    after = _rows(conn)
    # every table the fixture had keeps its rows (meta gains the article count v7 keeps there);
    # the tables later migrations add start empty, but for the status v10 moved out of articles
    # and the search index, built from the articles (made again by v15: its shadow tables' rows
    # are its segments); passage band rows are the same rows in any layout (v14 packs a key's
    # rows below the recent level into one, v20 the recent level's an article a row)
    search = {t for t in after.keys() | before.keys() if t.startswith("article_search")}
    bands = {"passage_bands", "passage_bands_mid", "passage_bands_recent", "passage_bands_log", "passage_postings",
             "passage_postings_mid"} | search
    assert {t: after[t] for t in before.keys() - bands if t != "meta"} == \
        {t: n for t, n in before.items() if t != "meta" and t not in bands}
    assert _band_rows(conn) == bands_before
    assert all(after[t] == 0 for t in after.keys() - before.keys() - {"meta", "article_status"} - search - bands)
    status = conn.execute("SELECT a.id, s.timeline_events, s.statements FROM articles a"
                          " JOIN article_status s ON s.article_seq = a.seq ORDER BY a.seq").fetchall()
    timeline = [3, 1, 1] if VERSIONS[name] >= 4 else [None] * 3
    statements = [2, None, 2] if VERSIONS[name] >= 5 else [None] * 3
    assert status == list(zip([a[0] for a in make_fixtures.ARTICLES], timeline, statements))

    def found(query: str) -> list[str]:
        return [r[0] for r in conn.execute("SELECT a.id FROM article_search JOIN articles a ON a.seq = "
                                           "article_search.rowid WHERE article_search MATCH ? ORDER BY a.seq", (query,))]

    assert found("ferry") == ["hc-2025-03-03-extra-ferries"]  # stemmed: "ferries"
    assert found("Brennholt") == ["lp-2025-03-04-repair-crews"]
    assert found("piers") == [a[0] for a in make_fixtures.ARTICLES]
    conn.execute("INSERT INTO article_search (article_search, rank) VALUES ('integrity-check', 1)")  # raises if not
    assert conn.execute("SELECT value FROM meta WHERE key = 'stories.documents'").fetchone() == \
        (str(len(make_fixtures.ARTICLES)),)
    if VERSIONS[name] >= 3:
        assert conn.execute("SELECT id, articles FROM stories ORDER BY seq").fetchall() == \
            [("sa270d1a133c0", 2), ("sc917ce0f9d48", 1)]
        indexed = index_term_rows(conn)  # v30: a story changed since the last move by its row's terms
        for seq, terms in conn.execute("SELECT seq, terms FROM stories").fetchall():  # v16: listed in the row too
            assert unpack_terms(terms) == tuple(t for t, s in indexed if s == seq) != ()
        if VERSIONS[name] >= 30:  # the fixture's changed story: "boats" not in story_terms, found all the same
            assert conn.execute("SELECT story_seq FROM story_terms_dirty").fetchall() == [(2,)]
            assert StoryTerms(conn).stories("boats", 10) == [2]
    conn.close()


def test_v23_makes_story_terms_of_words(tmp_path):
    """A v22 store's story state in words becomes terms (a word's first six letters): document
    frequencies summed (capped at the articles counted), centroid and vector weights summed,
    a story's index terms the heaviest 40 of its new centroid, in its row and in story_terms."""
    from storyline.store.codec import pack_weights, unpack_weights

    conn = _copy("v22.db", tmp_path)
    conn.execute("DELETE FROM term_df")
    conn.executemany("INSERT INTO term_df (term, df) VALUES (?, ?)",
                     [("ukraine", 2), ("ukrainian", 2), ("2024", 1), ("covid19", 1), ("pier", 3)])
    seq = conn.execute("SELECT seq FROM stories ORDER BY seq LIMIT 1").fetchone()[0]
    centroid = {"ukraine": 0.5, "ukrainian": 0.25, "strikes": 0.125, "pier": 0.0625}
    conn.execute("UPDATE stories SET weights = ? WHERE seq = ?", (pack_weights(centroid), seq))
    conn.execute("UPDATE article_vectors SET weights = ? WHERE rowid = (SELECT min(rowid) FROM article_vectors)",
                 (pack_weights({"ukrainian": 0.5, "kyiv": 0.25, "ukraine": 0.125}),))
    migrate(conn, "v22.db")
    assert dict(conn.execute("SELECT term, df FROM term_df")) == \
        {"ukrain": 3, "2024": 1, "covid19": 1, "pier": 3}  # 2 + 2 capped at the 3 articles counted
    assert unpack_weights(conn.execute("SELECT weights FROM stories WHERE seq = ?", (seq,)).fetchone()[0]) == \
        {"ukrain": 0.75, "strike": 0.125, "pier": 0.0625}
    terms = unpack_terms(conn.execute("SELECT terms FROM stories WHERE seq = ?", (seq,)).fetchone()[0])
    assert terms == ("pier", "strike", "ukrain")
    assert [t for (t,) in conn.execute("SELECT term FROM story_terms WHERE story_seq = ? ORDER BY term", (seq,))] == \
        list(terms)
    vector = unpack_weights(conn.execute("SELECT weights FROM article_vectors ORDER BY rowid LIMIT 1").fetchone()[0])
    assert vector == {"ukrain": 0.625, "kyiv": 0.25}
    conn.close()


def test_v25_drops_the_function_words_from_story_terms(tmp_path):
    """A v24 store's story state loses the other languages' function words ("der", "und", "les")
    wherever it keeps terms; English content words that look like them ("war") and the rest stay."""
    from storyline.store.codec import pack_weights, unpack_weights
    from storyline.store.story_index import pack_terms

    conn = _copy("v24.db", tmp_path)
    conn.execute("DELETE FROM term_df")
    conn.executemany("INSERT INTO term_df (term, df) VALUES (?, ?)",
                     [("der", 3), ("und", 3), ("hafen", 2), ("war", 1), ("les", 1)])
    seq = conn.execute("SELECT seq FROM stories ORDER BY seq LIMIT 1").fetchone()[0]
    conn.execute("UPDATE stories SET weights = ?, terms = ? WHERE seq = ?",
                 (pack_weights({"der": 0.5, "hafen": 0.25, "war": 0.125}), pack_terms(["der", "hafen", "war"]), seq))
    conn.execute("DELETE FROM story_terms")
    conn.executemany("INSERT INTO story_terms (term, story_seq) VALUES (?, ?)",
                     [("der", seq), ("hafen", seq), ("war", seq)])
    conn.execute("UPDATE article_vectors SET weights = ? WHERE rowid = (SELECT min(rowid) FROM article_vectors)",
                 (pack_weights({"und": 0.5, "streik": 0.25}),))
    migrate(conn, "v24.db")
    assert dict(conn.execute("SELECT term, df FROM term_df")) == {"hafen": 2, "war": 1}
    assert unpack_weights(conn.execute("SELECT weights FROM stories WHERE seq = ?", (seq,)).fetchone()[0]) == \
        {"hafen": 0.25, "war": 0.125}
    assert unpack_terms(conn.execute("SELECT terms FROM stories WHERE seq = ?", (seq,)).fetchone()[0]) == ("hafen", "war")
    assert sorted(t for (t,) in conn.execute("SELECT term FROM story_terms")) == ["hafen", "war"]
    vector = unpack_weights(conn.execute("SELECT weights FROM article_vectors ORDER BY rowid LIMIT 1").fetchone()[0])
    assert vector == {"streik": 0.25}
    conn.close()


def test_a_store_of_words_migrated_to_terms_goes_on_placing_articles(db_path, seeds_dir, monkeypatch):
    """A store whose story state is in whole words (as before schema 23), brought to 23, places
    the next article of its story in that story, by terms it shares with it."""
    from storyline import Storyline
    from storyline.stories import stage

    early, late = seeds_dir / "000_28c5dd749a0a6b13.txt", seeds_dir / "001_5a9cac7b8d2db75a.txt"
    with monkeypatch.context() as words:
        words.setattr(stage, "term", lambda word: word)  # the stage as it was: a term is the word
        with Storyline(db_path) as engine:
            engine.ingest([early])
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM term_df WHERE length(term) > 6 AND term GLOB '[a-z]*'").fetchone()[0] > 50
    from tests.store.downgrade import undo_v23

    undo_v23(conn)
    conn.commit()
    conn.close()
    with Storyline(db_path) as engine:
        engine.ingest([late])
        (story,) = engine.stories()
        assert set(story.article_ids) == {early.stem, late.stem}
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST
    assert conn.execute("SELECT count(*) FROM term_df WHERE length(term) > 6 AND term GLOB '[a-z]*'"
                        " AND term NOT GLOB '*[^a-z]*'").fetchone()[0] == 0
    conn.close()


def test_v27_keeps_every_passage_as_it_was_and_narrows_the_signatures(tmp_path):
    """Schema 27: the passages read through the view exactly as the v26 table held them (status
    words, first occurrences by id, REAL scores, spans); each signature value's low 16 bits."""
    conn = _copy("v26.db", tmp_path)
    conn.execute("UPDATE passages SET score = 0.5114 WHERE score IS NOT NULL")  # a score as reuse rounds one
    conn.execute("UPDATE passages SET status = 'boilerplate' WHERE article_seq = 1 AND idx = 0")
    columns = ("article_seq, idx, start_char, end_char, sentences, status, first_seen_article, first_seen_index,"
               " score, copied_start, copied_end, first_seen_start, first_seen_end")
    before = conn.execute(f"SELECT {columns} FROM passages ORDER BY article_seq, idx").fetchall()
    signatures = dict(conn.execute("SELECT article_seq, signature FROM article_signatures").fetchall())
    assert {r[5] for r in before} == {"new", "recycled", "boilerplate"}
    assert any(r[6] is not None for r in before) and any(r[8] == 0.5114 for r in before)
    migrate(conn, "v26.db")
    assert conn.execute(f"SELECT {columns} FROM passages ORDER BY article_seq, idx").fetchall() == before
    assert conn.execute("SELECT count(*) FROM passage_rows WHERE typeof(status) = 'integer'"
                        " AND (score IS NULL OR typeof(score) = 'integer')").fetchone()[0] == len(before)
    after = dict(conn.execute("SELECT article_seq, signature FROM article_signatures").fetchall())
    assert after.keys() == signatures.keys()
    for seq, blob in signatures.items():
        wide = np.frombuffer(blob, dtype="<u4")
        assert len(after[seq]) == 256 and np.array_equal(np.frombuffer(after[seq], dtype="<u2"), wide & 0xFFFF)
    # other clients still write the passages through the view
    conn.execute("DELETE FROM passages WHERE article_seq = 1 AND idx = 0")
    conn.execute("INSERT INTO passages (article_seq, idx, start_char, end_char, sentences, status,"
                 " first_seen_article, first_seen_index, score) VALUES (1, 0, 0, 5, '[[0, 5]]', 'recycled', ?, 1, 0.75)",
                 (before[-1][6] or "hc-2025-03-01-bridge-closed",))
    row = conn.execute("SELECT status, score FROM passages WHERE article_seq = 1 AND idx = 0").fetchone()
    assert row == ("recycled", 0.75)
    conn.execute("UPDATE passages SET status = 'new', first_seen_article = NULL, first_seen_index = NULL"
                 " WHERE article_seq = 1 AND idx = 0")
    assert conn.execute("SELECT status, first_seen_seq FROM passage_rows WHERE article_seq = 1 AND idx = 0"
                        ).fetchone() == (0, None)
    with pytest.raises(sqlite3.IntegrityError, match="status"):
        conn.execute("UPDATE passages SET status = 'copied' WHERE article_seq = 1 AND idx = 0")
    with pytest.raises(sqlite3.IntegrityError, match="no such article"):
        conn.execute("UPDATE passages SET first_seen_article = 'nowhere' WHERE article_seq = 1 AND idx = 0")
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()


def test_v27_refuses_a_first_occurrence_the_store_does_not_hold(tmp_path):
    """A passage pointing at an article deleted outside storyline cannot be kept by seq: the
    migration says which, and the store stays at 26 with every row."""
    conn = _copy("v26.db", tmp_path)
    conn.execute("UPDATE passages SET first_seen_article = 'gone-article' WHERE first_seen_article IS NOT NULL")
    rows = conn.execute("SELECT count(*) FROM passages").fetchone()
    with pytest.raises(StoreError, match="gone-article"):
        migrate(conn, "v26.db")
    assert conn.execute("PRAGMA user_version").fetchone() == (26,)
    assert conn.execute("SELECT type FROM sqlite_master WHERE name = 'passages'").fetchone() == ("table",)
    assert conn.execute("SELECT count(*) FROM passages").fetchone() == rows
    conn.close()



_LOG_COLUMNS = "rowid, at, story_id, article_id, event, score, detail"
# Log rows beyond the fixture's, each kept in another way: (at, story, article, event, score, detail).
_ODD_LOG_ROWS = [
    ("2025-03-05T08:30:00Z", "sa270d1a133c0", "x-1", "merged", 0.5,  # 'Z': not as storyline writes it
     '{"into": "sc917ce0f9d48", "articles_moved": ["a", "b"]}'),
    ("2025-03-05T08:30:00.250000+00:00", "sc917ce0f9d48", "x-1", "absorbed", 0.5,  # a fraction of a second
     '{"story": "sa270d1a133c0"}'),
    ("2025-03-05T10:30:00+02:00", "sc917ce0f9d48", "x-2", "moved", 0.25,  # another zone; terms kept apart
     '{"from": "sa270d1a133c0", "shared_terms": ["pier", "\\u201cquoted\\u201d"]}'),
    ("2025-03-05T10:30:00+00:00", "sc917ce0f9d48", "x-2", "moved", 0.25,  # a tab in a term: JSON keeps them
     '{"from": "sa270d1a133c0", "shared_terms": ["pier", "tab\\there"]}'),
    ("2025-03-05T10:31:00+00:00", "sc917ce0f9d48", "x-3", "split", None,  # the terms not last: JSON keeps them
     '{"shared_terms": ["pier"], "new_story": "s1"}'),
    ("2025-03-05T10:32:00+00:00", "sc917ce0f9d48", "x-3", "split_off", None, "not json"),
    ("2025-03-05T10:33:00+00:00", "sc917ce0f9d48", "x-4", "joined", 0.1611371727256270, None),
]


def _log(conn: sqlite3.Connection) -> list[tuple]:
    """The log through ``story_log`` (the table, or the view), a detail that is JSON parsed."""
    out = []
    for *row, detail in conn.execute(f"SELECT {_LOG_COLUMNS} FROM story_log ORDER BY rowid"):
        try:
            out.append((*row, json.loads(detail) if detail is not None else None))
        except ValueError:
            out.append((*row, detail))
    return out


def test_v28_keeps_every_story_log_row_as_it_was(tmp_path):
    """Schema 28: the log read through the view as the v27 table held it (a detail's JSON written
    compactly), each time that does not round trip through whole seconds, shared terms that a
    JSON array cannot take back as they are, and a detail that is not JSON, kept as written."""
    conn = _copy("v27.db", tmp_path)
    conn.executemany("INSERT INTO story_log (at, story_id, article_id, event, score, detail) VALUES (?, ?, ?, ?, ?, ?)",
                     _ODD_LOG_ROWS)
    before = _log(conn)
    assert len(before) == 3 + len(_ODD_LOG_ROWS)
    migrate(conn, "v27.db")
    assert _log(conn) == before
    stored = conn.execute("SELECT typeof(at), event, terms, detail FROM story_events ORDER BY rowid").fetchall()
    assert [r[0] for r in stored] == ["integer"] * 3 + ["text"] * 3 + ["integer"] * 4
    assert [r[1] for r in stored] == [0, 0, 1, 2, 3, 6, 6, 4, 5, 1]
    assert stored[2][2:] == ("bridge\thalvek\tharbor\tpier\t4", None)  # a join: its terms alone
    assert stored[5][2:] == ("pier\t\u201cquoted\u201d", '{"from":"sa270d1a133c0"}')
    assert stored[6][2] is None and json.loads(stored[6][3])["shared_terms"] == ["pier", "tab\there"]
    assert stored[7][2] is None and list(json.loads(stored[7][3])) == ["shared_terms", "new_story"]
    assert stored[8][2:] == (None, "not json") and stored[9][2:] == (None, None)
    conn.close()
    with Store(tmp_path / "v27.db") as store:
        with pytest.raises(StoreError, match="not JSON"):  # the split_off row's detail: said, not a traceback
            store.story_index().history("sc917ce0f9d48")
        # the story index's history: the dicts the table's rows gave
        bridge = store.story_index().history("sa270d1a133c0")
    assert bridge == [{"at": at, "article_id": aid, "event": event, "score": score, **(detail or {})}
                      for _, at, sid, aid, event, score, detail in before if sid == "sa270d1a133c0"]


def test_v28_story_log_takes_writes_through_the_view(tmp_path):
    conn = _copy("v27.db", tmp_path)
    migrate(conn, "v27.db")
    conn.execute("INSERT INTO story_log (at, story_id, article_id, event, score, detail)"
                 " VALUES ('2025-03-06T09:00:00+00:00', 'sc917ce0f9d48', 'x-5', 'joined', 0.3,"
                 " '{\"shared_terms\": [\"ferry\"]}')")
    assert conn.execute("SELECT typeof(at), event, detail FROM story_events ORDER BY rowid DESC LIMIT 1"
                        ).fetchone() == ("integer", 1, '{"shared_terms": ["ferry"]}')
    assert _log(conn)[-1][1:] == ("2025-03-06T09:00:00+00:00", "sc917ce0f9d48", "x-5", "joined", 0.3,
                                  {"shared_terms": ["ferry"]})
    with pytest.raises(sqlite3.IntegrityError, match="no such story"):
        conn.execute("INSERT INTO story_log (at, story_id, article_id, event) VALUES ('x', 'snone', 'x-6', 'joined')")
    with pytest.raises(sqlite3.IntegrityError, match="story_log.event"):
        conn.execute("INSERT INTO story_log (at, story_id, article_id, event)"
                     " VALUES ('x', 'sc917ce0f9d48', 'x-6', 'renamed')")
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()


@pytest.mark.parametrize("change, match", [
    ("UPDATE story_log SET story_id = 'sgone' WHERE rowid = 2", "sgone"),
    ("UPDATE story_log SET event = 'renamed' WHERE rowid = 2", "renamed"),
])
def test_v28_refuses_a_log_row_it_cannot_keep(tmp_path, change, match):
    """A row naming a story the store does not hold, or an event storyline does not know: the
    migration says which, and the store stays at 27 with every row."""
    conn = _copy("v27.db", tmp_path)
    conn.execute(change)
    rows = conn.execute("SELECT * FROM story_log ORDER BY rowid").fetchall()
    with pytest.raises(StoreError, match=match):
        migrate(conn, "v27.db")
    assert conn.execute("PRAGMA user_version").fetchone() == (27,)
    assert conn.execute("SELECT type FROM sqlite_master WHERE name = 'story_log'").fetchone() == ("table",)
    assert conn.execute("SELECT * FROM story_log ORDER BY rowid").fetchall() == rows
    conn.close()
